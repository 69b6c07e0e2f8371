"""The real app in a real browser: every page, changing the wijk, an upload refused on the demo, a duiding note that
survives a reload."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, PAGES, copy_db, first_visit, open_select, running_app, settle

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


def redrawn_chart_text(page, key: str, before: str, timeout: float = 20) -> str:
    """`chart_text` once it differs from `before`, or as it is after `timeout` seconds: Plotly redraws a chart
    after the run has ended (the page has settled), later on a loaded machine."""
    deadline = time.monotonic() + timeout
    while True:
        text = chart_text(page, key)
        if text != before or time.monotonic() > deadline:
            return text
        page.wait_for_timeout(100)


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
    after = redrawn_chart_text(page, "pr_grafiek", before)
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
    # The upload button reads 'Bestand kiezen' beside its icon, not Streamlit's English 'Upload' as well.
    button = page.locator(".st-key-gg_bestand [data-testid='stFileUploaderDropzone'] button").first
    assert not button.locator("[data-testid='stMarkdownContainer']").is_visible()
    assert button.evaluate("b => getComputedStyle(b, '::after').content") == '"Bestand kiezen"'
    page.locator(".st-key-gg_bestand input[type='file']").set_input_files(str(norms))
    page.get_by_text("dit is de database van de fictieve demo").first.wait_for()
    assert "data/jeugdmonitor.duckdb" in page.inner_text("body")
    assert page.locator(".st-key-gg_laden button").count() == 0
    no_errors(page)


def test_duiding_note_survives_a_reload(page, app_url):
    note = "Browsertest: de zaal herkent de lange wachttijden bij de GGZ."
    page.goto(f"{app_url}/presentatie?dia=2")
    settle(page)
    page.get_by_role("button", name="Duiding (0)").click()
    page.locator(".st-key-pr_duiding textarea").fill(note)
    page.locator(".st-key-pr_duiding textarea").press("Tab")
    page.locator(".st-key-pr_opslaan button").click()
    settle(page)
    page.reload()
    settle(page)
    no_errors(page)
    assert " dia 2 van " in slide_title(page)
    page.get_by_role("button", name="Duiding (1)").click()
    page.get_by_text(note).first.wait_for()


def chart_facts(page) -> list[dict]:
    """Per Plotly chart on the page: its title block, its annotations (footer) and every x value it draws."""
    page.wait_for_selector('[data-testid="stPlotlyChart"] .js-plotly-plot .gtitle')
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(
        c => { const g = c.querySelector('.js-plotly-plot'); return g && g._fullLayout; })""")
    return page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(g => ({
        title: (g.querySelector('.gtitle') || {}).textContent || '',
        notes: [...g.querySelectorAll('.annotation-text')].map(a => a.textContent),
        ticks: [...g.querySelectorAll('.xtick text')].map(t => t.textContent),
        xs: g._fullData.flatMap(t => Array.from(t.x || []).filter(x => typeof x === 'number')),
    }))""")


@pytest.mark.parametrize("name", ["wijkverschillen", "trends", "toegang", "financien", "presentatie"])
def test_every_chart_has_a_title_source_and_demo_mark_of_its_own(page, app_url, name):
    page.goto(f"{app_url}/{PAGES[name]}")
    settle(page)
    facts = chart_facts(page)
    assert facts, f"no chart on {name}"
    titles = [f["title"] for f in facts]
    assert all(t.strip() for t in titles), titles
    assert len(set(titles)) == len(titles), f"two charts share a title: {titles}"
    assert all(" · " in f["title"] for f in facts), "a line with unit, period and region"
    for fact in facts:
        assert any(n.startswith("Bron:") for n in fact["notes"]), fact
        assert any("Fictieve demodata" in n for n in fact["notes"]), fact


def slide_title(page) -> str:
    return page.locator(".st-key-pr_kop h1").inner_text()


def test_the_2024_slides_draw_no_later_year(page, app_url):
    page.goto(f"{app_url}/presentatie?jaar=2024")
    settle(page)
    total = int(slide_title(page).rsplit(" ", 1)[1])
    assert total > 1
    for n in range(1, total + 1):
        assert slide_title(page).endswith(f"dia {n} van {total}")
        [fact] = chart_facts(page)
        assert fact["xs"] and max(fact["xs"]) <= 2024, (n, fact["xs"])
        assert all(int(t) <= 2024 for t in fact["ticks"]), fact["ticks"]
        assert "2025" not in " ".join(fact["notes"]).replace("voor 2025", ""), fact["notes"]
        if n < total:
            page.locator(".st-key-pr_volgende button").click()
            page.wait_for_function(f"() => document.querySelector('.st-key-pr_kop h1').innerText.endsWith("
                                   f"'dia {n + 1} van {total}')")
            settle(page)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("beamer", ["", "&pr_beamer=true"])
def test_a_slide_fits_the_screen_without_scrolling(browser, app_url, size, beamer):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="nl-NL")
    tab = context.new_page()
    try:
        tab.goto(f"{app_url}/presentatie?jaar=2024{beamer}")
        settle(tab)
        chart_facts(tab)
        heights = tab.evaluate("""() => [document.documentElement.scrollHeight,
            document.querySelector('[data-testid="stMain"]').scrollHeight, window.innerHeight]""")
        assert max(heights[:2]) <= heights[2], heights
        for selector in (".st-key-pr_kop h1", ".st-key-pr_dia .js-plotly-plot", ".st-key-pr_zin p"):
            box = tab.locator(selector).first.bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= size[1], (selector, box)
        hidden = tab.locator('section[data-testid="stSidebar"]').is_hidden()
        assert hidden == bool(beamer), "the beamer hides the sidebar, and only the beamer"
    finally:
        context.close()


def test_a_reload_keeps_the_slide(page, app_url):
    page.goto(f"{app_url}/presentatie")
    settle(page)
    for n in (2, 3):
        page.locator(".st-key-pr_volgende button").click()
        page.wait_for_function(f"() => document.querySelector('.st-key-pr_kop h1').innerText.includes('dia {n} ')")
        settle(page)
    before = slide_title(page)
    chart = chart_facts(page)[0]["title"]
    page.reload()
    settle(page)
    assert slide_title(page) == before
    assert chart_facts(page)[0]["title"] == chart


def test_a_shared_url_restores_the_trends_choices(page, app_url, browser):
    page.goto(f"{app_url}/trends")
    settle(page)
    page.locator(".st-key-tr_indicator input[role='combobox']").click()
    page.keyboard.type("Wachttijd (mediaan)")  # the list is long and virtual: filter it first
    page.get_by_role("option", name="Wachttijd (mediaan)", exact=True).click()
    settle(page)
    page.locator(".st-key-tr_wijken input").click()
    page.get_by_role("option", name="Oosterpark (fictief)").click()
    page.keyboard.press("Escape")
    settle(page)
    page.locator(".st-key-tr_vergelijk button", has_text="Jeugdregio").click()
    settle(page)
    shared = page.url
    expected = chart_facts(page)[0]
    other = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
    try:
        tab = other.new_page()
        tab.goto(shared)
        settle(tab)
        restored = chart_facts(tab)[0]
        assert restored["title"] == expected["title"] and "Wachttijd (mediaan)" in restored["title"]
        assert "Oosterpark (fictief)" in restored["title"]
        legend = tab.evaluate("() => [...document.querySelectorAll('.st-key-tr_grafiek .legendtext')]"
                              ".map(e => e.textContent)")
        assert "Oosterpark (fictief)" in legend and "Jeugdregio" not in legend, legend
    finally:
        other.close()
