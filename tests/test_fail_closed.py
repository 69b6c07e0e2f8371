"""Failing closed: a failure in our own code is a failure with a Dutch message and its cause in the log, never a
silent skip; the row limits refuse a file before it fills the memory."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders import LoadOptions, limits, load_file
from tests.conftest import snapshot
from tests.hostile.corpus import REGIOS, _xlsx
from tests.loader_files import write, write_xlsx

ROOT = Path(__file__).resolve().parent.parent

BROKEN_INDICATORS = """
import sys
sys.modules["indicators"] = None  # the indicator layer cannot be imported (a broken install)
from common import cli
cli.install_excepthook("python -m loaders")
from loaders.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_load_fails_when_the_indicators_cannot_be_imported(tmp_path):
    regios = write(tmp_path, "regios.csv", REGIOS)
    log = tmp_path / "jeugdmonitor.log"
    env = {**os.environ, "JEUGDMONITOR_LOG": str(log)}
    env.pop("JEUGDMONITOR_DB", None)
    result = subprocess.run([sys.executable, "-c", BROKEN_INDICATORS, "load", str(regios), "--db",
                             str(tmp_path / "a.duckdb")], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 3, (result.stdout, result.stderr)
    assert "soort regios" not in result.stdout  # no success reported
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "python -m loaders: er ging iets mis in de Jeugdmonitor zelf (ModuleNotFoundError); er is niets als gelukt "
        f"gemeld. De oorzaak staat in {log}.")
    assert "import of indicators halted" in log.read_text(encoding="utf-8")


def test_the_workbook_button_says_why_it_is_missing(demo_db, tmp_path, monkeypatch):
    """The report module failing to import: the Gegevens page says so in Dutch, and the log has the cause."""
    import shutil

    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    log = tmp_path / "app.log"
    monkeypatch.setenv("JEUGDMONITOR_LOG", str(log))
    monkeypatch.setenv("JEUGDMONITOR_DB", str(db))
    monkeypatch.setitem(sys.modules, "reports.excel", None)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/gegevens.py").run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert any(e.startswith("De raadsrapportage kan nu niet worden gemaakt door een fout in de Jeugdmonitor zelf.")
               and str(log) in e for e in errors), errors
    assert not [b for b in at.get("download_button") if "Excel-werkmap" in str(b.proto.label)]
    assert "reports.excel kan niet worden geladen" in log.read_text(encoding="utf-8")


def test_row_limits_refuse_the_file(con, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 5)
    monkeypatch.setattr(limits, "MAX_XLSX_ROWS", 3)
    before = snapshot(con)
    csv_file = write(tmp_path, "veel.csv", "regio_code;jaar;leeftijd_van;leeftijd_tot;aantal\n"
                     + "".join(f"GM0001;{2000 + i};0;17;5\n" for i in range(9)))
    report = load_file(con, csv_file, refresh=False)
    assert report.problem_lines() == [
        "veel.csv: meer dan 5 rijen; de Jeugdmonitor leest hoogstens 5 rijen uit één bestand. Splits het bestand."]
    rows = [["regio_code", "jaar"]] + [["GM0001", 2000 + i] for i in range(5)]
    declared = write_xlsx(tmp_path, "veel.xlsx", rows)
    report = load_file(con, declared, LoadOptions(kind="bevolking"), refresh=False)
    assert report.problem_lines() == [
        "veel.xlsx: het tabblad zegt 6 rijen en 2 kolommen groot te zijn; de Jeugdmonitor leest hoogstens 3 rijen en "
        "2.000 kolommen."]
    undeclared = tmp_path / "zonder.xlsx"
    _xlsx(rows, lambda xml: re.sub(r"<dimension [^>]*/>", "", xml))(undeclared)
    report = load_file(con, undeclared, LoadOptions(kind="bevolking"), refresh=False)
    assert report.problem_lines() == [
        "zonder.xlsx: meer dan 3 rijen; de Jeugdmonitor leest hoogstens 3 rijen uit één bestand. Splits het bestand."]
    assert snapshot(con) == before


@pytest.mark.parametrize("text, depth", [('{"a": [1, {"b": "[[[["}]}', 3), ('["\\"[[", [[]]]', 3),
                                         ('"\\\\"', 0), ("[" * 70 + "]" * 70, 70)])
def test_json_depth_ignores_brackets_in_strings(text, depth):
    assert limits.json_depth(text) == depth
