"""Serving past one machine: the export, every page's data from it, and a wijk switch in a real browser.

- `export`: `python -m indicators export --parquet` of the benchmark database (through its function), timed, with
  the size of the files;
- `export_pages`: every page's data for the gemeente the app opens with, cold, served from that export
  (`benchmarks.pagetimes` with `JEUGDMONITOR_BRON`);
- `wijk_switch`: the real app (`streamlit run`) on the benchmark database in Chromium (Playwright), on
  Wijkverschillen: the time from choosing another wijk in the sidebar until the map, the ranking and the funnel
  plot are drawn again for it (the page run has ended and every chart differs from the one before).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The charts of Wijkverschillen that mark the chosen wijk, and whether they always change with it (every wijk is
# on the map and in the ranking; a wijk outside the funnel plot leaves that one as it was).
CHARTS = {"wv_kaart": True, "wv_ranking": True, "wv_trechter": False}
SWITCHES = 6
# Done: the run has ended (no status widget, nothing stale), every chart that was there is drawn, and those that
# mark the wijk are drawn anew.
_DRAWN = """([keys, changing, before]) => {
    if (document.querySelector('[data-testid="stStatusWidget"]') || document.querySelector('[data-stale="true"]'))
        return false;
    return keys.every((key, n) => {
        if (before[n] === null) return true;
        const svg = document.querySelector(`.st-key-${key} svg.main-svg`);
        return svg !== null && (!changing[n] || svg.parentElement.innerHTML !== before[n]);
    });
}"""


def export(db: Path, out: Path) -> dict:
    import store
    from store.export import export_parquet

    if out.exists():  # the previous run's export, in the benchmark's own folder
        shutil.rmtree(out)
    began = time.perf_counter()
    with store.reading(db) as con:
        manifest = export_parquet(con, out, db)
    seconds = time.perf_counter() - began
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"seconds": seconds, "mb": round(size / 1e6, 1), "gemeenten": manifest["gemeenten"],
            "rows": manifest["rijen"]["indicator_values"]}


def export_pages(out: Path) -> dict:
    from benchmarks.pagetimes import time_pages

    return time_pages(None, bron=out)


def _charts(page) -> list[str | None]:
    return page.evaluate("""keys => keys.map(key => {
        const svg = document.querySelector(`.st-key-${key} svg.main-svg`);
        return svg === null ? null : svg.parentElement.innerHTML;
    })""", list(CHARTS))


def _switch(page, target: str) -> float:
    """Choose `target` in the sidebar's wijk box; seconds from the click on it until its charts are drawn."""
    from tests.browser import open_select

    before = _charts(page)
    open_select(page, "wijk")
    option = page.get_by_role("option", name=target, exact=True)
    began = time.perf_counter()
    option.click()
    page.wait_for_function(_DRAWN, arg=[list(CHARTS), list(CHARTS.values()), before], polling="raf",
                           timeout=120_000)
    return time.perf_counter() - began


def wijk_switch(db: Path, switches: int = SWITCHES) -> dict:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, first_visit, open_select, running_app, settle

    folder = Path(tempfile.mkdtemp(prefix="wijkwissel_"))
    try:
        with running_app(db, folder / "streamlit.log") as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            first_visit(browser, url)
            page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="nl-NL")
            page.goto(f"{url}/wijkverschillen")
            settle(page)
            page.locator(".st-key-wv_ranking svg.main-svg").first.wait_for(timeout=120_000)
            current = page.locator(".st-key-wijk input[role='combobox']").input_value()
            names = [n for n in open_select(page, "wijk") if n]
            page.keyboard.press("Escape")
            order = [n for n in names if n != current][:switches] or [current]
            seconds = [_switch(page, target) for target in order]
            gemeente = page.locator(".st-key-gemeente input[role='combobox']").input_value()
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"gemeente": gemeente, "wijken": len(names), "seconds": seconds, "first_seconds": seconds[0],
            "median_seconds": statistics.median(seconds), "max_seconds": max(seconds)}
