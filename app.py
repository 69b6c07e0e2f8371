"""Jeugdmonitor: the entrypoint. Opens the database, draws the shared choices in the sidebar and runs the page.

Start with `streamlit run app.py`; the database is the one `JEUGDMONITOR_DB` names (else data/jeugdmonitor.duckdb),
and a database file that does not exist yet is created with the fictional demo data.
"""

import streamlit as st

from ui import navigation, state

navigation.configure()
page = st.navigation(navigation.pages())
state.remember(state.setup())
page.run()
