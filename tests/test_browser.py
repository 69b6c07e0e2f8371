"""The real app in a real browser: every page, changing the wijk, an upload refused on the demo, a duiding note that
survives a reload."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, PAGES, copy_db, first_visit, running_app

playwright = pytest.importorskip("playwright.sync_api")

if not Path(CHROMIUM).exists():
    pytest.skip(f"Chromium ontbreekt op {CHROMIUM} (scripts/test installeert het als root)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def app_url(demo_db, tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("browser")
    with running_app(copy_db(demo_db, folder), folder / "streamlit.log") as url:
        first_visit(browser, url)
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


def settle(page) -> None:
    """Wait until Streamlit has finished running the script (no 'running' indicator, no stale elements)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_selector('[data-testid="stMain"] h1')
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')",
        timeout=30_000,
    )


def no_errors(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]
    text = page.inner_text("body")
    assert "Traceback" not in text and "Page not found" not in text, text[:2000]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_without_error_and_says_demo(page, app_url, name):
    page.goto(f"{app_url}/{PAGES[name]}")
    settle(page)
    no_errors(page)
    assert "Fictieve demodata" in page.inner_text("body")


def chart_text(page, key: str) -> str:
    chart = page.locator(f".st-key-{key}").first
    chart.wait_for()
    chart.locator("svg.main-svg").first.wait_for()
    return chart.inner_text() + chart.inner_html()[:20000]


def open_select(page, key: str):
    """Open a Streamlit selectbox (a combobox) and return the texts of its options."""
    page.locator(f".st-key-{key} button[aria-haspopup='listbox']").click()
    page.get_by_role("option").first.wait_for()
    return [o.strip() for o in page.get_by_role("option").all_inner_texts()]


def test_changing_the_wijk_changes_the_charts(page, app_url):
    page.goto(f"{app_url}/presentatie")
    settle(page)
    before = chart_text(page, "pr_grafiek")
    current = page.locator(".st-key-wijk input[role='combobox']").input_value()
    target = next(o for o in open_select(page, "wijk") if o and o != current and "Buitengebied" not in o)
    page.get_by_role("option", name=target, exact=True).click()
    settle(page)
    no_errors(page)
    assert page.locator(".st-key-wijk input[role='combobox']").input_value() == target
    after = chart_text(page, "pr_grafiek")
    assert after != before
    assert target in after
    shared = page.url
    assert "wijk=" in shared
    page.goto(shared)
    settle(page)
    assert page.locator(".st-key-wijk input[role='combobox']").input_value() == target, "a shared link keeps the wijk"


def test_upload_of_real_data_on_the_demo_is_refused_with_where_it_goes(page, app_url, tmp_path):
    norms = tmp_path / "normen_test.csv"
    norms.write_text("productcategorie;norm_dagen;soort_dagen;bron\nlogopedie;30;kalenderdagen;Browsertest\n",
                     encoding="utf-8")
    page.goto(f"{app_url}/gegevens")
    settle(page)
    page.locator(".st-key-gg_bestand input[type='file']").set_input_files(str(norms))
    page.get_by_text("dit is de database van de fictieve demo").first.wait_for()
    assert "data/jeugdmonitor.duckdb" in page.inner_text("body")
    assert page.locator(".st-key-gg_laden button").count() == 0
    no_errors(page)


def test_duiding_note_survives_a_reload(page, app_url):
    note = "Browsertest: de zaal herkent de lange wachttijden bij de GGZ."
    page.goto(f"{app_url}/presentatie?wijk=WK999902")
    settle(page)
    page.locator(".st-key-pr_duiding textarea").fill(note)
    page.locator(".st-key-pr_duiding textarea").press("Tab")
    page.locator(".st-key-pr_opslaan button").click()
    settle(page)
    page.reload()
    settle(page)
    no_errors(page)
    page.get_by_text(note).first.wait_for()
