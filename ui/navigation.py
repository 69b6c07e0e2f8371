"""The pages of the app, declared once for `st.navigation` in the entrypoint."""

from __future__ import annotations

import streamlit as st


def configure() -> None:
    st.set_page_config(page_title="Jeugdmonitor", page_icon="📊", layout="wide")


# (section, script, title, icon); the first page is the default and lives at the root.
PAGES = (
    ("Monitor", "pages/overzicht.py", "Overzicht", ":material/dashboard:"),
    ("Monitor", "pages/wijkverschillen.py", "Wijkverschillen", ":material/map:"),
    ("Monitor", "pages/trends.py", "Trends", ":material/show_chart:"),
    ("Monitor", "pages/toegang.py", "Toegang en wachttijden", ":material/schedule:"),
    ("Monitor", "pages/financien.py", "Financiën", ":material/euro:"),
    ("Samen duiden", "pages/presentatie.py", "Presentatie", ":material/co_present:"),
    ("Beheer", "pages/gegevens.py", "Gegevens", ":material/database:"),
)


def url_path(script: str) -> str:
    """A page's address: the script's name (as Streamlit derives it), the default page at the root."""
    return script.removeprefix("pages/").removesuffix(".py")


def pages() -> dict:
    sections: dict[str, list] = {}
    for number, (section, script, title, icon) in enumerate(PAGES):
        sections.setdefault(section, []).append(st.Page(script, title=title, icon=icon, default=number == 0))
    return sections


def leave_folder_mode() -> None:
    """Make the next runs go through app.py.

    With a `pages/` folder, Streamlit starts in its old folder mode until `st.navigation` is first called; when the
    first request after a start is a link to a page, that page runs without the entrypoint. Declaring the
    navigation (not run here: this run's page is already running) shows the menu and switches the mode for the
    runs that follow.
    """
    configure()
    st.navigation(pages())
