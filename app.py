"""Jeugdmonitor: the entrypoint. Checks who is there, opens the database, draws the shared choices in the sidebar
and runs the page.

Start with `streamlit run app.py`; the database is the one `JEUGDMONITOR_DB` names (else data/jeugdmonitor.duckdb).
`data/demo.duckdb` is built with the fictional demo when it does not exist yet; any other new file starts empty.
The run holds the database only while it reads (`ui.db.end_run`), so the command line can load beside the app.
With `[auth]` in `.streamlit/secrets.toml` an anonymous visitor sees only the sign-in screen.
"""

import streamlit as st

import store
from ui import auth, db, navigation, state

navigation.configure()
auth.gate()
page = st.navigation(navigation.pages())
try:
    state.remember(state.setup())
    auth.sidebar()
    page.run()
except store.StoreError as exc:
    st.warning(str(exc), icon=":material/hourglass_top:")
finally:
    db.end_run()
