"""The app serving read-only from an export (`JEUGDMONITOR_BRON`): the same figures as on the database, no uploads,
no notes, and nothing ever opened for writing. The real app through AppTest, on a real export of the demo."""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import store
from indicators.__main__ import main
from store.published import ReadOnly, ReadOnlySource

APP = Path(__file__).resolve().parent.parent / "app.py"
PAGES = ["pages/overzicht.py", "pages/wijkverschillen.py", "pages/trends.py", "pages/toegang.py",
         "pages/financien.py", "pages/presentatie.py", "pages/gegevens.py"]
NOTE = "De zaal herkent de drukte bij het wijkteam (testnotitie)."
READ_ONLY_WORDS = "alleen-lezen kopie van de gepubliceerde cijfers"
# What differs by mode and is not a figure: the Gegevens page's subtitle, the demo mark in the sidebar.
MODE_TEXTS = {"Zien wat er gepubliceerd is en waar het vandaan komt.",
              "Bestanden laden en zien wat er in de database staat.", "Fictieve demodata"}


@pytest.fixture(scope="module")
def source(demo_db, tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the demo with one duiding note, and its export."""
    folder = tmp_path_factory.mktemp("bron")
    db = folder / "demo.duckdb"
    shutil.copy(demo_db, db)
    with duckdb.connect(str(db)) as con:
        wijk = con.execute("SELECT min(regio_code) FROM indicator_values WHERE niveau = 'WK' "
                           "AND gemeente_code = 'GM9999'").fetchone()[0]
        jaar = con.execute("SELECT max(jaar) FROM indicator_values").fetchone()[0]
        con.execute("INSERT INTO duiding (wijk_code, indicator_id, jaar, datum, tekst, auteur) "
                    "VALUES (?, 'jeugdhulp_pct', ?, DATE '2025-03-15', ?, 'a.duider@gemeente.nl')", [wijk, jaar, NOTE])
    assert main(["--db", str(db), "export", "--parquet", str(folder / "export")]) == 0
    return db, folder / "export"


def _app(monkeypatch, *, db: Path | None = None, bron: Path | None = None) -> AppTest:
    monkeypatch.delenv("JEUGDMONITOR_BRON", raising=False)
    if bron is not None:
        monkeypatch.setenv("JEUGDMONITOR_BRON", str(bron))
    monkeypatch.setenv("JEUGDMONITOR_DB", str(db))
    st.cache_data.clear()
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _rounded(value):
    """Chart specs with floats rounded: a sum over doubles may differ in its last bit from one run to the next."""
    if isinstance(value, float):
        return None if value != value else round(value, 6)  # NaN (a gap) is not equal to itself
    if isinstance(value, dict) and set(value) >= {"dtype", "bdata"}:  # plotly's packed arrays
        return _rounded(np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist())
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items() if k != "uid"}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _figures(at: AppTest) -> list:
    """What a page shows of the data: texts, metrics, tables, charts (in order of kind)."""
    shown = [(kind, e.value) for kind in ("title", "subheader", "markdown", "caption") for e in getattr(at, kind)
             if READ_ONLY_WORDS not in str(e.value) and e.value not in MODE_TEXTS]
    shown += [("metric", m.label, m.value, m.proto.delta) for m in at.metric]
    shown += [("tabel", frame.value.to_json()) for frame in at.dataframe]
    shown += [("grafiek", _rounded(json.loads(chart.proto.spec))) for chart in at.get("plotly_chart")]
    return shown


def test_every_page_shows_the_same_figures_from_the_export_as_from_the_database(source, monkeypatch):
    db, export = source
    pages = {}
    for mode in ("db", "bron"):
        at = _app(monkeypatch, db=db, bron=export if mode == "bron" else None)
        for page in PAGES:
            at.switch_page(page).run()
            assert not at.exception, (mode, page, [e.value for e in at.exception])
            pages[mode, page] = _figures(at)
    for page in PAGES:
        assert pages["bron", page] == pages["db", page], page
        assert len(pages["db", page]) > 3 and any(re.search(r"\d", str(x)) for x in pages["db", page]), page


def test_no_uploader_and_no_note_form_only_the_dutch_notice(source, monkeypatch, tmp_path):
    _, export = source
    at = _app(monkeypatch, db=tmp_path / "niet_gebruikt.duckdb", bron=export)
    at.switch_page("pages/gegevens.py").run()
    assert not at.get("file_uploader")
    notice = [i.value for i in at.info if READ_ONLY_WORDS in i.value]
    assert notice and "bestanden laden kan hier niet" in notice[0] and "export van " in notice[0]
    assert not [w for w in at.warning if "iedereen die deze pagina bereikt" in w.value]
    at.switch_page("pages/presentatie.py").run()
    assert not at.get("text_area") and not [b for b in at.button if b.key in ("pr_opslaan", "pr_verwijderen")]
    assert any("duidingen schrijven kan hier niet" in c.value for c in at.caption)
    # The note written on the loader machine is read from the export (the wijk the sidebar starts with).
    assert any(NOTE in frame.value.to_json() for frame in at.dataframe)
    assert not tmp_path.joinpath("niet_gebruikt.duckdb").exists()


def test_a_write_to_the_source_is_refused_in_dutch(source):
    _, export = source
    bron = ReadOnlySource(export)
    with pytest.raises(ReadOnly, match="alleen-lezen"):
        with bron.writing("duidingen schrijven"):
            pass
    with pytest.raises(duckdb.Error):
        bron.execute("INSERT INTO duiding (wijk_code, indicator_id, jaar, datum, tekst) VALUES ('x', 'y', 1, "
                     "DATE '2025-1-1', 'z')")


def test_export_mode_never_opens_a_database_file_for_writing(source, monkeypatch, tmp_path):
    db, export = source
    before = {p: p.stat().st_mtime_ns for p in export.rglob("*")}
    opened = []
    real_connect = duckdb.connect

    def spy(database=":memory:", read_only=False, *args, **kwargs):
        opened.append((str(database), read_only))
        return real_connect(database, read_only, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", spy)
    for bron in (export, db):  # an export, and a DuckDB file on shared storage
        at = _app(monkeypatch, db=tmp_path / "eigen.duckdb", bron=bron)
        for page in PAGES:
            at.switch_page(page).run()
            assert not at.exception, (bron, page, [e.value for e in at.exception])
    assert opened, "the app opened nothing at all"
    assert [o for o in opened if o[0] != ":memory:" and not o[1]] == []
    assert (str(db.resolve()), True) in opened
    assert {p: p.stat().st_mtime_ns for p in export.rglob("*")} == before
    assert not (tmp_path / "eigen.duckdb").exists()


def test_a_replaced_export_is_picked_up_and_a_broken_one_refused(source, tmp_path):
    db, export = source
    current = tmp_path / "huidig"
    current.symlink_to(export, target_is_directory=True)
    bron = ReadOnlySource(current)
    first = bron.version()
    with duckdb.connect(str(tmp_path / "nieuw.duckdb")) as con:
        store.migrate(con)
    newer = tmp_path / "export-2"
    assert main(["--db", str(tmp_path / "nieuw.duckdb"), "export", "--parquet", str(newer)]) == 0
    current.unlink()
    current.symlink_to(newer, target_is_directory=True)
    assert bron.version() != first
    assert bron.execute("SELECT count(*) FROM indicator_values").fetchone()[0] == 0
    (newer / "manifest.json").unlink()
    with pytest.raises(store.NotADatabase, match="geen export van de Jeugdmonitor"):
        bron.version()
    with pytest.raises(store.StoreError, match="bestaat niet"):
        ReadOnlySource(tmp_path / "nergens")



def test_the_council_workbook_from_the_export_is_the_one_from_the_database(source):
    import io

    import openpyxl

    from reports.excel import build_workbook

    db, export = source
    with duckdb.connect(str(db), read_only=True) as con:
        jaar = con.execute("SELECT jaar FROM duiding").fetchone()[0]
        expected = openpyxl.load_workbook(io.BytesIO(build_workbook(con, "GM9999", jaar)))
    served = openpyxl.load_workbook(io.BytesIO(build_workbook(ReadOnlySource(export), "GM9999", jaar)))
    assert served.sheetnames == expected.sheetnames
    for name in expected.sheetnames:
        assert list(served[name].iter_rows(values_only=True)) == list(expected[name].iter_rows(values_only=True)), name
    assert any(NOTE in str(cell) for row in expected["Duiding"].iter_rows(values_only=True) for cell in row)
