"""The pages of the app, declared once for `st.navigation` in the entrypoint."""

from __future__ import annotations

import streamlit as st


def configure() -> None:
    st.set_page_config(page_title="Jeugdmonitor", page_icon="📊", layout="wide")


def pages() -> dict:
    return {
        "Monitor": [
            st.Page("pages/overzicht.py", title="Overzicht", icon=":material/dashboard:", default=True),
            st.Page("pages/wijkverschillen.py", title="Wijkverschillen", icon=":material/map:"),
            st.Page("pages/trends.py", title="Trends", icon=":material/show_chart:"),
            st.Page("pages/toegang.py", title="Toegang en wachttijden", icon=":material/schedule:"),
            st.Page("pages/financien.py", title="Financiën", icon=":material/euro:"),
        ],
        "Samen duiden": [
            st.Page("pages/presentatie.py", title="Presentatie", icon=":material/co_present:"),
        ],
        "Beheer": [
            st.Page("pages/gegevens.py", title="Gegevens", icon=":material/database:"),
        ],
    }


def leave_folder_mode() -> None:
    """Make the next runs go through app.py.

    With a `pages/` folder, Streamlit starts in its old folder mode until `st.navigation` is first called; when the
    first request after a start is a link to a page, that page runs without the entrypoint. Declaring the
    navigation (not run here: this run's page is already running) shows the menu and switches the mode for the
    runs that follow.
    """
    configure()
    st.navigation(pages())
