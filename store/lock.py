"""The file lock beside the database (`<db>.lock`): one writer at a time, in any process.

Every writer (a load, the demo build, an upload or a note in the app) holds it exclusively for as long as it writes;
a second writer waits for it in turn. Readers never hold it: they look whether a writer holds it, and then wait
instead of opening the database (DuckDB lets no writer in while any process has the file open). The holder writes
its process id, what it does and since when into the file, so whoever waits can say what it waits for.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import time
from pathlib import Path
from typing import Callable

from store.errors import DatabaseBusy

Progress = Callable[[str], None]
POLL = 0.05


def lock_path(db: Path) -> Path:
    return Path(f"{db}.lock")


def holder(db: Path) -> str | None:
    """What holds the writer lock ('PID 123, laden, sinds 14:05:03'), or None when no writer holds it."""
    path = lock_path(db)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _describe(os.pread(fd, 512, 0)) or "een andere opdracht"
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _describe(raw: bytes) -> str:
    parts = raw.decode("utf-8", "replace").split("\t")
    return f"PID {parts[0]}, {parts[1]}, sinds {parts[2]}" if len(parts) == 3 else ""


class WriterLock:
    """Hold the writer lock of a database, waiting for another writer at most `wait` seconds."""

    def __init__(self, db: Path, what: str, wait: float, progress: Progress | None = None):
        self.db, self.what, self.wait, self.progress = db, what, wait, progress
        self.fd: int | None = None

    def __enter__(self) -> "WriterLock":
        self.db.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path(self.db), os.O_RDWR | os.O_CREAT, 0o644)
        started, told = time.monotonic(), False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                other = _describe(os.pread(fd, 512, 0)) or "een andere opdracht"
                waited = time.monotonic() - started
                if waited >= self.wait:
                    os.close(fd)
                    raise DatabaseBusy(
                        f"De database {self.db} wordt al {round(waited)} seconden bijgewerkt door een andere opdracht "
                        f"({other}); {self.what} is niet gestart. Probeer het opnieuw als die klaar is."
                    ) from None
                if not told and self.progress:
                    self.progress(f"Wacht tot een andere opdracht klaar is met de database ({other})…")
                    told = True
                time.sleep(POLL)
        since = dt.datetime.now().strftime("%H:%M:%S")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\t{self.what}\t{since}".encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
