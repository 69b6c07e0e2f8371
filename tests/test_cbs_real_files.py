"""Every real CBS table in ../shared/cbs/real/, loaded once for this module without options, checked against values
read here straight from the raw files with the csv module (not through the loaders)."""

from __future__ import annotations

import csv
import shutil

import pytest

import indicators
import store
from loaders import LoadOptions, load_file
from loaders.cbs_regions import CODE_FORM
from tests.conftest import SHARED_CBS
from tests.loader_files import write

REAL = SHARED_CBS / "real"
WIJK_TABLES = {"cbs_83563NED.csv": "Codering_3", "cbs_84615NED.csv": "Codering_24", "cbs_85075NED.csv": "Codering_20",
               "cbs_85685NED.csv": "Codering_20"}
FILES = [*WIJK_TABLES, "cbs_85100NED.csv", "cbs_84413NED.csv", "cbs_85984NED.csv",
         "statline_SES_WOA_amsterdam_2019.csv"]
# A few regions by the names the Gebieden in Nederland tables give them (codes looked up there), until the built-in
# reference lands: enough to resolve the names-only tables' national, province, jeugdregio and gemeente rows.
REGIOS = """regio_code;regio_naam;niveau;ouder_code
NL01;Nederland;NL;
PV20;Groningen;PV;NL01
PV25;Gelderland;PV;NL01
JZ01;Groningen;JZ;PV20
JZ25;Achterhoek;JZ;PV25
GM0014;Groningen;GM;JZ01|PV20
GM0034;Almere;GM;
GM0197;Aalten;GM;JZ25|PV25
"""


def raw_rows(name: str) -> list[dict[str, str]]:
    with (REAL / name).open(encoding="utf-8-sig", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle, delimiter=";")]


def periode(label: str) -> str:
    """The contract's periode for the labels these files use, written out here independently of the loader."""
    words, year = label.rsplit(" ", 1) if " " in label else ("", label)
    half = {"1e halfjaar": "-H1", "2e halfjaar": "-H2", "1e half jaar": "-H1", "": ""}[words]
    return year + half


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if not REAL.is_dir():
        pytest.skip(f"de echte CBS-bestanden staan niet in {REAL} (alleen beschikbaar naast de repository)")
    folder = tmp_path_factory.mktemp("real")
    con = store.connect(folder / "real.duckdb")
    load_file(con, write(folder, "regios.csv", REGIOS), refresh=False)
    reports = {name: load_file(con, REAL / name, refresh=False) for name in FILES}
    indicators.refresh(con)
    yield con.cursor(), reports
    con.close()


def value(cur, measure, regio, periode_, table=None):
    row = cur.execute(
        "SELECT value, missing_reason FROM cbs_values WHERE measure = ? AND regio_code = ? AND periode = ? "
        "AND (? IS NULL OR table_id = ?)", [measure, regio, periode_, table, table]).fetchall()
    assert len(row) == 1, (measure, regio, periode_, row)
    return row[0]


def published(cur, indicator_id, regio, periode_, soort=""):
    row = cur.execute("SELECT waarde FROM indicator_values WHERE indicator_id = ? AND regio_code = ? AND periode = ? "
                      "AND soort = ?", [indicator_id, regio, periode_, soort]).fetchall()
    assert len(row) == 1, (indicator_id, regio, periode_, row)
    return row[0][0]


def test_every_real_table_loads_without_any_option(real):
    _, reports = real
    for name, report in reports.items():
        assert not report.refused and report.kind == "cbs", report.lines()[:3]
        assert report.rows_accepted + report.rows_rejected == len(raw_rows(name)), name
        assert report.rows_accepted > 0, name


@pytest.mark.parametrize("name", list(WIJK_TABLES))
def test_wijk_tables_by_half_year_and_year_against_the_raw_file(real, name):
    cur, reports = real
    rows, code_col = raw_rows(name), WIJK_TABLES[name]
    count_col = next(c for c in rows[0] if c.startswith("TotaalJongerenMetJeugdzorg"))
    dim = "TypeJeugdzorg" if "TypeJeugdzorg" in rows[0] else "VormenVanJeugdzorg"
    without_code = {n + 2 for n, r in enumerate(rows) if not r[code_col]}
    rejected = {p.row for p in reports[name].problems}
    assert rejected <= without_code, "only rows CBS left without a code can be rejected (where the name is unknown)"
    assert all("geen CBS-regiocode" in line or "niet eenduidig" in line for line in reports[name].problem_lines())
    table = name[4:12]
    for row in rows[:: 331]:
        if not row[code_col]:
            continue
        measure = f"{count_col.rsplit('_', 1)[0]}|{dim}={row[dim]}"
        expected = (float(row[count_col]), None) if row[count_col] else (None, "leeg")
        assert value(cur, measure, row[code_col], periode(row["Perioden"]), table) == expected, row["ID"]
        if row[count_col] and row[code_col] != "NL01":
            assert published(cur, "jeugdhulp_aantal", row[code_col], periode(row["Perioden"])) \
                == float(row[count_col])


def test_national_total_is_not_overwritten(real):
    cur, _ = real
    first = raw_rows("cbs_84615NED.csv")[0]
    assert (first["Wijken"], first["Perioden"]) == ("Nederland", "1e halfjaar 2019")
    assert published(cur, "jeugdhulp_aantal", "NL01", "2019-H1") == float(first["TotaalJongerenMetJeugdzorgInNatura_1"])
    assert published(cur, "jeugdhulp_aantal", "NL01", "2019-H1") == 372480.0


def test_almere_boundary_change_6_wijken_in_2019_and_2021_71_in_2023(real):
    """Almere has 71 wijken in 2023; in this export one (`Twentsekant`, WK003479) comes without its code, so it is
    coded by name where the database knows that wijk name in 2023 (the built-in reference of the wijk map)."""
    cur, reports = real
    knows = not any("Twentsekant" in line for line in reports["cbs_85685NED.csv"].problem_lines())
    if knows:
        assert cur.execute("SELECT count(*) FROM cbs_values WHERE regio_code = 'WK003479' AND table_id = '85685NED'"
                           ).fetchone()[0] > 0
    for name, col, expected in (("cbs_84615NED.csv", "Codering_24", 6), ("cbs_85075NED.csv", "Codering_20", 6),
                                ("cbs_85685NED.csv", "Codering_20", 70)):
        in_file = {r[col] for r in raw_rows(name) if r[col].startswith("WK0034")}
        loaded = cur.execute("SELECT count(DISTINCT regio_code) FROM cbs_values WHERE table_id = ? "
                             "AND regio_code LIKE 'WK0034%'", [name[4:12]]).fetchone()[0]
        assert len(in_file) == expected, name
        assert loaded == expected + (knows and name == "cbs_85685NED.csv"), name
    years = dict(cur.execute("SELECT jaar, count(DISTINCT regio_code) FROM cbs_values WHERE regio_code LIKE "
                             "'WK0034%' GROUP BY jaar").fetchall())
    assert (years[2019], years[2021], years[2023]) == (6, 6, 70 + knows)


def test_referrer_shares_from_cbs_beside_own_registration(real):
    cur, _ = real
    row = next(r for r in raw_rows("cbs_85685NED.csv")
               if r["Codering_20"].startswith("WK0034") and r["Perioden"] == "2023" and r["Huisarts_11"])
    share = 100 * float(row["Huisarts_11"]) / float(row["TotaalTrajectenInNatura_9"])
    assert published(cur, "verwijzer_huisarts_pct", row["Codering_20"], "2023", soort="cbs") == pytest.approx(share)


def test_kwb_2024_letter_codes_and_no_name_becomes_a_code(real):
    cur, reports = real
    assert reports["cbs_85984NED.csv"].rows_rejected == 0
    rows = raw_rows("cbs_85984NED.csv")
    letters = [r for r in rows if r["Codering_3"].startswith("WK0363A")]
    assert letters, "the file has Amsterdam's letter codes"
    for row in letters:
        assert value(cur, "AantalInwoners", row["Codering_3"], "2024", "85984NED") == (float(row["AantalInwoners_5"]),
                                                                                      None)
    codes = [c for (c,) in cur.execute("SELECT code FROM regions").fetchall()]
    assert all(CODE_FORM.fullmatch(c) for c in codes), [c for c in codes if not CODE_FORM.fullmatch(c)][:5]
    bu_names = {r["WijkenEnBuurten"] for r in rows if r["WijkenEnBuurten"].upper().startswith("BU")}
    assert len(bu_names) > 100 and not set(map(str.upper, bu_names)) & set(codes)
    name = cur.execute("SELECT name FROM regions WHERE code = 'WK0363KQ'").fetchone()[0]
    assert name == next(r["WijkenEnBuurten"] for r in rows if r["Codering_3"] == "WK0363KQ")


def test_kwb_without_period_column_needs_its_table_id(tmp_path):
    if not REAL.is_dir():
        pytest.skip(f"de echte CBS-bestanden staan niet in {REAL}")
    copy = shutil.copy(REAL / "cbs_85984NED.csv", tmp_path / "kerncijfers.csv")
    con = store.connect(tmp_path / "kwb.duckdb")
    refused = load_file(con, copy, refresh=False)
    assert refused.refused and "--table" in refused.problem_lines()[0]
    report = load_file(con, copy, LoadOptions(table="85984NED"), refresh=False)
    assert (report.rows_accepted, report.rows_rejected) == (10_000, 0)
    assert con.execute("SELECT DISTINCT periode FROM cbs_values").fetchall() == [("2024",)]
    con.close()


def test_names_only_table_85100ned_with_its_three_forms_of_care(real):
    cur, reports = real
    rows = raw_rows("cbs_85100NED.csv")
    forms = {"JZ Totaal jeugdzorg in natura": "jeugdhulp_aantal", "JZ Totaal jeugdzorg": "jeugdzorg_totaal_aantal",
             "JH 1 Totaal jeugdhulp": "jeugdhulp_totaal_aantal"}
    assert {r["VormenVanJeugdzorg"] for r in rows} == set(forms)
    regions = {"Nederland": "NL01", "Groningen (PV)": "PV20", "Groningen (JZ)": "JZ01", "Achterhoek (JZ)": "JZ25",
               "Groningen (gemeente)": "GM0014", "Almere": "GM0034", "Aalten": "GM0197"}
    checked = set()
    for row in rows:
        code = regions.get(row["RegioS"])
        if code is None or row["Perioden"] not in ("2021", "1e halfjaar 2022", "1e half jaar 2024"):
            continue
        measure = f"TotaalJongerenMetJeugdzorg|Persoonskenmerken=10000|VormenVanJeugdzorg={row['VormenVanJeugdzorg']}"
        assert value(cur, measure, code, periode(row["Perioden"]), "85100NED") == (
            float(row["TotaalJongerenMetJeugdzorg_1"]), None)
        checked.add((row["VormenVanJeugdzorg"], code))
        if row["VormenVanJeugdzorg"] != "JZ Totaal jeugdzorg in natura" or code not in ("NL01", "GM0034"):
            # where a wijk table gives the same total for NL or a gemeente, that one may be published
            assert published(cur, forms[row["VormenVanJeugdzorg"]], code, periode(row["Perioden"])) == float(
                row["TotaalJongerenMetJeugdzorg_1"])
    assert {f for f, _ in checked} == set(forms) and {c for _, c in checked} >= {"NL01", "PV20", "JZ25", "GM0014"}
    # A COROP name resolves only where the database knows COROP-gebieden (the built-in reference); else it says so.
    unresolved = [line for line in reports["cbs_85100NED.csv"].problem_lines() if "Achterhoek (CR)" in line]
    corop = cur.execute("SELECT count(*) FROM cbs_values WHERE table_id = '85100NED' AND regio_code LIKE 'CR%'"
                        ).fetchone()[0]
    assert (unresolved and "geen regionaam" in unresolved[0] and not corop) or (corop and not unresolved)


def test_iv3_table_by_region_names_and_taakveld_titles(real):
    cur, reports = real
    rows = raw_rows("cbs_84413NED.csv")
    national = next(r for r in rows if r["Regiokenmerken"] == "Nederland" and r["Perioden"] == "2019"
                    and r["GemeentelijkeTaakvelden"] == "Totaal gemeentelijke taakvelden")
    measure = "Baten_1|GemeentelijkeTaakvelden=Totaal gemeentelijke taakvelden"
    assert value(cur, measure, "NL01", "2019", "84413NED") == (float(national["Baten_1"]), None)
    groningen = next(r for r in rows if r["Regiokenmerken"] == "Groningen (PV)" and r["Perioden"] == "2020"
                     and r["GemeentelijkeTaakvelden"] == "Overhead")
    measure = "Lasten_5|GemeentelijkeTaakvelden=Overhead"
    assert value(cur, measure, "PV20", "2020", "84413NED") == (float(groningen["Lasten_5"]), None)
    size_class = [line for line in reports["cbs_84413NED.csv"].problem_lines() if "250 000 inwoners of meer" in line]
    assert size_class and "kolom Regiokenmerken" in size_class[0]


def test_statline_web_download_of_ses_woa(real):
    cur, reports = real
    assert reports["statline_SES_WOA_amsterdam_2019.csv"].rows_rejected == 0
    with (REAL / "statline_SES_WOA_amsterdam_2019.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[2] == "Regiocode (gemeente, wijk, buurt) (code)"
    for row in body[:: 37]:
        code = row[2].strip()
        for col, measure in ((3, "ParticuliereHuishoudens"), (4, "OpleidingsniveauLaagWaarde"),
                             (7, "SESWOATotaalscoreGemiddeldeScore")):
            text = row[col].strip()
            expected = (None, "onbekend") if text == "." else (float(text), None)
            assert value(cur, measure, code, row[0]) == expected, (code, measure)
    unit = cur.execute("SELECT unit FROM cbs_measures WHERE measure = 'OpleidingsniveauLaagWaarde'").fetchone()
    assert unit == ("%",)


def test_names_only_tables_resolve_through_the_built_in_reference(tmp_path):
    """On a fresh database, without any regios file: 85100NED and 84413NED by name alone."""
    if not REAL.is_dir():
        pytest.skip(f"de echte CBS-bestanden staan niet in {REAL}")
    con = store.connect(tmp_path / "referentie.duckdb")
    cur = con.cursor()
    assert cur.execute("SELECT count(*) FROM regions WHERE niveau = 'JZ'").fetchone()[0] == 42, \
        "the built-in region reference names every jeugdzorgregio on a fresh database"
    report = load_file(con, REAL / "cbs_85100NED.csv", refresh=False)
    assert (report.rows_accepted, report.rows_rejected) == (10_000, 0), report.lines()[:5]
    code = {(name, niveau): c for c, name, niveau in cur.execute("SELECT code, name, niveau FROM regions").fetchall()}
    total = "TotaalJongerenMetJeugdzorg|Persoonskenmerken=10000|VormenVanJeugdzorg=JZ Totaal jeugdzorg"
    for row in raw_rows("cbs_85100NED.csv"):
        if row["Perioden"] != "2021" or row["VormenVanJeugdzorg"] != "JZ Totaal jeugdzorg":
            continue
        where = {"Achterhoek (JZ)": ("Achterhoek", "JZ"), "Achterhoek (CR)": ("Achterhoek", "CR"),
                 "Noord-Nederland (LD)": ("Noord-Nederland", "LD"), "'s-Gravenhage (gemeente)": ("'s-Gravenhage", "GM"),
                 "Groningen (PV)": ("Groningen", "PV")}.get(row["RegioS"])
        if where:
            assert value(cur, total, code[where], "2021") == (float(row["TotaalJongerenMetJeugdzorg_1"]), None)
    iv3 = load_file(con, REAL / "cbs_84413NED.csv", refresh=False)
    size_classes = [r for r in raw_rows("cbs_84413NED.csv") if r["Regiokenmerken"].endswith("inwoners")
                    or r["Regiokenmerken"].endswith("inwoners of meer")]
    assert iv3.rows_rejected == len(size_classes) > 0, iv3.lines()[:3]
    con.close()
