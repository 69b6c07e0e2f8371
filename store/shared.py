"""The dashboard's access to its database: a read-only connection shared by the page runs, let go for writers.

DuckDB lets one process write a file only while no other process has it open, even read-only. So the app opens the
file only while page runs read it: a run takes a lease on first use (`cursor()`) and gives it back when it ends
(`end_run()`, called by the entrypoint; a run whose thread has ended is let go too). The connection stays open a
moment after the last lease (`LINGER`) for the next run, and is closed at once when a writer waits: a load on the
command line, or an upload or note in the app itself (`writing()`). While a writer holds the lock no new lease is
given; a run waits at most `READ_WAIT` seconds and then gets DatabaseBusy, so a page can say the data are being
updated (and show what it has cached).
"""

from __future__ import annotations

import threading
import time
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from store import db, lock
from store.errors import DatabaseBusy

LINGER = 1.0
READ_WAIT = 3.0
TICK = 0.05


class SharedDatabase:
    """One database file as the app process uses it (one object per file: see `shared()`)."""

    def __init__(self, path: Path):
        self.path = path
        self._cv = threading.Condition()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._leases: dict[threading.Thread, int] = {}
        self._writers = 0
        self._last_use = 0.0
        _watched.add(self)

    # -- readers ---------------------------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the shared connection; the calling thread holds a lease until `end_run()`."""
        me = threading.current_thread()
        with self._cv:
            if me not in self._leases:
                self._lease(me)
            self._last_use = time.monotonic()
            return self._con.cursor()

    def execute(self, *args, **kwargs) -> duckdb.DuckDBPyConnection:
        return self.cursor().execute(*args, **kwargs)

    def executemany(self, *args, **kwargs) -> duckdb.DuckDBPyConnection:
        return self.cursor().executemany(*args, **kwargs)

    def _lease(self, me: threading.Thread) -> None:
        deadline = time.monotonic() + READ_WAIT
        while True:
            other = "de Jeugdmonitor zelf" if self._writers else lock.holder(self.path)
            if other is None:
                if self._con is None:
                    try:
                        self._con = db.open_file(self.path, True, wait=0)
                    except DatabaseBusy:
                        other = "een ander programma"
                if self._con is not None:
                    self._leases[me] = 1
                    return
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"De gegevens worden op dit moment bijgewerkt ({other}). Over een ogenblik zijn de nieuwe "
                    f"cijfers te zien: laad de pagina dan opnieuw."
                )
            self._cv.wait(TICK)

    def end_run(self) -> None:
        """The calling thread's run has ended: give its lease back."""
        with self._cv:
            if self._leases.pop(threading.current_thread(), None) is not None:
                self._last_use = time.monotonic()
                self._cv.notify_all()

    def version(self) -> str:
        """A token that changes when data are loaded or indicators are recomputed."""
        cur = self.cursor()
        loads = cur.execute("SELECT count(*), max(load_id), max(loaded_at) FROM load_log").fetchone()
        values = cur.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
        return f"{self.path}|{loads[0]}|{loads[1]}|{loads[2]}|{values}"

    # -- writers ---------------------------------------------------------------------------------------------
    @contextmanager
    def writing(self, what: str, progress: lock.Progress | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """The database read-write for this block: new leases wait, the shared connection closes once the runs
        that hold a lease have ended, then `store.writing` (the file lock, queueing behind other writers)."""
        self.end_run()
        with self._cv:
            self._writers += 1
            try:
                deadline = time.monotonic() + db.lock_wait()
                while self._leases:
                    self._sweep()
                    if time.monotonic() >= deadline:
                        raise DatabaseBusy(f"De database {self.path} wordt nog gelezen door andere bezoekers; "
                                           f"{what} is niet gelukt. Probeer het opnieuw.")
                    self._cv.wait(TICK)
                self._close()
            except BaseException:
                self._writers -= 1
                raise
        try:
            with db.writing(self.path, what, progress) as con:
                yield con
        finally:
            with self._cv:
                self._writers -= 1
                self._cv.notify_all()

    # -- housekeeping ----------------------------------------------------------------------------------------
    def _sweep(self) -> None:
        """Leases of threads that have ended (a run that stopped without `end_run`) are given back."""
        for thread in [t for t in self._leases if not t.is_alive()]:
            del self._leases[thread]

    def _close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def tick(self) -> None:
        """Close the idle connection when a writer waits for it, or when nobody has used it for LINGER seconds."""
        with self._cv:
            self._sweep()
            if self._con is None or self._leases:
                return
            if self._writers or time.monotonic() - self._last_use > LINGER or lock.holder(self.path) is not None:
                self._close()
                self._cv.notify_all()


_watched: weakref.WeakSet[SharedDatabase] = weakref.WeakSet()
_opened: dict[Path, SharedDatabase] = {}
_opened_lock = threading.Lock()


def shared(path: Path) -> SharedDatabase:
    """The process's SharedDatabase for this file (one per file, so all runs share its connection and leases)."""
    with _opened_lock:
        if path not in _opened:
            _opened[path] = SharedDatabase(path)
            _start_watcher()
        return _opened[path]


def end_run() -> None:
    """The calling thread's run has ended: give back its leases on every database."""
    with _opened_lock:
        databases = list(_opened.values())
    for database in databases:
        database.end_run()


_watcher: threading.Thread | None = None


def _start_watcher() -> None:
    global _watcher
    if _watcher is None or not _watcher.is_alive():
        _watcher = threading.Thread(target=_watch, name="jeugdmonitor-db-watcher", daemon=True)
        _watcher.start()


def _watch() -> None:
    while True:
        time.sleep(TICK)
        for database in list(_watched):
            database.tick()
