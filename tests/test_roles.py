"""Roles from configuration, checked where the action happens (AppTest over the real app and a real DuckDB file)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import store
from common import roles

APP = Path(__file__).resolve().parent.parent / "app.py"
CONFIG = {"beheerders": ["Bea.Beheer@voorbeeldstad.nl"], "duiders": ["dirk-sub-1"]}
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "jm",
        "client_secret": "geheim", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
DUIDER = {"is_logged_in": True, "email": "dirk@voorbeeldstad.nl", "sub": "dirk-sub-1", "name": "Dirk Duider"}
LEZER = {"is_logged_in": True, "email": "lies@voorbeeldstad.nl", "sub": "lies-sub", "name": "Lies Lezer"}


@pytest.mark.parametrize(("email", "sub", "role"), [
    ("bea.beheer@VOORBEELDSTAD.nl", "x", roles.BEHEERDER),   # e-mail, case-insensitive
    (None, "dirk-sub-1", roles.DUIDER),                      # subject
    ("lies@voorbeeldstad.nl", "lies-sub", roles.LEZER),      # anyone else signed in reads
    (None, None, roles.LEZER),
])
def test_role_from_configuration(email, sub, role):
    assert roles.role_for(email, sub, CONFIG) == role


def test_each_role_may_do_what_it_should_and_no_more():
    allowed = {r: {a for a in roles.ALLOWED if roles.may(roles.Gebruiker("x", r), a)}
               for r in (roles.BEHEERDER, roles.DUIDER, roles.LEZER)}
    assert allowed == {roles.BEHEERDER: {roles.LADEN, roles.DUIDEN, roles.DUIDING_BEHEREN},
                       roles.DUIDER: {roles.DUIDEN}, roles.LEZER: set()}
    with pytest.raises(roles.NotAllowed, match="Alleen een beheerder kan bestanden laden"):
        roles.require(roles.Gebruiker("Lies", roles.LEZER), roles.LADEN)


def _app(monkeypatch, db: Path, user: dict | None) -> AppTest:
    monkeypatch.setenv("JEUGDMONITOR_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.secrets["auth"] = AUTH
    at.secrets["jeugdmonitor"] = CONFIG
    if user is not None:
        at.user = user
    at.query_params["wijk"] = "WK999902"
    return at


def test_a_note_is_refused_when_the_role_is_gone_by_the_time_it_is_saved(monkeypatch, demo_db, tmp_path):
    """The form was drawn for a duider; the save runs as a reader: the check where the note is written refuses."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    at = _app(monkeypatch, db, DUIDER)
    at.run()
    at.switch_page("pages/presentatie.py").run()
    assert not at.exception
    at.text_area(key="pr_duiding").input("Rollentest: mag niet worden opgeslagen.")
    at.user = LEZER
    at.button(key="pr_opslaan").click().run()
    assert not at.exception
    assert any("Alleen duiders en beheerders" in e.value for e in at.error)
    count = store.connect(db, read_only=True).cursor().execute(
        "SELECT count(*) FROM duiding WHERE tekst LIKE 'Rollentest%'")
    assert count.fetchone()[0] == 0


def test_a_duider_note_records_the_author(monkeypatch, demo_db, tmp_path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    at = _app(monkeypatch, db, DUIDER)
    at.run()
    at.switch_page("pages/presentatie.py").run()
    at.text_area(key="pr_duiding").input("Rollentest: de zaal herkent dit.")
    at.button(key="pr_opslaan").click().run()
    assert not at.exception
    row = store.connect(db, read_only=True).cursor().execute(
        "SELECT auteur, created_at FROM duiding WHERE tekst LIKE 'Rollentest%'").fetchone()
    assert row[0] == "dirk@voorbeeldstad.nl" and row[1] is not None


def test_an_anonymous_visitor_gets_the_sign_in_screen_and_nothing_else(monkeypatch, demo_db, tmp_path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    at = _app(monkeypatch, db, {"is_logged_in": False})
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Inloggen"]
    assert not at.selectbox and not at.metric and not at.sidebar.selectbox


def test_without_login_the_local_user_may_load_and_is_warned_when_reachable(monkeypatch, demo_db, tmp_path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("JEUGDMONITOR_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("pages/gegevens.py").run()
    assert not at.exception
    assert at.get("file_uploader"), "without login the person at the laptop loads files"
    assert any("iedereen die deze pagina bereikt" in w.value for w in at.warning)


def test_the_command_line_records_the_system_user_in_the_load_log(tmp_path):
    import getpass
    import subprocess
    import sys

    norms = tmp_path / "normen.csv"
    norms.write_text("productcategorie;norm_dagen;soort_dagen;bron\nggz;28;kalenderdagen;Treeknorm\n", encoding="utf-8")
    db = tmp_path / "cli.duckdb"
    root = APP.parent
    subprocess.run([sys.executable, "-m", "loaders", "--db", str(db), "load", str(norms)], cwd=root, check=True,
                   capture_output=True)
    status = subprocess.run([sys.executable, "-m", "loaders", "--db", str(db), "status"], cwd=root, check=True,
                            capture_output=True, text=True).stdout
    assert f"| {getpass.getuser()} (opdrachtregel)" in status
