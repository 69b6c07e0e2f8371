"""The dashboard as users run it (`streamlit run`, visited in Chromium) while the command line loads beside it."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, first_visit, running_app, settle
from tests.concurrency_files import KWB_ARGS, kwb, own_db, published, run, start, wait_for_line
from tests.loader_files import write

playwright = pytest.importorskip("playwright.sync_api")

if not Path(CHROMIUM).exists():
    pytest.skip(f"Chromium ontbreekt op {CHROMIUM} (scripts/test installeert het als root)", allow_module_level=True)


def body(page) -> str:
    text = page.inner_text("body")
    assert page.locator('[data-testid="stException"]').count() == 0 and "Traceback" not in text, text[:2000]
    return text


def waited_for_the_app(stderr: str) -> float:
    """Seconds from the start of the command until it could read its file (it opens the database first)."""
    return float(re.search(r"\[\s*([\d.]+) s\] [^\n]*: lezen", stderr).group(1))


def test_a_load_beside_the_running_dashboard_waits_briefly_and_the_next_run_shows_it(tmp_path):
    db = own_db(tmp_path, "11,5")
    with playwright.sync_playwright() as p, running_app(db, tmp_path / "streamlit.log") as url:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        first_visit(browser, url)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(60_000)
        for path in ("gegevens", "trends", ""):
            page.goto(f"{url}/{path}")
            settle(page)
        assert "11,5%" in body(page)

        # A load that holds the database (paused just before its commit): meanwhile the page shows the figures of
        # before, says new ones are coming, and never an error.
        resume = tmp_path / "verder"
        holding = start("loaders", "load", str(write(tmp_path, "kwb_herzien.csv", kwb("13,7"))), *KWB_ARGS,
                        "--db", str(db), JEUGDMONITOR_TEST_PAUSE="herberekenen", JEUGDMONITOR_TEST_RESUME=str(resume))
        lines = wait_for_line(holding, "PAUZE herberekenen")
        page.reload()
        settle(page)
        during = body(page)
        assert "11,5%" in during and "Er worden nu gegevens geladen" in during
        resume.touch()
        out, err = holding.communicate(timeout=120)
        assert holding.returncode == 0, "".join(lines) + err
        assert "Traceback" not in err
        page.reload()
        settle(page)
        after = body(page)
        assert "13,7%" in after and "11,5%" not in after and "Er worden nu gegevens geladen" not in after

        # A load started while a visitor's page is running: it waits for the run, not for the visitor to leave.
        page.reload()
        started = time.monotonic()
        third = run("loaders", "load", str(write(tmp_path, "kwb_derde.csv", kwb("12,1"))), *KWB_ARGS,
                    "--db", str(db))
        elapsed = time.monotonic() - started
        assert third.returncode == 0, third.stderr
        assert "Traceback" not in third.stderr
        settle(page)
        page.reload()
        settle(page)
        assert "12,1%" in body(page)
        browser.close()
    assert published(db) == 12.1
    print(f"\nladen naast het dashboard: {elapsed:.1f} s in totaal, waarvan wachten op de database "
          f"{waited_for_the_app(third.stderr):.2f} s")
