"""The built-in CBS region reference (store/reference), comparison groups, herindelingen and boundary breaks.

Values are checked against cells read here from the real Gebieden in Nederland files (column names as the files
of that year have them, see ../shared/cbs/real/PROVENANCE.md), not through the reference's own column finding.
"""

from __future__ import annotations

import filecmp
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import indicators
import store
from indicators.regions import benchmark_codes, benchmark_years, comparison_regions
from loaders import load_file
from loaders.report import LoadOptions
from reports.excel import build_workbook
from store.reference import build as reference_build
from tests.loader_files import write

GEBIEDEN = {2019: ("cbs_84378NED_gebieden_in_nederland_2019.csv", "Code_16", "Code_26", "Code_46"),
            2024: ("cbs_85755NED_gebieden_in_nederland_2024.csv", "Code_18", "Code_28", "Code_52")}


@pytest.fixture
def real(shared_cbs) -> Path:
    return shared_cbs / "real"


def gebieden(real: Path, jaar: int) -> pd.DataFrame:
    """gemeente code -> (jz, pv, grootte) as the file of that year has them."""
    name, jz, pv, size = GEBIEDEN[jaar]
    frame = pd.read_csv(real / name, sep=";", dtype=str, encoding="utf-8-sig")
    return pd.DataFrame({"jz": frame[jz].str.strip(), "pv": frame[pv].str.strip(),
                         "grootte": frame[size].str.strip()}).set_axis(frame["Code_1"].str.strip())


def test_shipped_csvs_are_what_the_build_script_makes_from_the_cbs_files(real, tmp_path):
    counts = reference_build.build(real, tmp_path)
    assert counts["wijken"] == 3433  # the 2023 map's 3,434 wijken without GM0998 Buitenland
    for name in ("gemeenten.csv", "regios.csv", "wijken.csv"):
        assert filecmp.cmp(tmp_path / name, reference_build.HERE / name, shallow=False), name


@pytest.mark.parametrize("jaar", [2019, 2024])
def test_jeugdregio_province_and_size_class_per_year_match_the_file(real, con, jaar):
    cells = gebieden(real, jaar)
    for code in ("GM1680", "GM0363", "GM0034", "GM0014", cells.index[-1]):
        jz, pv, size = cells.loc[code]
        got = benchmark_codes(con, code, jaar)
        assert (got["JZ"], got["PV"], got["NL"]) == (jz, pv, "NL01"), code
        assert con.execute("SELECT grootte_code FROM ref_gemeenten WHERE gemeente_code = ? AND jaar = ?",
                           [code, jaar]).fetchone()[0] == int(size)
    # every gemeente of the file, and only those, has a row that year
    got = {r[0] for r in con.execute("SELECT gemeente_code FROM ref_gemeenten WHERE jaar = ?", [jaar]).fetchall()}
    assert got == set(cells.index)


def test_group_size_is_the_number_of_gemeenten_in_that_class_that_year(real, con):
    cells = gebieden(real, 2024)
    size = cells.loc["GM1680", "grootte"]
    vg = {r["niveau"]: r for r in comparison_regions(con, "GM1680", 2024)}["VG"]
    assert sorted(vg["leden"]) == sorted(cells.index[cells["grootte"] == size])
    assert vg["code"] == "VG:20.000 tot 50.000 inwoners" and len(vg["leden"]) > 100


def test_herindelingen_by_year(real, con):
    in_2019 = set(gebieden(real, 2019).index)
    in_2024 = set(gebieden(real, 2024).index)
    # Dijk en Waard (GM1980) exists from 2022: no jeugdregio, province or group before, those of the file after
    years = benchmark_years(con, "GM1980", range(2019, 2026))
    assert sorted(years.loc[years["niveau"] == "JZ", "jaar"]) == [2022, 2023, 2024, 2025]
    assert set(years.loc[years["niveau"] == "JZ", "code"]) == {gebieden(real, 2024).loc["GM1980", "jz"]}
    assert "GM1980" not in in_2019 and "GM1980" in in_2024
    # Groningen merged with Haren (GM0017) and Ten Boer (GM0009) on 1-1-2019: they are in no reference year
    assert "GM0017" not in in_2019 and "GM0014" in in_2019
    haren = benchmark_years(con, "GM0017", [2018, 2019, 2024])
    assert set(haren["niveau"]) == {"NL"}
    # years outside 2019-2024 take the nearest reference year
    assert benchmark_codes(con, "GM0014", 2015)["JZ"] == gebieden(real, 2019).loc["GM0014", "jz"]
    assert benchmark_codes(con, "GM0014", 2030)["JZ"] == gebieden(real, 2024).loc["GM0014", "jz"]
    years = dict(con.execute("SELECT jaar, naam FROM region_years WHERE code = 'GM1980'").fetchall())
    assert years == {2022: "Dijk en Waard", 2023: "Dijk en Waard", 2024: "Dijk en Waard"}


def test_names_as_cbs_writes_them_per_year(con):
    names = dict(con.execute("SELECT code, name FROM regions WHERE load_id = 0").fetchall())
    assert names["NL01"] == "Nederland" and names["PV20"] == "Groningen" and names["GM0518"] == "'s-Gravenhage"
    assert names["WK003401"] == "Centrum Almere Haven"
    per_year = dict(con.execute("SELECT jaar, naam FROM region_years WHERE code = 'PV21'").fetchall())
    assert (per_year[2019], per_year[2024]) == ("Friesland", "Fryslân")
    per_year = dict(con.execute("SELECT jaar, naam FROM region_years WHERE code = 'GM0164'").fetchall())
    assert (per_year[2023], per_year[2024]) == ("Hengelo", "Hengelo (O.)")
    assert con.execute("SELECT count(DISTINCT code) FROM region_years WHERE code LIKE 'JZ%' AND jaar = 2024"
                       ).fetchone()[0] == 42


def test_reference_is_idempotent_and_restored(tmp_path):
    path = tmp_path / "r.duckdb"
    con = store.connect(path)
    counts = con.execute("SELECT (SELECT count(*) FROM regions), (SELECT count(*) FROM region_years)").fetchone()
    con.execute("DELETE FROM regions WHERE code = 'NL01'")  # as when a demo that renamed it is removed
    con.close()
    con = store.connect(path)
    assert con.execute("SELECT (SELECT count(*) FROM regions), (SELECT count(*) FROM region_years)"
                       ).fetchone() == counts
    assert con.execute("SELECT name FROM regions WHERE code = 'NL01'").fetchone()[0] == "Nederland"
    con.close()


def test_a_loaded_regios_file_overrides_the_reference(con, tmp_path):
    text = ("regio_code;regio_naam;niveau;ouder_code;vergelijkingsgroep\n"
            "JZ77;Eigen jeugdregio;JZ;;\n"
            "GM1680;Aa en Hunze;GM;JZ77|PV22;Eigen groep\n"
            "GM0106;Assen;GM;JZ77|PV22;Eigen groep\n")
    report = load_file(con, write(tmp_path, "regios.csv", text), refresh=False)
    assert report.rows_rejected == 0, report.lines()
    for jaar in (2019, 2024):
        got = benchmark_codes(con, "GM1680", jaar)
        assert (got["JZ"], got["PV"], got["VG"]) == ("JZ77", "PV22", "VG:Eigen groep")
    assert benchmark_codes(con, "GM0119", 2024)["JZ"] == "JZ04"  # Meppel: still the reference's Drenthe
    vg = {r["niveau"]: r for r in comparison_regions(con, "GM1680", 2024)}["VG"]
    assert sorted(vg["leden"]) == ["GM0106", "GM1680"]


def kwb(tmp_path, name: str, rows: dict[str, tuple], jaar: int = 2024) -> Path:
    """A KWB-like CBS file with codes in the region column: code -> (inwoners, percentage)."""
    lines = ["WijkenEnBuurten;Perioden;AantalInwoners_5;PercentageEengezinswoning_40"]
    lines += [f"{code};{jaar}JJ00;{n};{p}" for code, (n, p) in rows.items()]
    return write(tmp_path, name, "\n".join(lines) + "\n")


def test_comparison_group_and_regional_sums_from_gemeenten(real, con, tmp_path):
    cells = gebieden(real, 2024)
    drenthe = sorted(cells.index[cells["jz"] == "JZ04"])
    same_class = [c for c in cells.index[cells["grootte"] == "4"] if c not in drenthe][:3]
    rows = {code: (1000 * (i + 1), 10.0 + i) for i, code in enumerate(drenthe + same_class)}
    load_file(con, kwb(tmp_path, "kwb.csv", rows))
    frame = indicators.compute_frame(con, gemeente="GM1680", jaar=2024)
    inw = frame[frame["indicator_id"] == "cbs_AantalInwoners"].set_index("niveau")
    # the whole jeugdregio and province Drenthe have figures: counts add up, a percentage does not
    assert inw.loc["JZ", "waarde"] == sum(rows[c][0] for c in drenthe)
    assert inw.loc["JZ", "bron"] == f"Som van {len(drenthe)} gemeenten (CBS)"
    assert inw.loc["PV", "waarde"] == sum(rows[c][0] for c in cells.index[cells["pv"] == "PV22"])
    pct = frame[frame["indicator_id"] == "cbs_PercentageEengezinswoning"]
    assert set(pct["niveau"]) == {"GM", "VG"}
    members = [c for c in rows if cells.loc[c, "grootte"] == cells.loc["GM1680", "grootte"]]
    total = int((cells["grootte"] == cells.loc["GM1680", "grootte"]).sum())
    assert inw.loc["VG", "waarde"] == pytest.approx(sum(rows[c][0] for c in members) / len(members))
    assert inw.loc["VG", "bron"] == f"Ongewogen gemiddelde van {len(members)} van de {total} gemeenten (CBS)"
    assert inw.loc["VG", "regio_naam"] == "Vergelijkbare gemeenten (20.000 tot 50.000 inwoners)"


def test_no_group_of_one_and_no_sum_of_an_incomplete_region(con, tmp_path):
    load_file(con, kwb(tmp_path, "kwb.csv", {"GM1680": (25000, 40.0), "GM0106": (70000, 30.0)}))
    frame = indicators.compute_frame(con, gemeente="GM1680", jaar=2024)
    assert set(frame["niveau"]) == {"GM"}  # Assen is another size class; Drenthe has 12 gemeenten


def test_kwb_nl00_is_the_netherlands(con, tmp_path):
    load_file(con, kwb(tmp_path, "kwb.csv", {"NL00": (17942942, 70.0), "GM1680": (25845, 60.0)}))
    frame = indicators.compute_frame(con, gemeente="GM1680", jaar=2024)
    nl = frame[(frame["niveau"] == "NL") & (frame["indicator_id"] == "cbs_AantalInwoners")]
    assert nl[["regio_code", "regio_naam", "waarde"]].values.tolist() == [["NL01", "Nederland", 17942942.0]]


def test_almere_boundary_change_is_marked_in_csv_and_workbook(shared_cbs, con, tmp_path):
    # The real file's region and Indeling columns with one measure (the workbook of all 400 takes too long).
    raw = pd.read_csv(shared_cbs / "almere_kwb_2018_2025.csv", sep=";", dtype=str, encoding="utf-8-sig",
                      keep_default_na=False)
    raw = raw[list(raw.columns[:8])]
    assert raw.columns[-1] == "AantalInwoners_5"
    raw.to_csv(tmp_path / "almere_kwb.csv", sep=";", index=False)
    load_file(con, tmp_path / "almere_kwb.csv")
    raw = raw.apply(lambda s: s.str.strip())
    flagged = raw[(raw["SoortRegio_2"] == "Wijk") & raw["IndelingswijzigingGemeenteWijkBuurt_4"].isin(["2", "3"])]
    assert set(flagged["Peildatum"]) == {"1-1-2022"}
    assert indicators.regio_breaks(con, "GM0034") == [2022]
    frame = indicators.compute_frame(con, gemeente="GM0034", indicator_ids=["cbs_AantalInwoners"])
    marked = frame[frame["indelingsbreuk"].notna()]
    assert set(marked["jaar"]) == {2022} and set(marked["niveau"]) == {"WK"}
    assert set(flagged["Codering_3"]) <= set(marked["regio_code"])
    assert "grens gewijzigd (CBS)" in marked.set_index("regio_code").loc["WK003401", "indelingsbreuk"]
    # the CSV of the command line carries it after the contract's columns
    out = tmp_path / "uit.csv"
    con.close()
    from indicators.__main__ import main
    assert main(["--db", str(tmp_path / "test.duckdb"), "compute", "--out", str(out), "--gemeente", "GM0034",
                 "--indicator", "cbs_AantalInwoners"]) == 0
    csv = pd.read_csv(out, dtype=str)
    assert list(csv.columns[-2:]) == ["soort", "indelingsbreuk"]
    rows = csv[csv["regio_code"] == "WK003401"].set_index("periode")["indelingsbreuk"]
    assert rows["2022"].startswith("grens gewijzigd") and pd.isna(rows["2021"]) and pd.isna(rows["2023"])
    con = store.connect(tmp_path / "test.duckdb")
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(con, "GM0034", 2024)))
    texts = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Indelingswijziging: 2022 bij ") for t in texts)
    comments = [c.comment.text for ws in book.worksheets for row in ws.iter_rows() for c in row if c.comment]
    assert any(t.startswith("Indelingswijziging 2022: grens gewijzigd (CBS)") for t in comments)
    con.close()


def test_a_wijk_code_reused_under_a_new_name_is_a_break(con, tmp_path):
    head = "WijkenEnBuurten;Wijknaam;Perioden;JongerenMetJeugdzorgInNatura_1\n"
    for jaar, name in ((2019, "Wijk 01 Almere Haven"), (2021, "Wijk 01 Almere Haven"), (2023, "Centrum Almere Haven")):
        text = head + f"WK003401;{name};{jaar}JJ00;100\nWK003402;Wijk 02 Almere Stad;{jaar}JJ00;50\n"
        load_file(con, write(tmp_path, f"wijken{jaar}.csv", text), refresh=False)
    indicators.refresh(con)
    frame = indicators.compute_frame(con, gemeente="GM0034", indicator_ids=["jeugdhulp_aantal"])
    marks = frame.dropna(subset=["indelingsbreuk"])
    assert marks[["regio_code", "jaar"]].values.tolist() == [["WK003401", 2023]]
    assert marks["indelingsbreuk"].iloc[0] == "zelfde code, andere naam (2021: Wijk 01 Almere Haven)"
    # the trend chart interrupts that wijk's line there and marks the year
    from ui import lines
    reeks = lines.build(frame[frame["niveau"] == "WK"], ["WK003401", "WK003402"], [])
    assert reeks[0].gaps == {2023} and reeks[1].gaps == set()
    assert lines.markers(reeks, [], [2019, 2021, 2023]) == {2023: lines.BREAK_INDELING}


def test_pages_name_jeugdregio_province_nl_and_group_with_only_kwb_loaded(real, tmp_path, monkeypatch):
    from tests.test_app_pages import open_app, shown_text

    cells = gebieden(real, 2024)
    drenthe = sorted(cells.index[cells["jz"] == "JZ04"])
    size = cells.loc["GM1680", "grootte"]
    group = int((cells["grootte"] == size).sum())
    with_figure = [c for c in drenthe if cells.loc[c, "grootte"] == size]
    rows = {"NL00": (17942942, 63.0), "WK168000": (3000, 80.0), "WK168001": (2000, 70.0)}
    rows |= {code: (1000 * (i + 1), 10.0 + i) for i, code in enumerate(drenthe)}
    db = tmp_path / "kwb.duckdb"
    con = store.connect(db)
    load_file(con, kwb(tmp_path, "kwb.csv", rows))
    con.close()
    query = {"gemeente": "Aa en Hunze", "jaar": "2024", "wv_indicator": "Aantal inwoners"}
    text = shown_text(open_app(monkeypatch, db, "pages/wijkverschillen.py", query))
    total = f"{sum(rows[c][0] for c in drenthe):,}".replace(",", ".")
    assert f"jeugdregio Drenthe ({len(drenthe)} gemeenten) {total}" in text
    assert f"provincie Drenthe ({len(drenthe)} gemeenten) {total}" in text
    assert "Nederland 17.942.942" in text
    assert (f"vergelijkbare gemeenten (20.000 tot 50.000 inwoners): {group} gemeenten, "
            f"{len(with_figure)} met een cijfer, gemiddeld") in text
    query["tr_indicator"] = "PercentageEengezinswoning"
    text = shown_text(open_app(monkeypatch, db, "pages/trends.py", query))
    assert f"jeugdregio Drenthe ({len(drenthe)} gemeenten) zonder cijfer (CBS geeft er geen" in text
    assert "Nederland 63,0%" in text
