"""The choice of gemeente, year and wijk: made once in the sidebar of the entrypoint, kept in the URL.

The widgets are bound to query parameters (`?gemeente=…&jaar=…&wijk=…`), so a view can be shared as a link. Pages
read the result with `current()`.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from store.shared import SharedDatabase

from ui import data

_KEY = "_jeugdmonitor_context"


@dataclass(frozen=True)
class Selection:
    gemeente: str
    gemeente_naam: str
    jaar: int
    jaren: tuple[int, ...]
    wijk: str | None
    wijk_naam: str | None
    wijk_namen: dict


@dataclass(frozen=True)
class Context:
    con: SharedDatabase
    version: str
    has_data: bool
    demo: bool
    selection: Selection | None


def sidebar(con: SharedDatabase, version: str) -> Selection | None:
    """Draw the three choices; None when the database holds no gemeente yet."""
    gemeenten = data.gemeenten(con, version)
    if gemeenten.empty:
        return None
    namen = dict(zip(gemeenten["code"], gemeenten["naam"]))
    gemeente = st.sidebar.selectbox("Gemeente", list(namen), format_func=namen.get, key="gemeente",
                                    bind="query-params")
    years = data.jaren(con, version, gemeente)
    jaren = [int(j) for j in years["jaar"]]
    default = jaren.index(data.default_jaar(years)) if jaren else 0
    jaar = st.sidebar.selectbox("Jaar", jaren, index=default, key="jaar", bind="query-params")
    wijken = data.wijken(con, version, gemeente)
    wijk_namen = dict(zip(wijken["code"], wijken["naam"]))
    wijk = None
    if wijk_namen:
        wijk = st.sidebar.selectbox("Wijk", list(wijk_namen), index=list(wijk_namen).index(min(wijk_namen)),
                                    format_func=wijk_namen.get, key="wijk", bind="query-params",
                                    help="De wijk die op de pagina's wordt uitgelicht en in de presentatie "
                                         "centraal staat.")
    return Selection(gemeente, namen[gemeente], int(jaar) if jaar is not None else 0, tuple(jaren), wijk,
                     wijk_namen.get(wijk), wijk_namen)


def setup() -> Context:
    """Open the database and draw the shared choices; what the entrypoint does before the page runs."""
    from ui import db

    con = db.connection()
    version, current = db.version(con)
    has_data, demo = db.status(con, version)
    st.sidebar.markdown("### Jeugdmonitor")
    if not current:
        st.sidebar.info("Er worden nu gegevens geladen; u ziet de cijfers van vóór die lading tot die klaar is.",
                        icon=":material/hourglass_top:")
    selection = sidebar(con, version) if has_data else None
    if demo:
        st.sidebar.caption("Fictieve demodata")
    elif not has_data:
        st.sidebar.caption("Nog geen gegevens geladen: zie de pagina Gegevens.")
    return Context(con, version, has_data, demo, selection)


def remember(context: Context) -> None:
    st.session_state[_KEY] = context


def current() -> Context:
    """The context the entrypoint made in this run (taken, so that a later run cannot see a stale one).

    A page that runs without the entrypoint (Streamlit's old `pages/` folder mode, see `ui.navigation`) finds
    none: it then leaves that mode for the next runs and makes the context itself.
    """
    if _KEY not in st.session_state:
        from ui.navigation import leave_folder_mode

        leave_folder_mode()
        return setup()
    return st.session_state.pop(_KEY)
