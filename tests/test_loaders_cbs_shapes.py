"""Every shape CBS data arrives in, on files the tests write: OData v3 keys, cbsodata titles, StatLine web downloads,
OData4 long; period labels; strict region codes; names resolved through the regions table; categories kept apart."""

from __future__ import annotations

import pandas as pd
import pytest

import indicators
from loaders import LoadOptions, load_file
from loaders.cbs_regions import is_code
from loaders.cbs_shape import parse_period
from tests.conftest import snapshot
from tests.loader_files import write

REGIOS = """regio_code;regio_naam;niveau;ouder_code
NL01;Nederland;NL;
PV20;Groningen;PV;NL01
JZ01;Groningen;JZ;PV20
JZ25;Achterhoek;JZ;
GM0014;Groningen;GM;JZ01|PV20
GM1680;Aa en Hunze;GM;
GM0518;'s-Gravenhage;GM;
WK001401;Centrum;WK;GM0014
WK168001;Centrum;WK;GM1680
"""


@pytest.mark.parametrize("text, expected", [
    ("2019", ("2019", 2019, False)),
    ("2023JJ00", ("2023", 2023, False)),
    ("2023HJ02", ("2023-H2", 2023, False)),
    ("1e halfjaar 2019", ("2019-H1", 2019, False)),
    ("2e halfjaar 2021", ("2021-H2", 2021, False)),
    ("1e half jaar 2024", ("2024-H1", 2024, False)),
    ("2e kwartaal 2023", ("2023-Q2", 2023, False)),
    ("2023KW02*", ("2023-Q2", 2023, True)),
    ("2024*", ("2024", 2024, True)),
    ("2023 maart", ("2023-M03", 2023, False)),
    ("2023HJ03", None), ("5e kwartaal 2023", None), ("halfjaar", None), ("1850", None), ("Totaal", None),
])
def test_period_labels_map_to_the_contract_periode(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("code, ok", [
    ("NL01", True), ("PV20", True), ("JZ25", True), ("LD01", True), ("CR01", True), ("GM0363", True),
    ("WK036300", True), ("WK0363AA", True), ("BU03630000", True), ("BU0363AA01", True),
    ("BUITENVAART", False), ("BUURTWEG", False), ("BUITENVE", False), ("WKNOORD1", False), ("GM363", False),
    ("WK03634", False), ("GM03630", False), ("WK0363ÄA", False), ("NEDERLAND", False), ("", False),
])
def test_only_strings_of_the_cbs_form_are_region_codes(code, ok):
    assert bool(is_code(pd.Series([code])).iloc[0]) is ok


@pytest.fixture
def with_regios(con, tmp_path):
    report = load_file(con, write(tmp_path, "regios.csv", REGIOS), refresh=False)
    assert report.rows_rejected == 0, report.lines()
    return con


def _values(con, measure=None):
    sql = "SELECT regio_code, periode, measure, value, missing_reason FROM cbs_values"
    rows = con.cursor().execute(sql + (" WHERE measure = ?" if measure else ""), [measure] if measure else []).fetchall()
    return {(r[0], r[1], r[2]): (r[3], r[4]) for r in rows}


def test_cbsodata_shape_names_in_dimensions_codes_in_codering_and_period_labels(con, tmp_path):
    text = ("\ufeffID;VormenVanJeugdzorg;Wijken;Perioden;TotaalJongerenMetJeugdzorgInNatura_1;Huisarts_15;"
            "Gemeentenaam_22;SoortRegio_23;Codering_24\n"
            "0;Totaal alle jeugdzorg in natura;Nederland;1e halfjaar 2019;372480.0;171145.0;" + " " * 40 + ";;NL01      \n"
            "1;Totaal alle jeugdzorg in natura;Almere;2019;5885.0;;Almere" + " " * 34 + ";Gemeente ;GM0034    \n"
            "2;Totaal alle jeugdzorg in natura;Wijk 01 Almere Haven;2e halfjaar 2019;455.0;120.0;Almere;Wijk;"
            "WK003401  \n"
            "3;Totaal alle jeugdzorg in natura;Buitenveldert;2019;10.0;;;;\n")
    report = load_file(con, write(tmp_path, "cbs_84615NED.csv", text), refresh=False)
    assert (report.kind, report.rows_accepted, report.rows_rejected) == ("cbs", 3, 1), report.lines()
    line = report.problem_lines()[0]
    assert "rij 5" in line and "kolom Wijken" in line and "'Buitenveldert' is geen CBS-regiocode" in line
    measure = "TotaalJongerenMetJeugdzorgInNatura|VormenVanJeugdzorg=Totaal alle jeugdzorg in natura"
    got = _values(con, measure)
    assert got[("NL01", "2019-H1", measure)] == (372480.0, None)
    assert got[("GM0034", "2019", measure)] == (5885.0, None)
    assert got[("WK003401", "2019-H2", measure)] == (455.0, None)
    cur = con.cursor()
    assert cur.execute("SELECT DISTINCT table_id FROM cbs_values").fetchall() == [("84615NED",)]
    assert cur.execute("SELECT name FROM regions WHERE code = 'WK003401'").fetchone() == ("Wijk 01 Almere Haven",)
    assert not cur.execute("SELECT count(*) FROM regions WHERE code LIKE 'BUITEN%'").fetchone()[0]


def test_categories_of_a_dimension_never_overwrite_each_other(con, tmp_path):
    text = ("ID;VormenVanJeugdzorg;RegioS;Perioden;TotaalJongerenMetJeugdzorg_1\n"
            "0;JZ Totaal jeugdzorg in natura;NL01      ;2021JJ00;372480\n"
            "1;JB Jeugdbescherming;NL01      ;2021JJ00;33333\n"
            "2;JH 1 Totaal jeugdhulp;NL01      ;2021JJ00;350000\n")
    report = load_file(con, write(tmp_path, "vormen.csv", text))
    assert (report.rows_accepted, report.rows_rejected) == (3, 0), report.lines()
    assert len(_values(con)) == 3
    cur = con.cursor()
    got = dict(cur.execute("SELECT indicator_id, waarde FROM indicator_values WHERE regio_code = 'NL01' "
                           "AND indicator_id NOT LIKE 'cbs_%'").fetchall())
    assert got == {"jeugdhulp_aantal": 372480.0, "jeugdbescherming_aantal": 33333.0,
                   "jeugdhulp_totaal_aantal": 350000.0}


def test_a_repeated_row_is_rejected_naming_the_first_not_counted_as_loaded(con, tmp_path):
    text = ("ID;VormenVanJeugdzorg;RegioS;Perioden;TotaalJongerenMetJeugdzorg_1\n"
            "0;Totaal;GM0001    ;2021JJ00;100\n"
            "1;Totaal;GM0001    ;2021;999\n")
    report = load_file(con, write(tmp_path, "dubbel.csv", text), LoadOptions(), refresh=False)
    assert (report.rows_accepted, report.rows_rejected) == (1, 1), report.lines()
    assert "rij 3" in report.problem_lines()[0] and "als rij 2" in report.problem_lines()[0]
    assert [v[0] for v in _values(con).values()] == [100.0]


def test_odata_v3_keys_with_an_unsuffixed_numeric_dimension(con, tmp_path):
    text = ("ID;Persoonskenmerken;VormenVanJeugdzorg;RegioS;Perioden;TotaalJongerenMetJeugdzorg_1\n"
            "0;10000;A043;GM0014    ;2023HJ01;120\n"
            "1;3000;A043;GM0014    ;2023HJ01;70\n")
    report = load_file(con, write(tmp_path, "keys.csv", text))
    assert report.rows_accepted == 2, report.lines()
    got = {k[2]: v[0] for k, v in _values(con).items()}
    assert got == {"TotaalJongerenMetJeugdzorg|Persoonskenmerken=10000|VormenVanJeugdzorg=A043": 120.0,
                   "TotaalJongerenMetJeugdzorg|Persoonskenmerken=3000|VormenVanJeugdzorg=A043": 70.0}
    published = con.cursor().execute(
        "SELECT periode, waarde FROM indicator_values WHERE indicator_id = 'jeugdbescherming_aantal'").fetchall()
    assert published == [("2023-H1", 120.0)], "only the total of the other dimension counts for the form"


def test_names_resolve_through_the_regions_table_with_level_suffixes(with_regios, tmp_path):
    con = with_regios
    text = ("ID;Persoonskenmerken;VormenVanJeugdzorg;RegioS;Perioden;TotaalJongerenMetJeugdzorg_1\n"
            "0;10000;JZ Totaal jeugdzorg;Nederland;2021;469705.0\n"
            "1;10000;JZ Totaal jeugdzorg;Groningen (PV);2021;16045.0\n"
            "2;10000;JZ Totaal jeugdzorg;Groningen (JZ);2021;10.0\n"
            "3;10000;JZ Totaal jeugdzorg;Groningen (gemeente);2021;11.0\n"
            "4;10000;JZ Totaal jeugdzorg;Achterhoek (JZ);2021;8250.0\n"
            "5;10000;JZ Totaal jeugdzorg;Aa en Hunze;1e half jaar 2024;12.0\n"
            "6;10000;JZ Totaal jeugdzorg;'s-Gravenhage (gemeente);2021;13.0\n"
            "7;10000;JZ Totaal jeugdzorg;Achterhoek (CR);2021;11120.0\n"
            "8;10000;JZ Totaal jeugdzorg;Centrum;2021;14.0\n")
    before = len(con.cursor().execute("SELECT * FROM regions").fetchall())
    report = load_file(con, write(tmp_path, "namen.csv", text), refresh=False)
    assert (report.rows_accepted, report.rows_rejected) == (8, 1), report.lines()
    got = {(k[0], k[1]): v[0] for k, v in _values(con).items()}
    # the COROP-gebied Achterhoek (CR14) is named by the built-in reference
    assert got == {("NL01", "2021"): 469705.0, ("PV20", "2021"): 16045.0, ("JZ01", "2021"): 10.0,
                   ("GM0014", "2021"): 11.0, ("JZ25", "2021"): 8250.0, ("GM1680", "2024-H1"): 12.0,
                   ("GM0518", "2021"): 13.0, ("CR14", "2021"): 11120.0}
    lines = report.problem_lines()
    assert "rij 10, kolom RegioS: " in lines[0] and "'Centrum'" in lines[0]  # no wijk of that name in 2021
    assert len(con.cursor().execute("SELECT * FROM regions").fetchall()) == before, "no region made from a name"


def test_statline_web_download_titled_headers_quoted_padded_numbers(con, tmp_path):
    text = ('\ufeff"Perioden";"Vormen van jeugdzorg";"Wijken en buurten";"Regiocode (gemeente, wijk, buurt) (code)";'
            '"Jongeren met jeugdzorg (Aantal)";"Jongeren met jeugdzorg, relatief (%)"\n'
            '"2023";"Totaal alle jeugdzorg in natura";"Amsterdam";"GM0363    ";"   12345";"    11.5"\n'
            '"2023";"Totaal alle jeugdzorg in natura";"Burgwallen-Oude Zijde";"WK036300  ";"      .";"       ."\n'
            '"2023";"Jeugdbescherming";"Amsterdam";"GM0363    ";"     810";"     0.8"\n')
    report = load_file(con, write(tmp_path, "statline.csv", text))
    assert (report.kind, report.rows_accepted, report.rows_rejected) == ("cbs", 3, 0), report.lines()
    got = {(k[0], k[2]): v for k, v in _values(con).items()}
    total = "JongerenMetJeugdzorg|VormenVanJeugdzorg=Totaal alle jeugdzorg in natura"
    assert got[("GM0363", total)] == (12345.0, None)
    assert got[("WK036300", total)] == (None, "onbekend")
    assert got[("GM0363", "JongerenMetJeugdzorgRelatief|VormenVanJeugdzorg=Jeugdbescherming")] == (0.8, None)
    titles = dict(con.cursor().execute("SELECT measure, title || ' / ' || unit FROM cbs_measures").fetchall())
    assert titles[total] == "Jongeren met jeugdzorg (Totaal alle jeugdzorg in natura) / aantal"
    cur = con.cursor()
    assert cur.execute("SELECT name FROM regions WHERE code = 'WK036300'").fetchone() == ("Burgwallen-Oude Zijde",)
    assert cur.execute("SELECT waarde FROM indicator_values WHERE indicator_id = 'jeugdhulp_aantal' "
                       "AND regio_code = 'GM0363'").fetchone() == (12345.0,)


def test_odata4_long_with_period_labels_and_named_regions(with_regios, tmp_path):
    con = with_regios
    text = ("Id;Measure;ValueAttribute;Value;RegioS;Perioden;VormenVanJeugdzorg\n"
            "1;M001;None;40;Groningen (PV);1e halfjaar 2023;A041\n"
            "2;M001;None;50;GM0014    ;2023HJ01;A041\n"
            "3;M001;None;60;BUITENVAART;2023HJ01;A041\n"
            "4;M001;None;70;BUITENDIJKS;2023HJ01;A041\n")
    report = load_file(con, write(tmp_path, "long.csv", text), refresh=False)
    assert (report.kind, report.rows_accepted, report.rows_rejected) == ("cbs-long", 3, 1), report.lines()
    got = {(k[0], k[1]): v[0] for k, v in _values(con).items()}
    # Buitenvaart is an Almere wijk of 2023 (WK003458) in the built-in reference: a name, never a buurt code
    assert got == {("PV20", "2023-H1"): 40.0, ("GM0014", "2023-H1"): 50.0, ("WK003458", "2023-H1"): 60.0}
    assert "'BUITENDIJKS' is geen CBS-regiocode" in report.problem_lines()[0]


def test_a_refused_shape_changes_nothing(with_regios, tmp_path):
    con = with_regios
    indicators.refresh(con)
    before = snapshot(con)
    text = '"Perioden";"Particuliere huishoudens (Aantal)"\n"2019";"  457400"\n'
    report = load_file(con, write(tmp_path, "zonder_regio.csv", text), LoadOptions(kind="cbs"))
    assert report.refused and "geen regiokolom gevonden" in report.problem_lines()[0], report.lines()
    assert snapshot(con) == before


def test_cbsodata_saved_by_pandas_with_its_index_column_and_commas(con, tmp_path):
    text = (",ID,WijkenEnBuurten,Gemeentenaam_1,SoortRegio_2,Codering_3,AantalInwoners_5\n"
            "0,0,Amsterdam,Amsterdam,Gemeente,GM0363    ,931298.0\n"
            "1,1,Burgwallen-Oude Zijde,Amsterdam,Wijk,WK036300  ,4315.0\n")
    report = load_file(con, write(tmp_path, "kwb_85984NED_pandas.csv", text), refresh=False)
    assert (report.rows_accepted, report.rows_rejected) == (2, 0), report.lines()
    assert {(k[0], k[1], k[2]): v[0] for k, v in _values(con).items()} == {
        ("GM0363", "2024", "AantalInwoners"): 931298.0, ("WK036300", "2024", "AantalInwoners"): 4315.0}


def test_names_with_a_province_or_region_addition_resolve_without_it(con, tmp_path):
    regios = ("regio_code;regio_naam;niveau;ouder_code\nGM0164;Hengelo;GM;\nGM0888;Beek;GM;\nWK088801;Beek;WK;GM0888\n"
              "JZ35;Midden-Brabant;JZ;\nGM0882;Landgraaf (L.);GM;\n")
    load_file(con, write(tmp_path, "regios.csv", regios), refresh=False)
    text = ("RegioS;Perioden;TotaalJongerenMetJeugdzorg_1\nHengelo (O.);2022;1\nBeek (L.);2022;2\n"
            "Midden-Brabant (Hart van Brabant) (JZ);2022;3\nLandgraaf;2022;4\nNergenshuizen (L.);2022;5\n")
    report = load_file(con, write(tmp_path, "namen.csv", text), refresh=False)
    assert (report.rows_accepted, report.rows_rejected) == (4, 1), report.lines()
    assert {k[0]: v[0] for k, v in _values(con).items()} == {"GM0164": 1.0, "GM0888": 2.0, "JZ35": 3.0,
                                                              "GM0882": 4.0}
    assert "'Nergenshuizen (L.)' is geen CBS-regiocode" in report.problem_lines()[0]


def test_a_wijk_name_codes_a_row_only_in_a_year_it_is_known_in(con, tmp_path):
    known = ("ID;Wijken;Perioden;TotaalJongerenMetJeugdzorgInNatura_1;Codering_20\n"
             "0;Twentsekant;2023;50;WK003479  \n")
    load_file(con, write(tmp_path, "bekend.csv", known), refresh=False)
    text = ("ID;Wijken;Perioden;Begeleiden_1;Codering_20\n"
            "0;Twentsekant;1e halfjaar 2023;10;\n"
            "1;Twentsekant;2019;20;\n")
    report = load_file(con, write(tmp_path, "zonder_code.csv", text), refresh=False)
    assert (report.rows_accepted, report.rows_rejected) == (1, 1), report.lines()
    assert "rij 3" in report.problem_lines()[0] and "in 2019" in report.problem_lines()[0]
    assert _values(con, "Begeleiden") == {("WK003479", "2023-H1", "Begeleiden"): (10.0, None)}
