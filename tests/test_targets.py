"""One "op koers" rule: the Overzicht tiles and the workbook's Samenvatting give the same verdict.

The screen is the real app in AppTest, the workbook is built and read back; both over real DuckDB files.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

import store
from indicators import catalog, targets
from loaders import load_file
from reports.excel import build_workbook
from tests.loader_files import with_regions, write
from ui.tiles import SHORT_LABELS

APP = Path(__file__).resolve().parent.parent / "app.py"
WORDS = {"op koers": "ja", "niet op koers": "nee", "onbekend": "–"}


def screen_verdicts(monkeypatch, db: Path, jaar: int) -> dict[str, str]:
    """Tile label -> the verdict shown under it ('op koers', 'niet op koers', 'onbekend')."""
    monkeypatch.setenv("JEUGDMONITOR_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["jaar"] = str(jaar)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    found = {}
    metrics = [m.label for m in at.metric]
    captions = [c.value for c in at.caption if "Bron:" in c.value or c.value.startswith("Geen cijfer voor")]
    assert len(captions) == len(metrics)
    for label, caption in zip(metrics, captions):
        hit = re.search(r"Streefwaarde \d{4}: .* — (op koers|niet op koers|onbekend)", caption)
        soort = re.match(r"Cijfers: (\w+)", caption)
        if hit:
            found[label + (f" ({soort.group(1)})" if soort else "")] = hit.group(1)
    return found


def workbook_verdicts(db: Path, gemeente: str, jaar: int) -> dict[str, str]:
    """Indicator name (with soort) -> the Samenvatting's 'Op koers' cell, for rows with a target."""
    con = store.connect(db)  # as the app opens it: DuckDB shares one instance per file and configuration
    try:
        book = openpyxl.load_workbook(io.BytesIO(build_workbook(con, gemeente, jaar)))
    finally:
        con.close()
    sheet = book["Samenvatting"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Indicator")
    col = rows[header].index("Op koers")
    target = rows[header].index("Streefwaarde")
    return {r[0]: r[col] for r in rows[header + 1:] if r and r[0] and r[target] is not None}


def tile_name(label: str) -> str:
    """A tile's label in the workbook's words: the full indicator name, soort kept."""
    short = {v: k for k, v in SHORT_LABELS.items()}
    base, _, soort = label.partition(" (")
    ind = catalog.get(None, short[base]) if base in short else next(i for i in catalog.STATIC if i.naam == base)
    return ind.naam + (f" ({soort}" if soort else "")


@pytest.fixture(scope="module")
def demo_copy(demo_db, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("targets") / "demo.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.mark.parametrize("jaar", [2022, 2024, 2025])
def test_screen_and_workbook_agree_on_every_indicator_with_a_target(monkeypatch, demo_copy, jaar):
    screen = {tile_name(label): verdict for label, verdict in screen_verdicts(monkeypatch, demo_copy, jaar).items()}
    book = workbook_verdicts(demo_copy, "GM9999", jaar)
    assert screen, "no tile shows a target"
    shared = set(screen) & set(book)
    assert shared == set(screen), (screen, book)
    assert {name: WORDS[screen[name]] for name in shared} == {name: book[name] for name in shared}


BUDGET = """jaar;regio_code;soort;categorie;bedrag
{jaar};GM0001;realisatie;preventief;2385
{jaar};GM0001;realisatie;individueel_ambulant;7615
"""
TARGETS = "indicator_id;regio_code;jaar;waarde;bron\npreventief_budget_aandeel_pct;GM0001;{jaar};23,86;Test\n"


def test_a_value_just_under_its_target_is_not_on_course_on_screen_and_in_the_workbook(monkeypatch, tmp_path):
    db = tmp_path / "budget.duckdb"
    con = store.connect(db)
    with_regions(con, tmp_path)
    for name, text in (("budget.csv", BUDGET), ("streefwaarden.csv", TARGETS)):
        report = load_file(con, write(tmp_path, name, text.format(jaar=2027)))
        assert not report.refused and report.rows_rejected == 0, report.lines()
    share = con.execute("SELECT waarde FROM indicator_values WHERE indicator_id = 'preventief_budget_aandeel_pct' "
                        "AND regio_code = 'GM0001'").fetchone()[0]
    con.close()
    assert share == pytest.approx(23.85)
    screen = screen_verdicts(monkeypatch, db, 2027)
    assert screen == {"Budgetaandeel preventief (realisatie)": "niet op koers"}
    book = workbook_verdicts(db, "GM0001", 2027)
    assert book == {"Aandeel preventief en collectief in jeugdbudget (realisatie)": "nee"}


class _Ind:
    id, eenheid = "x", "%"

    def __init__(self, richting):
        self.richting = richting


@pytest.mark.parametrize("value, previous, expected", [
    (23.85, None, False),  # the target year itself: below is not on course, however close
    (23.86, None, True),
])
def test_the_rule_compares_unrounded_values(value, previous, expected, tmp_path):
    con = store.connect(tmp_path / "t.duckdb")
    con.execute("INSERT INTO streefwaarden (indicator_id, regio_code, jaar, waarde, bron) VALUES "
                "('x', 'GM0001', 2027, 23.86, 't')")
    found = targets.verdict(con, _Ind("hoger is beter"), "GM0001", 2027, value, previous)
    assert found.op_koers is expected and found.streefjaar == 2027


def test_a_later_target_is_judged_by_the_last_change_continued(tmp_path):
    con = store.connect(tmp_path / "t.duckdb")
    con.execute("INSERT INTO streefwaarden (indicator_id, regio_code, jaar, waarde, bron) VALUES "
                "('x', 'GM0001', 2030, 20, 't')")
    ind = _Ind("hoger is beter")
    assert targets.verdict(con, ind, "GM0001", 2025, 15.0, 14.0).op_koers is True  # 15 + 5 * 1 = 20
    assert targets.verdict(con, ind, "GM0001", 2025, 15.0, 14.1).op_koers is False  # 19,5 by 2030
    assert targets.verdict(con, ind, "GM0001", 2025, 15.0, None).op_koers is None
    assert targets.verdict(con, ind, "GM0001", 2025, 21.0, None).op_koers is True  # already there
    assert targets.verdict(con, _Ind("lager is beter"), "GM0001", 2025, 21.0, 20.5).op_koers is False  # rising
    assert targets.verdict(con, ind, "GM0001", 2031, 25.0, 20.0) is None  # the last target lies behind
