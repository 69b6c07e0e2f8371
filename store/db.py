"""Opening the database: one rule for where it is, and one way in for readers and for writers.

Commands open it with `reading()` or `writing()`: a writer first takes the file lock beside the database (two loads
queue there), then opens the file read-write, retrying while another process still has it open (the dashboard
between two page runs, a report being written). A reader waits while a writer holds the lock. Both wait at most a
bounded time and then say in Dutch what they waited for. `connect()` opens without the lock, for tests and tools.
"""

from __future__ import annotations

import os
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from store import errors, figures, lock
from store.errors import DatabaseBusy, NotADatabase, StoreError
from store.schema import SCHEMA_VERSION, current_version, migrate

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "jeugdmonitor.duckdb"
DEMO_DB = ROOT / "data" / "demo.duckdb"


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """`--db PATH`, else `$JEUGDMONITOR_DB`, else `data/jeugdmonitor.duckdb`."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("JEUGDMONITOR_DB")
    return Path(env) if env else DEFAULT_DB


def _seconds(name: str, default: float) -> float:
    try:
        return max(0.0, float(os.environ.get(name, default)))
    except ValueError:
        return default


def queue_wait() -> float:
    """How long a command waits for another writer of ours (a load in progress): `$JEUGDMONITOR_QUEUE_WAIT`."""
    return _seconds("JEUGDMONITOR_QUEUE_WAIT", 1800)


def lock_wait() -> float:
    """How long a command waits for another process to close the file: `$JEUGDMONITOR_LOCK_WAIT`."""
    return _seconds("JEUGDMONITOR_LOCK_WAIT", 60)


_PID = re.compile(r"\(PID (\d+)\)")


def check_database_file(target: Path) -> None:
    """A folder, or a file that is not a DuckDB database, is named in a Dutch message before DuckDB opens it."""
    if target.is_dir():
        raise NotADatabase(f"{target} is een map, geen databasebestand; geef met --db het pad naar het "
                           ".duckdb-bestand op.")
    if not target.exists():
        return
    with target.open("rb") as handle:
        head = handle.read(12)
    if head[8:12] != b"DUCK":
        raise NotADatabase(f"{target} is geen DuckDB-database (misschien een ander soort bestand of een kapotte "
                           "kopie); geef met --db de Jeugdmonitor-database op, of een nieuw pad om er een te "
                           "maken.")


def open_file(path: Path, read_only: bool, wait: float | None = None, progress: lock.Progress | None = None,
              what: str = "openen") -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried while another process holds the file, with Dutch messages for what goes wrong.

    The progress bar is off: DuckDB would write it to stdout, into the command line's report.
    """
    wait = lock_wait() if wait is None else wait
    started, told = time.monotonic(), False
    check_database_file(path)
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            con.execute("SET enable_progress_bar = false")
            return con
        except duckdb.IOException as exc:
            text = str(exc)
            if "not a valid DuckDB database file" in text:
                raise NotADatabase(
                    f"{path} is geen DuckDB-database (of het bestand is beschadigd); de Jeugdmonitor gebruikt het "
                    f"niet. Kies een ander bestand met --db of $JEUGDMONITOR_DB."
                ) from None
            if "Could not set lock on file" not in text:
                reason = errors.reason(text)
                raise StoreError(f"De database {path} kan niet worden geopend: {reason}.") from None
            pid = _PID.search(text)
            other = f"PID {pid.group(1)}" if pid else "een ander programma"
        except duckdb.ConnectionException:
            # This process has the file open in the other mode (the app's readers are closing it for a writer).
            other = "dit programma"
        waited = time.monotonic() - started
        if waited >= wait:
            raise DatabaseBusy(
                f"De database {path} is al {round(waited)} seconden in gebruik door een ander programma ({other}); "
                f"{what} is niet gelukt. Sluit dat programma of probeer het later opnieuw."
            )
        if not told and progress:
            progress(f"De database is nog geopend door een ander programma ({other}); even wachten…")
            told = True
        time.sleep(lock.POLL)


def connect(path: str | os.PathLike | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and create or migrate) the database without the writer lock: for tests, benchmarks and tools."""
    target = db_path(path)
    if read_only:
        return open_file(target, True)
    target.parent.mkdir(parents=True, exist_ok=True)
    con = open_file(target, False)
    migrate(con)
    return con


@contextmanager
def writing(path: str | os.PathLike | None = None, what: str = "bijwerken",
            progress: lock.Progress | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database opened read-write under the writer lock (created and migrated when needed)."""
    target = db_path(path)
    check_database_file(target)
    with lock.WriterLock(target, what, queue_wait(), progress):
        con = open_file(target, False, progress=progress, what=what)
        try:
            migrate(con)
            figures.repair(con, progress)
            yield con
        finally:
            con.close()


def wait_for_writer(target: Path, wait: float, progress: lock.Progress | None = None) -> None:
    """Return when no writer holds the lock; DatabaseBusy after `wait` seconds."""
    started, told = time.monotonic(), False
    while (other := lock.holder(target)) is not None:
        waited = time.monotonic() - started
        if waited >= wait:
            raise DatabaseBusy(
                f"De database {target} wordt al {round(waited)} seconden bijgewerkt ({other}); probeer het opnieuw "
                f"als dat klaar is."
            )
        if not told and progress:
            progress(f"Wacht tot het bijwerken van de database klaar is ({other})…")
            told = True
        time.sleep(lock.POLL)


@contextmanager
def reading(path: str | os.PathLike | None = None,
            progress: lock.Progress | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database opened read-only, after any writer has finished; an older schema is migrated first."""
    target = db_path(path)
    if not target.exists():
        raise StoreError(f"De database {target} bestaat niet. Laad eerst gegevens (python -m loaders load BESTAND) "
                         f"of bouw de demo (python -m loaders demo).")
    wait_for_writer(target, queue_wait(), progress)
    con = open_file(target, True, progress=progress, what="lezen")
    if current_version(con) < SCHEMA_VERSION or figures.is_stale(con):
        con.close()
        with writing(target, "database bijwerken", progress):
            pass
        con = open_file(target, True, progress=progress, what="lezen")
    try:
        yield con
    finally:
        con.close()


def has_data(con: duckdb.DuckDBPyConnection) -> bool:
    return con.cursor().execute("SELECT count(*) FROM load_log").fetchone()[0] > 0


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the fictional demo is in the database (then nothing else is: see loaders.demo)."""
    return con.cursor().execute("SELECT count(*) FROM load_log WHERE is_demo").fetchone()[0] > 0
