"""Jeugdmonitor: the entrypoint. Checks who is there, opens the database, draws the shared choices in the sidebar
and runs the page.

Start with `streamlit run app.py`; the database is the one `JEUGDMONITOR_DB` names (else data/jeugdmonitor.duckdb),
and a database file that does not exist yet is created with the fictional demo data. With `[auth]` in
`.streamlit/secrets.toml` an anonymous visitor sees only the sign-in screen.
"""

import streamlit as st

from ui import auth, navigation, state

navigation.configure()
auth.gate()
page = st.navigation(navigation.pages())
state.remember(state.setup())
auth.sidebar()
page.run()
