"""Opening the database: one rule for the command line and the app."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from store.schema import migrate

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "jeugdmonitor.duckdb"


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """`--db PATH`, else `$JEUGDMONITOR_DB`, else `data/jeugdmonitor.duckdb`."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("JEUGDMONITOR_DB")
    return Path(env) if env else DEFAULT_DB


class DatabaseUnusable(RuntimeError):
    """The file named as the database is no (usable) Jeugdmonitor database; the message is Dutch."""


def check_database_file(target: Path) -> None:
    """A folder, or a file that is not a DuckDB database, is named in a Dutch message before DuckDB opens it."""
    if target.is_dir():
        raise DatabaseUnusable(f"{target} is een map, geen databasebestand; geef met --db het pad naar het "
                               ".duckdb-bestand op.")
    if not target.exists():
        return
    with target.open("rb") as handle:
        head = handle.read(12)
    if head[8:12] != b"DUCK":
        raise DatabaseUnusable(f"{target} is geen DuckDB-database (misschien een ander soort bestand of een kapotte "
                               "kopie); geef met --db de Jeugdmonitor-database op, of een nieuw pad om er een te "
                               "maken.")


def connect(path: str | os.PathLike | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and create or migrate) the database; DatabaseUnusable when the file is no DuckDB database."""
    target = db_path(path)
    check_database_file(target)
    if read_only:
        return _quiet(duckdb.connect(str(target), read_only=True))
    target.parent.mkdir(parents=True, exist_ok=True)
    con = _quiet(duckdb.connect(str(target)))
    migrate(con)
    return con


def _quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """No progress bar: DuckDB would write it to stdout, into the command line's report."""
    con.execute("SET enable_progress_bar = false")
    return con


def has_data(con: duckdb.DuckDBPyConnection) -> bool:
    return con.cursor().execute("SELECT count(*) FROM load_log").fetchone()[0] > 0


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """True when any fictional demo data is in the database."""
    return con.cursor().execute("SELECT count(*) FROM load_log WHERE is_demo").fetchone()[0] > 0
