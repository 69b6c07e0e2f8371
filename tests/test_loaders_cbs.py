"""CBS StatLine files: the quirks of real exports, and the real Almere file."""

from __future__ import annotations

import json

import pytest

from loaders import LoadOptions, load_file
from tests.loader_files import write

KWB_HEADER = "ID;WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;AantalInwoners_5;" \
             "JongerenMetJeugdzorgInNatura_96;PercentageJongerenMetJeugdzorg_97"


def kwb_line(code, name, soort, inwoners, jeugd, pct):
    return f"1;{code:<10};{name:<40};{soort:<10};{code:<10};{inwoners};{jeugd};{pct}"


def values(con, measure):
    return dict(
        ((code, periode), (value, reason)) for code, periode, value, reason in con.cursor().execute(
            "SELECT regio_code, periode, value, missing_reason FROM cbs_values WHERE measure = ?", [measure]
        ).fetchall()
    )


def test_kwb_csv_with_bom_padding_decimal_comma_and_every_missing_symbol(con, tmp_path):
    symbols = {".": "onbekend", "x": "geheim", "-": "nihil", "\u2212": "nihil", "": "leeg", "null": "leeg",
               "-99997": "geheim", "-99995": "later", "-99991": "vervallen"}
    lines = [KWB_HEADER, kwb_line("GM0001", "Testgemeente", "Gemeente", "1000", "120", "11,4")]
    for i, symbol in enumerate(symbols, start=1):
        lines.append(kwb_line(f"WK0001{i:02d}", "Testgemeente", "Wijk", "100", symbol, symbol))
    path = write(tmp_path, "kwb.csv", "\ufeff" + "\n".join(lines) + "\n")
    report = load_file(con, path, LoadOptions(table="85618NED"), refresh=False)
    assert (report.rows_accepted, report.rows_rejected) == (10, 0), report.lines()
    got = values(con, "JongerenMetJeugdzorgInNatura")
    assert got[("GM0001", "2023")] == (120.0, None)
    for i, reason in enumerate(symbols.values(), start=1):
        assert got[(f"WK0001{i:02d}", "2023")] == (None, reason)
    assert values(con, "PercentageJongerenMetJeugdzorg")[("GM0001", "2023")] == (11.4, None)
    assert values(con, "AantalInwoners")[("GM0001", "2023")] == (1000.0, None)
    regions = con.cursor().execute(
        "SELECT code, name, niveau FROM regions WHERE code LIKE '%0001%' ORDER BY code").fetchall()
    assert regions[0] == ("GM0001", "Testgemeente", "GM")
    assert regions[1] == ("WK000101", None, "WK")
    assert con.cursor().execute("SELECT parent_code FROM region_parents WHERE code = 'WK000101'").fetchall() == [
        ("GM0001",)
    ]


def test_periods_from_perioden_codes(con, tmp_path):
    text = "RegioS;Perioden;JongerenMetJeugdzorg_1\nGM0001    ;2023JJ00;10\nGM0001;2023HJ01;5\nGM0001;2023KW02*;3\n"
    load_file(con, write(tmp_path, "p.csv", text), refresh=False)
    rows = con.cursor().execute("SELECT periode, jaar, value, status FROM cbs_values ORDER BY periode").fetchall()
    assert rows == [("2023", 2023, 10.0, None), ("2023-H1", 2023, 5.0, None), ("2023-Q2", 2023, 3.0, "voorlopig")]


def test_jaar_option_and_known_table_id(con, tmp_path):
    text = "WijkenEnBuurten;AantalInwoners_5\nGM0001    ;100\n"
    load_file(con, write(tmp_path, "a.csv", text), LoadOptions(jaar=2021), refresh=False)
    load_file(con, write(tmp_path, "b.csv", text.replace("100", "200")), LoadOptions(table="85984NED"),
              refresh=False)
    assert sorted(con.cursor().execute("SELECT periode, value FROM cbs_values").fetchall()) == [
        ("2021", 100.0), ("2024", 200.0)
    ]


def test_odata_v3_json_with_datapropertie_titles(con, tmp_path, shared_cbs):
    records = {"value": [
        {"ID": 0, "WijkenEnBuurten": "WK034401  ", "Gemeentenaam_1": "Utrecht", "JongerenMetJeugdzorgInNatura_98": 35,
         "PercentageJongerenMetJeugdzorg_99": 11.2},
        {"ID": 1, "WijkenEnBuurten": "GM0344    ", "Gemeentenaam_1": "Utrecht", "JongerenMetJeugdzorgInNatura_98": None,
         "PercentageJongerenMetJeugdzorg_99": 10.1},
    ]}
    path = write(tmp_path, "odata.json", json.dumps(records))
    meta = shared_cbs / "85984NED_DataProperties.json"
    report = load_file(con, path, LoadOptions(table="85984NED", meta=str(meta)), refresh=False)
    assert (report.kind, report.rows_accepted) == ("cbs", 2), report.lines()
    got = values(con, "JongerenMetJeugdzorgInNatura")
    assert got == {("WK034401", "2024"): (35.0, None), ("GM0344", "2024"): (None, "leeg")}
    title = con.cursor().execute(
        "SELECT title, unit FROM cbs_measures WHERE measure = 'PercentageJongerenMetJeugdzorg'").fetchall()[0]
    assert "jeugdzorg" in title[0].lower() and title[1] is not None


def test_cbs_long_odata4_with_dimensions_and_measure_codes(con, tmp_path):
    meta = write(tmp_path, "codes.csv", "Identifier;Title;Unit\nM001;Jongeren met jeugdzorg;aantal\n")
    text = ("Id;Measure;ValueAttribute;Value;WijkenEnBuurten;Perioden;TypeJeugdzorg\n"
            "1;M001;None;40;WK000101  ;2023JJ00;A041\n"
            "2;M001;Secret;.;WK000101  ;2023JJ00;A042\n")
    report = load_file(con, write(tmp_path, "long.csv", text), LoadOptions(meta=str(meta)), refresh=False)
    assert (report.kind, report.rows_accepted) == ("cbs-long", 2), report.lines()
    rows = con.cursor().execute("SELECT measure, value, missing_reason FROM cbs_values ORDER BY 1").fetchall()
    assert rows == [("M001|TypeJeugdzorg=A041", 40.0, None), ("M001|TypeJeugdzorg=A042", None, "geheim")]
    titles = con.cursor().execute("SELECT title FROM cbs_measures ORDER BY measure").fetchall()
    assert titles[0] == ("Jongeren met jeugdzorg (TypeJeugdzorg A041)",)


def test_same_stem_with_different_content_keeps_full_keys(con, tmp_path):
    text = "WijkenEnBuurten;Nederland_17;Nederland_20\nGM0001;100;80\n"
    load_file(con, write(tmp_path, "h.csv", text), LoadOptions(jaar=2020), refresh=False)
    assert sorted(con.cursor().execute("SELECT measure, value FROM cbs_values").fetchall()) == [
        ("Nederland_17", 100.0), ("Nederland_20", 80.0)
    ]


def test_real_almere_file(con, shared_cbs):
    report = load_file(con, shared_cbs / "almere_kwb_2018_2025.csv", refresh=False)
    assert (report.kind, report.rows_accepted, report.rows_rejected) == ("cbs", 1536, 0)
    assert any("PercentageJongerenMetJeugdzorg" in w and "niet als percentage" in w for w in report.warnings)
    cur = con.cursor()
    per_year = dict(cur.execute(
        "SELECT jaar, count(DISTINCT regio_code) FROM cbs_values WHERE regio_code LIKE 'WK%' GROUP BY jaar"
    ).fetchall())
    assert per_year[2021] == 6 and per_year[2022] == 71, "Almere redrew its wijken in 2022"
    counts = values(con, "JongerenMetJeugdzorgInNatura")
    assert counts[("GM0034", "2023")] == (7160.0, None)
    assert counts[("WK003401", "2018")] == (455.0, None)
    assert counts[("WK003414", "2023")] == (None, "leeg"), "a suppressed cell is missing, never zero"
    invalid = cur.execute(
        "SELECT percentage_invalid FROM cbs_measures WHERE measure = 'PercentageJongerenMetJeugdzorg'"
    ).fetchall()
    assert invalid == [(True,)]
    assert cur.execute("SELECT count(*) FROM regions WHERE niveau = 'BU'").fetchall()[0][0] > 250
