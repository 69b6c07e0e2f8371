"""The app's database: read through a connection shared by the page runs, written in short exclusive blocks.

`connection()` is what pages pass around as `con`: it opens the file read-only on first use in a run and lets it go
when the run ends (`end_run`, from the entrypoint), so a load from the command line can write while the dashboard
runs (see `store.shared`). The version token changes with every load, so cached results (`st.cache_data`) of an
older load are not reused; it includes the file path, so two databases in one process (tests) never share them.
While a writer holds the database the version cannot be read: the runs then use the last version read, and so the
figures cached for it, and the page says that new figures are coming.

With a read-only source (`$JEUGDMONITOR_BRON`, or `bron` under `[jeugdmonitor]` in `.streamlit/secrets.toml`: an
export folder or a DuckDB file on shared storage, see `store.published`) the app reads only that, never its own
database file, and writes nothing: no uploads, no duiding notes (`read_only()`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, TypeVar

import streamlit as st

import store
from common import nl
from store import published
from store.shared import SharedDatabase, shared
from store.shared import end_run as end_all_runs
from ui import auth

T = TypeVar("T")
_last_version: dict[str, str] = {}


@st.cache_resource(show_spinner="Database openen; de eerste keer wordt de demodatabase opgebouwd…")
def _open(path: str) -> SharedDatabase:
    """Create or migrate the file once per process (the demo file is built on first start), then share it."""
    target = store.db_path(path)
    if target.exists():
        with store.reading(target):
            pass
    else:
        with store.writing(target, "database klaarzetten") as con:
            if target.resolve() == store.DEMO_DB.resolve():
                from loaders import build_demo

                build_demo(con)
    return shared(target)


@st.cache_resource(show_spinner="Gepubliceerde cijfers openen…")
def _open_source(path: str) -> published.ReadOnlySource:
    return published.ReadOnlySource(Path(path))


def source() -> Path | None:
    """The read-only source the app serves, if one is set: `$JEUGDMONITOR_BRON`, else `bron` in the secrets."""
    named = published.configured() or auth.setting("bron")
    return Path(named) if named else None


def read_only() -> bool:
    return source() is not None


def read_only_notice(what: str) -> str:
    """Why `what` (e.g. 'bestanden laden') cannot be done here, with the date of the figures served."""
    con = connection()
    manifest = getattr(con, "manifest", None)
    if manifest:
        made = nl.datetime(dt.datetime.fromisoformat(manifest["geexporteerd_op"]))
        copy = f"een alleen-lezen kopie van de gepubliceerde cijfers (export van {made})"
    else:
        copy = "een alleen-lezen kopie van de database"
    return (f"Deze Jeugdmonitor toont {copy}; {what} kan hier niet. Gegevens laden en duidingen schrijven gebeurt "
            f"in de Jeugdmonitor op de laadcomputer; nieuwe cijfers verschijnen hier na de volgende export.")


def connection() -> SharedDatabase | published.ReadOnlySource:
    """The read-only source when one is set; else the shared connection to the database named by `JEUGDMONITOR_DB`
    (else the default file). A file that is no DuckDB database or no export stops the page with a Dutch message."""
    bron = source()
    try:
        if bron is not None:
            return _open_source(str(bron.absolute()))
        return _open(str(store.db_path().resolve()))
    except store.NotADatabase as exc:
        st.error(f"De database kan niet worden geopend: {exc}", icon=":material/error:")
        st.stop()


def end_run() -> None:
    """Give back this run's hold on the database (the entrypoint calls it when the run ends, however it ends)."""
    end_all_runs()


def read(fn: Callable[[SharedDatabase], T]) -> T:
    """`fn(con)` with the database held only meanwhile: for work done outside a page run (a download)."""
    database = connection()
    try:
        return fn(database)
    finally:
        database.end_run()


def version(con: SharedDatabase) -> tuple[str, bool]:
    """(version token, whether it is current); while a writer works, the last token read and False."""
    try:
        token = con.version()
    except store.DatabaseBusy:
        if str(con.path) not in _last_version:
            raise
        return _last_version[str(con.path)], False
    _last_version[str(con.path)] = token
    return token, True


@st.cache_data(show_spinner=False, max_entries=64)
def status(_con, version: str) -> tuple[bool, bool]:
    """(has data, is demo)."""
    return store.has_data(_con), store.is_demo(_con)
