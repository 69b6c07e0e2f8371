"""Login with a real OpenID Connect provider on the loopback address, roles, and who did what.

The provider is `oidc-provider-mock` (a real OIDC server for tests) in a thread of this process; the app is the
real `streamlit run` with `[auth]` in a secrets file of its own, driven by Chromium.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

import duckdb
import openpyxl
import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, PAGES, copy_db, first_visit, free_port, running_app, settle

playwright = pytest.importorskip("playwright.sync_api")
oidc = pytest.importorskip("oidc_provider_mock")

if not Path(CHROMIUM).exists():
    pytest.skip(f"Chromium ontbreekt op {CHROMIUM} (scripts/test installeert het als root)", allow_module_level=True)

USERS = {
    "beheer": {"email": "bea.beheer@voorbeeldstad.nl", "name": "Bea Beheer"},
    "duider": {"email": "dirk.duider@voorbeeldstad.nl", "name": "Dirk Duider"},
    "lezer": {"email": "lies.lezer@voorbeeldstad.nl", "name": "Lies Lezer"},
}
# What only a signed-in user may see: wijk names of the demo and the figures' own page furniture.
PRIVATE_TEXT = ("Oosterpark", "Centrum", "Voorbeeldstad", "Wijkverschillen", "Laadlog")


@pytest.fixture(scope="module")
def provider():
    users = [oidc.User(sub=sub, claims=claims) for sub, claims in USERS.items()]
    with oidc.run_server_in_thread(port=0, user_claims=users) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def app_url(demo_db, tmp_path_factory, provider):
    folder = tmp_path_factory.mktemp("login")
    port = free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "jeugdmonitor-test"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[jeugdmonitor]
beheerders = ["BEA.BEHEER@voorbeeldstad.nl"]
duiders = ["duider"]
""", encoding="utf-8")
    # The demo's content as a user's own database (the demo database itself refuses uploads of real files).
    db = copy_db(demo_db, folder)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE load_log SET is_demo = false")
    with running_app(db, folder / "streamlit.log", port=port,
                     extra_args=("--secrets.files", str(secrets_file))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL", accept_downloads=True)
    yield ctx
    ctx.close()


def sign_in(context, app_url: str, sub: str):
    """Sign in as a user of the provider: the app's button, the provider's page, back in the app."""
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(app_url)
    settle(page)
    page.locator(".st-key-inloggen button").click()
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{app_url}/**")
    settle(page)
    page.get_by_text("Uitloggen").first.wait_for()
    return page


def no_errors(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]
    assert "Traceback" not in page.inner_text("body")


@pytest.mark.parametrize("name", PAGES)
def test_an_anonymous_visitor_sees_only_the_sign_in_screen(context, app_url, name):
    page = context.new_page()
    page.goto(f"{app_url}/{PAGES[name]}")
    settle(page)
    no_errors(page)
    page.locator(".st-key-inloggen button").wait_for()
    text = page.inner_text("body")
    assert "Inloggen" in text
    leaked = [t for t in PRIVATE_TEXT if t in text]
    assert not leaked, f"{name}: an anonymous visitor sees {leaked}"
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert page.locator("svg.main-svg").count() == 0, "no chart for an anonymous visitor"


def test_a_reader_sees_figures_but_cannot_load_or_write(context, app_url):
    page = sign_in(context, app_url, "lezer")
    assert "Lies Lezer" in page.inner_text("body") and "lezer" in page.inner_text("body")
    page.locator('[data-testid="stMetric"]').first.wait_for()
    assert "%" in page.locator('[data-testid="stMetric"]').first.inner_text(), "the reader sees the figures"
    page.goto(f"{app_url}/gegevens")
    settle(page)
    no_errors(page)
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert "Bestanden laden kan alleen een beheerder" in page.inner_text("body")
    page.goto(f"{app_url}/presentatie?wijk=WK999902")
    settle(page)
    no_errors(page)
    page.locator("svg.main-svg").first.wait_for()
    assert page.locator(".st-key-pr_duiding textarea").count() == 0
    assert page.locator(".st-key-pr_opslaan").count() == 0


def test_a_beheerder_loads_a_file_and_the_load_log_names_them(context, app_url, tmp_path):
    norms = tmp_path / "normen_login.csv"
    norms.write_text("productcategorie;norm_dagen;soort_dagen;bron\ndyslexiezorg;40;kalenderdagen;Logintest\n",
                     encoding="utf-8")
    page = sign_in(context, app_url, "beheer")
    page.goto(f"{app_url}/gegevens")
    settle(page)
    page.locator(".st-key-gg_bestand input[type='file']").set_input_files(str(norms))
    page.locator(".st-key-gg_laden button").click()
    settle(page)
    page.locator('[data-testid="stAlertContentSuccess"]').wait_for()
    no_errors(page)
    newest = page.locator(".st-key-gg_laatste")
    newest.wait_for()
    assert "normen_login.csv, door bea.beheer@voorbeeldstad.nl op" in newest.inner_text()


def test_a_duider_writes_a_note_and_the_workbook_names_the_author(context, app_url):
    note = "Logintest: de zaal noemt het nieuwe inloopspreekuur."
    page = sign_in(context, app_url, "duider")
    page.goto(f"{app_url}/presentatie?wijk=WK999902")
    settle(page)
    page.get_by_role("button", name="Duiding (0)").click()
    page.locator(".st-key-pr_duiding textarea").fill(note)
    page.locator(".st-key-pr_duiding textarea").press("Tab")
    page.locator(".st-key-pr_opslaan button").click()
    settle(page)
    no_errors(page)
    page.get_by_role("button", name="Duiding (1)").wait_for()
    if not page.get_by_text(note).first.is_visible():  # the popover may have stayed open over the rerun
        page.get_by_role("button", name="Duiding (1)").click()
    page.get_by_text(note).first.wait_for()
    assert "Door dirk.duider@voorbeeldstad.nl" in page.inner_text("body")
    assert page.locator(".st-key-pr_verwijderen").count() == 0, "only a beheerder deletes notes"
    page.goto(f"{app_url}/gegevens")
    settle(page)
    assert page.locator('[data-testid="stFileUploader"]').count() == 0, "a duider does not load files"
    with page.expect_download(timeout=180_000) as download:  # the workbook is built on click
        page.locator(".st-key-gg_excel button").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = [[c for c in row if c is not None] for row in book["Duiding"].iter_rows(values_only=True)]
    mine = [row for row in rows if note in row]
    assert mine and "dirk.duider@voorbeeldstad.nl" in mine[0], rows[-5:]
