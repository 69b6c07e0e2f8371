"""`python -m reports excel`: exit status 0, 1 with a Dutch message, 2 for wrong usage."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

import store

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reports", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_writes_the_workbook(demo_db, tmp_path):
    out = tmp_path / "raad.xlsx"
    result = run("excel", "--gemeente", "GM9999", "--jaar", "2024", "--out", str(out), "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    assert "Raadsrapportage geschreven" in result.stdout
    book = openpyxl.load_workbook(out)
    assert book["Samenvatting"]["A1"].value == "Samenvatting 2024: Voorbeeldstad (fictief)"


def test_unknown_gemeente_and_no_data_exit_1_in_dutch(demo_db, empty_db, tmp_path):
    out = tmp_path / "raad.xlsx"
    unknown = run("excel", "--gemeente", "GM0001", "--out", str(out), "--db", str(demo_db))
    assert unknown.returncode == 1 and "Onbekende gemeente: GM0001" in unknown.stderr
    con = store.connect(empty_db)
    con.execute("INSERT INTO regions (code, name, niveau) VALUES ('GM0002', 'Leegstad', 'GM')")
    con.close()
    empty = run("excel", "--gemeente", "GM0002", "--out", str(out), "--db", str(empty_db))
    assert empty.returncode == 1 and "Er zijn geen cijfers voor Leegstad (GM0002)" in empty.stderr
    missing = run("excel", "--gemeente", "GM9999", "--out", str(out), "--db", str(tmp_path / "nergens.duckdb"))
    assert missing.returncode == 1 and "bestaat niet" in missing.stderr
    assert not out.exists() and not (tmp_path / "nergens.duckdb").exists()


def test_wrong_usage_exits_2(demo_db, tmp_path):
    no_out = run("excel", "--gemeente", "GM9999", "--db", str(demo_db))
    assert no_out.returncode == 2 and "--out" in no_out.stderr
    not_a_year = run("excel", "--gemeente", "GM9999", "--jaar", "vorig", "--out", str(tmp_path / "x.xlsx"))
    assert not_a_year.returncode == 2
    csv = run("excel", "--gemeente", "GM9999", "--out", str(tmp_path / "x.csv"), "--db", str(demo_db))
    assert csv.returncode == 2 and ".xlsx" in csv.stderr
    assert run().returncode == 2
