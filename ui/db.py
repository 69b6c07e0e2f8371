"""One DuckDB connection per process; each query runs on its own cursor.

The version token changes with every load, so cached query results (`st.cache_data`) of an older load are not
reused. It includes the file path, so two databases in one process (tests) never share cached results.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import streamlit as st

import store


@st.cache_resource(show_spinner="Database openen; de eerste keer wordt de demodatabase opgebouwd…")
def _open(path: str) -> duckdb.DuckDBPyConnection:
    is_new = not Path(path).exists()
    con = store.connect(path)
    if is_new:
        from loaders import build_demo

        build_demo(con)
    return con


def connection() -> duckdb.DuckDBPyConnection:
    """The process-wide connection to the database named by `JEUGDMONITOR_DB` (else the default file); a file that
    is no DuckDB database stops the page with a Dutch message."""
    try:
        return _open(str(store.db_path().resolve()))
    except store.DatabaseUnusable as exc:
        st.error(f"De database kan niet worden geopend: {exc}", icon=":material/error:")
        st.stop()


def version(con: duckdb.DuckDBPyConnection) -> str:
    """A token that changes when data are loaded or indicators are recomputed."""
    loads = con.cursor().execute("SELECT count(*), max(load_id), max(loaded_at) FROM load_log").fetchone()
    values = con.cursor().execute("SELECT count(*) FROM indicator_values").fetchone()[0]
    return f"{store.db_path().resolve()}|{loads[0]}|{loads[1]}|{loads[2]}|{values}"


def status(con: duckdb.DuckDBPyConnection) -> tuple[bool, bool]:
    """(has data, is demo)."""
    return store.has_data(con), store.is_demo(con)
