"""The loaders' command line: exit codes, Dutch reports, the demo, status, and the database path rule."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.loader_files import REGIOS, TRAJECTEN_HEADER, write

ROOT = Path(__file__).resolve().parent.parent


def run(*args, env_db: Path | None = None):
    env = {k: v for k, v in os.environ.items() if k != "JEUGDMONITOR_DB"}
    if env_db:
        env["JEUGDMONITOR_DB"] = str(env_db)
    return subprocess.run([sys.executable, "-m", "loaders", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_load_reports_rejected_rows_and_exits_0(tmp_path):
    db = tmp_path / "a.duckdb"
    regios = write(tmp_path, "regios.csv", REGIOS)
    traj = write(tmp_path, "t.csv", TRAJECTEN_HEADER + "\nC1;WK000101;2024-01-02;2024-01-01;;basishulp;;\n"
                                                       "C2;WK000101;2024-01-02;;;basishulp;;\n")
    result = run("load", str(regios), str(traj), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "regios.csv: soort regios, 6 rijen geladen, 0 rijen afgewezen.",
        "t.csv: soort trajecten, 1 rij geladen, 1 rij afgewezen.",
        "t.csv, rij 2, kolom startdatum: startdatum (1-1-2024) ligt vóór aanmelddatum (2-1-2024)",
    ]


def test_refused_file_exits_1_and_leaves_database_unchanged(tmp_path):
    db = tmp_path / "a.duckdb"
    run("load", str(write(tmp_path, "regios.csv", REGIOS)), "--db", str(db))
    bad = write(tmp_path, "t.csv", "client_id;aanmelddatum\nC1;2024-01-01\n")
    result = run("load", str(bad), "--db", str(db))
    assert result.returncode == 1
    assert "t.csv: verplichte kolom 'wijk_code' (of wijk) ontbreekt voor soort trajecten." in result.stdout
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM load_log").fetchall() == [(1,)]


def test_wrong_usage_exits_2_in_dutch(tmp_path):
    result = run("load", "--db", str(tmp_path / "x.duckdb"))
    assert result.returncode == 2
    assert "Fout in de opdracht" in result.stderr
    assert run("load", "x.csv", "--kind", "appels").returncode == 2


def test_demo_and_status_use_env_database(tmp_path):
    db = tmp_path / "env.duckdb"
    result = run("demo", env_db=db)
    assert result.returncode == 0, result.stderr
    assert "trajecten.xlsx: soort trajecten" in result.stdout
    status = run("status", env_db=db)
    assert status.returncode == 0
    assert "trajecten.xlsx (fictieve demo) | trajecten |" in status.stdout
    again = run("demo", env_db=db)
    assert again.returncode == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM load_log WHERE is_demo").fetchall() == [(16,)]
    assert con.execute("SELECT count(*) FROM regions WHERE code = 'GM9999'").fetchall() == [(1,)]


def test_status_on_empty_database_explains(tmp_path):
    result = run("status", "--db", str(tmp_path / "leeg.duckdb"))
    assert result.returncode == 0
    assert result.stdout.startswith("Er is nog niets geladen.")
