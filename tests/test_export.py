"""`python -m indicators export --parquet DIR`: the published figures per gemeente, read back from the files.

The demo database is exported through the real command line and the Parquet files are read with DuckDB on their
own, not through the reader the app uses (`store.published`), which has its own tests.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from indicators.__main__ import main
from store.export import DEMO_LABEL, HIVE_NULL, MANIFEST, REAL_LABEL

ROOT = Path(__file__).resolve().parent.parent
# Columns that would identify a person or a trajectory, or give its dates: none may leave the database.
MICRODATA = {"client_id", "huishouden_id", "aanmelddatum", "toewijzingsdatum", "startdatum", "einddatum",
             "geboortejaar", "aanbieder", "sha256", "missing_reason", "deelnemers"}


@pytest.fixture(scope="module")
def exported(demo_db, tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("export")
    db = folder / "demo.duckdb"
    shutil.copy(demo_db, db)
    assert main(["--db", str(db), "export", "--parquet", str(folder / "uit")]) == 0
    return db, folder / "uit"


def _files(target: Path) -> list[Path]:
    return sorted(target.rglob("*.parquet"))


def test_indicator_values_are_split_by_gemeente_with_the_benchmark_levels_apart(exported):
    db, target = exported
    with duckdb.connect(str(db), read_only=True) as con:
        gemeenten = {r[0] for r in con.execute("SELECT DISTINCT gemeente_code FROM indicator_values "
                                               "WHERE gemeente_code IS NOT NULL").fetchall()}
        table = sorted(map(repr, con.execute("SELECT * FROM indicator_values").fetchall()))
    folders = {p.name for p in (target / "indicator_values").iterdir()}
    assert folders == {f"gemeente_code={g}" for g in gemeenten} | {f"gemeente_code={HIVE_NULL}"}
    con = duckdb.connect()
    loose = con.read_parquet(str(target / "indicator_values" / f"gemeente_code={HIVE_NULL}" / "*.parquet"))
    levels = {r[0] for r in loose.select("niveau").distinct().fetchall()}
    assert levels and levels <= {"JZ", "PV", "NL", "VG"}
    one = con.read_parquet(str(target / "indicator_values" / "gemeente_code=GM9999" / "*.parquet"))
    assert {r[0] for r in one.select("niveau").distinct().fetchall()} == {"GM", "WK"}
    # Read back as a whole, the export is the published table, row for row (suppressed rows without a value).
    back = con.read_parquet(str(target / "indicator_values" / "*" / "*.parquet"), hive_partitioning=True)
    with duckdb.connect(str(db), read_only=True) as source:
        columns = [r[0] for r in source.execute("DESCRIBE indicator_values").fetchall()]
    assert sorted(map(repr, back.select(*map(duckdb.ColumnExpression, columns)).fetchall())) == table
    assert back.filter("onderdrukt AND waarde IS NOT NULL").fetchall() == []


def test_manifest_counts_rows_and_says_the_demo_is_fictional(exported):
    db, target = exported
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["demo"] is True and manifest["label"] == DEMO_LABEL and "fictieve" in manifest["label"]
    assert manifest["bron_database"] == str(db.resolve())
    con = duckdb.connect()
    with duckdb.connect(str(db), read_only=True) as source:
        for name in ("indicator_values", "wachttijd_verdeling", "regions", "streefwaarden", "load_log"):
            assert manifest["rijen"][name] == source.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    assert manifest["rijen"]["wachttijd_verdeling"] > 0
    for path in _files(target):
        meta = dict(con.execute("SELECT key, value FROM parquet_kv_metadata(?)", [str(path)]).fetchall())
        assert meta[b"jeugdmonitor"].decode() == DEMO_LABEL, path


def test_no_microdata_leaves_the_database(exported):
    _, target = exported
    con = duckdb.connect()
    for path in _files(target):
        columns = {r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()}
        assert not columns & MICRODATA, (path, columns & MICRODATA)
    names = {p.name for p in target.iterdir()}
    assert not names & {"bevolking.parquet", "bereik_deelnemers.parquet", "bereik_aantallen.parquet"}
    labels = con.read_parquet(str(target / "trajecten.parquet"))
    assert set(labels.columns) == {"verwijzer", "productcategorie"}
    assert set(con.read_parquet(str(target / "cbs_values.parquet")).columns) == {"table_id", "measure"}


def test_a_real_database_is_never_labelled_fictional(demo_db, tmp_path):
    db = tmp_path / "eigen.duckdb"
    shutil.copy(demo_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE load_log SET is_demo = false")
    assert main(["--db", str(db), "export", "--parquet", str(tmp_path / "uit")]) == 0
    manifest = json.loads((tmp_path / "uit" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["demo"] is False and manifest["label"] == REAL_LABEL
    con = duckdb.connect()
    for path in _files(tmp_path / "uit"):
        meta = dict(con.execute("SELECT key, value FROM parquet_kv_metadata(?)", [str(path)]).fetchall())
        assert "fictie" not in meta[b"jeugdmonitor"].decode()


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indicators", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_an_existing_folder_is_refused_and_left_alone(exported, tmp_path):
    db, _ = exported
    target = tmp_path / "bestaat"
    target.mkdir()
    (target / "van_iemand.txt").write_text("blijft staan", encoding="utf-8")
    done = _cli("--db", str(db), "export", "--parquet", str(target))
    assert done.returncode == 1, done.stderr
    assert "bestaat al" in done.stderr and str(target) in done.stderr and "Traceback" not in done.stderr
    assert [p.name for p in target.iterdir()] == ["van_iemand.txt"]


def test_a_folder_that_cannot_be_written_is_refused_in_dutch(exported, tmp_path):
    db, _ = exported
    # /sys refuses new folders even to root; an ordinary user is refused before trying.
    done = _cli("--db", str(db), "export", "--parquet", "/sys/jeugdmonitor_export")
    assert done.returncode == 1, done.stderr
    assert "/sys" in done.stderr and ("geen toegang" in done.stderr or "geen toestemming" in done.stderr)
    assert "Traceback" not in done.stderr and not Path("/sys/jeugdmonitor_export").exists()
    missing = _cli("--db", str(db), "export", "--parquet", str(tmp_path / "nergens" / "uit"))
    assert missing.returncode == 1 and "bestaat niet" in missing.stderr
    no_db = _cli("--db", str(tmp_path / "geen.duckdb"), "export", "--parquet", str(tmp_path / "uit"))
    assert no_db.returncode == 1 and "Database niet gevonden" in no_db.stderr
    assert not (tmp_path / "uit").exists()
    assert not [p for p in tmp_path.iterdir() if ".bezig-" in p.name]


def test_an_export_appears_whole_or_not_at_all(exported, tmp_path):
    """A failure halfway (here: the last table is missing, after the others are written) leaves neither the target
    nor the work folder: a reader never sees half an export."""
    from store.export import TABLES, export_parquet

    db = tmp_path / "kapot.duckdb"
    shutil.copy(exported[0], db)
    target = tmp_path / "uit"
    with duckdb.connect(str(db)) as con:
        con.execute(f"DROP TABLE {TABLES[-1].name}")
        with pytest.raises(duckdb.CatalogException):
            export_parquet(con, target, db)
    assert [p.name for p in tmp_path.iterdir()] == [db.name]
