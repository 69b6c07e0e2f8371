"""The hostile corpus (tests/hostile/corpus.py): every file gets its exact Dutch answer, never a traceback; a refused
file changes nothing; what loads publishes nothing impossible. A representative set goes through the real command
line as a subprocess."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import store
from loaders import LoadOptions, load_file
from tests.conftest import snapshot
from tests.hostile.corpus import POPULATION, REGIOS, build

ROOT = Path(__file__).resolve().parent.parent
CASES = build()
CLI_CASES = [c for c in CASES if c.cli]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    """Regions and a population, loaded through the loaders; each test works on a copy."""
    folder = tmp_path_factory.mktemp("hostile_base")
    path = folder / "base.duckdb"
    con = store.connect(path)
    for name, text in (("regios.csv", REGIOS), ("bevolking.csv", POPULATION)):
        (folder / name).write_text(text, encoding="utf-8")
        report = load_file(con, folder / name, refresh=False)
        assert not report.refused and not report.problems, report.lines()
    con.close()
    return path


def _copy(base: Path, folder: Path) -> Path:
    target = folder / "db.duckdb"
    shutil.copy(base, target)
    return target


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file_in_process(base_db, tmp_path, case):
    con = store.connect(_copy(base_db, tmp_path))
    files = tmp_path / "files"
    files.mkdir()
    path = case.path(files)
    case.write(path)
    before = snapshot(con)
    report = load_file(con, path, LoadOptions(**case.options), refresh=False)
    if case.refused is not None:
        assert report.refused, report.lines()
        assert report.problem_lines() == case.refused
        assert snapshot(con) == before
    else:
        assert not report.refused, report.lines()
        assert report.problem_lines() == case.rejected
        assert report.rows_accepted == case.accepted, report.lines()
    con.close()


def _cli(*args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "JEUGDMONITOR_DB"}
    env["JEUGDMONITOR_LOG"] = str((db or Path("/tmp/x")).parent / "jeugdmonitor.log")
    command = [sys.executable, "-m", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _snapshot_of(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return snapshot(con)
    finally:
        con.close()


def test_hostile_files_through_the_command_line(base_db, tmp_path):
    """`python -m loaders load` on the representative set: the first refused file and the first file that loads
    each alone (exit status 1 and 0), the rest of the refused ones together (exit status 1, every file its exact
    lines in order); no traceback, and the database unchanged after the refusals."""
    db = _copy(base_db, tmp_path)
    files = tmp_path / "files"
    files.mkdir()
    for case in CLI_CASES:
        case.write(case.path(files))
    refused = [c for c in CLI_CASES if c.refused is not None]
    loads = [c for c in CLI_CASES if c.refused is None]
    before = _snapshot_of(db)
    alone = _cli("loaders", "load", str(refused[0].path(files)), "--db", str(db))
    assert (alone.returncode, alone.stdout.splitlines()[1:]) == (1, refused[0].refused), alone.stderr
    together = _cli("loaders", "load", *(str(c.path(files)) for c in refused[1:]), "--db", str(db))
    assert together.returncode == 1
    assert "Traceback" not in together.stderr + alone.stderr, together.stderr
    expected = []
    for case in refused[1:]:
        expected += [f"{case.file}: geweigerd (soort onbekend); er is niets geladen.", *case.refused]
    assert together.stdout.splitlines() == expected
    assert _snapshot_of(db) == before
    for case in loads:
        result = _cli("loaders", "load", str(case.path(files)), "--db", str(db))
        assert result.returncode == 0, (case.name, result.stdout, result.stderr)
        assert result.stdout.splitlines()[1:] == case.rejected, case.name


def test_hostile_command_lines(base_db, tmp_path):
    db = _copy(base_db, tmp_path)
    regios = tmp_path / "regios.csv"
    regios.write_text(REGIOS, encoding="utf-8")
    year = _cli("loaders", "load", str(regios), "--jaar", "99999", "--db", str(db))
    assert year.returncode == 2
    assert "Fout in de opdracht: argument --jaar: --jaar 99999 ligt niet tussen 1900 en 2100" in year.stderr
    not_duckdb = tmp_path / "geen.duckdb"
    not_duckdb.write_bytes(b"SQLite format 3\x00" + bytes(4096))
    for args in (("loaders", "status"), ("indicators", "list"), ("reports", "excel", "--gemeente", "GM0001",
                                                                 "--out", str(tmp_path / "r.xlsx"))):
        result = _cli(*args, "--db", str(not_duckdb), db=db)
        assert result.returncode == 1, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.strip() == (f"{not_duckdb} is geen DuckDB-database (misschien een ander soort bestand "
                                          "of een kapotte kopie); geef met --db de Jeugdmonitor-database op, of een "
                                          "nieuw pad om er een te maken.")
    folder = _cli("loaders", "status", "--db", str(tmp_path))
    assert folder.returncode == 1
    assert folder.stderr.strip().startswith(f"{tmp_path} is een map, geen databasebestand")
    missing = _cli("loaders", "load", str(tmp_path / "nergens.csv"), "--db", str(db))
    assert (missing.returncode, missing.stdout.strip()) == (1, f"{tmp_path / 'nergens.csv'}: bestand niet gevonden.")


def test_open_end_is_no_end_and_referrer_labels(base_db, tmp_path):
    """`31-12-9999` as einddatum loads as "no end"; iJw codes and labels map to the codes, other labels stay their
    own category and get their own indicator."""
    con = store.connect(_copy(base_db, tmp_path))
    header = "client_id;wijk_code;aanmelddatum;startdatum;einddatum;productcategorie;verwijzer"
    rows = [f"V{i};WK00010{1 + i % 2};2024-0{1 + i % 6}-01;2024-0{1 + i % 6}-10;{end};basishulp;{label}"
            for i, (label, end) in enumerate([("Wijkteam Noord", "31-12-9999"), ("wijkteam  noord", ""),
                                              ("Huisarts", "9999-12-31"), ("02", ""), (" GEEN verwijzer ", ""),
                                              ("Raad voor de Kinderbescherming", ""), ("Medisch-specialist", "")])]
    path = tmp_path / "v.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = load_file(con, path)
    assert (report.rows_accepted, report.problems) == (7, []), report.lines()
    stored = con.execute("SELECT client_id, verwijzer, einddatum FROM trajecten ORDER BY client_id").fetchall()
    assert stored == [("V0", "Wijkteam Noord", None), ("V1", "wijkteam noord", None), ("V2", "huisarts", None),
                      ("V3", "huisarts", None), ("V4", "geen", None), ("V5", "rechter", None),
                      ("V6", "medisch_specialist", None)]
    ids = {r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM indicator_values").fetchall()}
    assert {"verwijzer_wijkteam_noord_pct", "verwijzer_huisarts_pct", "verwijzer_rechter_pct"} <= ids
    con.close()


def test_nothing_impossible_is_published(base_db, tmp_path):
    """Participants loaded before their population (so no load-time check could see it), a negative budget: the
    indicator layer withholds what cannot be true, and every row of the corpus that loads publishes nothing
    impossible."""
    con = store.connect(_copy(base_db, tmp_path))
    con.execute("DELETE FROM bevolking")
    files = tmp_path / "files"
    files.mkdir()
    for case in CASES:
        if case.refused is None and not case.file.endswith(".json"):
            case.write(case.path(files))
            load_file(con, case.path(files), LoadOptions(**case.options), refresh=False)
    later = files / "bevolking_later.csv"
    later.write_text(POPULATION, encoding="utf-8")
    load_file(con, later, refresh=False)
    budget = files / "negatief.csv"
    budget.write_text("jaar;regio_code;soort;bedrag;categorie\n2024;GM0001;realisatie;-500;preventief\n"
                      "2024;GM0001;realisatie;100;individueel_ambulant\n", encoding="utf-8")
    load_file(con, budget)
    assert con.execute("SELECT max(deelnemers) FROM bereik_aantallen").fetchone()[0] == 1_000_000
    values = con.execute("""SELECT indicator_id, eenheid, waarde, teller, noemer FROM indicator_values
                            WHERE NOT starts_with(indicator_id, 'cbs_')""").fetchall()
    assert values
    published = {v[0] for v in values if v[2] is not None}
    assert "bereik_preventief_pct" not in published or all(
        v[2] <= 100 for v in values if v[0] == "bereik_preventief_pct" and v[2] is not None)
    for indicator, unit, waarde, teller, noemer in values:
        for number in (waarde, teller, noemer):
            assert number is None or math.isfinite(number), indicator
        if unit in ("%", "aantal", "dagen", "ratio"):
            assert waarde is None or waarde >= 0, (indicator, waarde)
        if unit == "%":
            assert waarde is None or waarde <= 100, (indicator, waarde)
        assert teller is None or teller >= 0
        assert noemer is None or noemer >= 0
    reach = con.execute("SELECT waarde FROM indicator_values WHERE indicator_id = 'bereik_preventief_pct' "
                        "AND regio_code = 'WK000101'").fetchall()
    assert reach in ([], [(None,)])
    share = con.execute("SELECT waarde FROM indicator_values WHERE indicator_id = 'preventief_budget_aandeel_pct' "
                        "AND regio_code = 'GM0001'").fetchall()
    assert share in ([], [(None,)])
    con.close()


def test_csv_export_never_starts_a_formula(base_db, tmp_path):
    """Names already in a database (written before these checks existed) leave the CSV as text, not formulas."""
    db = _copy(base_db, tmp_path)
    con = store.connect(db)
    bereik = tmp_path / "bereik.csv"
    bereik.write_text("jaar;wijk_code;aanbod;soort;deelnemers\n2024;WK000101;Cursus;preventief;20\n"
                      "2024;WK000102;Cursus;preventief;15\n", encoding="utf-8")
    assert not load_file(con, bereik, refresh=False).problems
    con.execute("UPDATE regions SET name = '=HYPERLINK(\"http://x.invalid\")' WHERE code = 'WK000101'")
    con.execute("UPDATE regions SET name = '+cmd|calc' WHERE code = 'WK000102'")
    con.execute("UPDATE regions SET name = '@SUM(1)' WHERE code = 'GM0001'")
    con.close()
    out = tmp_path / "indicatoren.csv"
    result = _cli("indicators", "compute", "--out", str(out), "--db", str(db), db=db)
    assert result.returncode == 0, result.stderr
    import csv

    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    names = {r["regio_naam"] for r in rows}
    assert {"'=HYPERLINK(\"http://x.invalid\")", "'+cmd|calc", "'@SUM(1)"} <= names
    for row in rows:
        for column, text in row.items():
            if column in ("waarde", "teller", "noemer", "ondergrens", "bovengrens") and text:
                float(text)
                continue
            assert not text.startswith(("=", "+", "-", "@", "\t", "\r")), (column, text)
