"""Why the database could not be used, in a Dutch sentence the command line and the app show as they are."""

from __future__ import annotations

import duckdb


class StoreError(Exception):
    """The database cannot be used right now; `str(exc)` is the Dutch message for the user."""


class NotADatabase(StoreError):
    """The file named as the database is no (usable) Jeugdmonitor database."""


class DatabaseBusy(StoreError):
    pass


class DiskFull(StoreError):
    pass


# What the operating system says (through Python or DuckDB), in Dutch.
_REASONS = {"Permission denied": "geen toegang", "Is a directory": "dit is een map",
            "No such file or directory": "de map bestaat niet", "Read-only file system": "alleen-lezen bestandssysteem",
            "Operation not permitted": "geen toestemming", "No space left on device": "de schijf is vol",
            "Disk quota exceeded": "de schijf is vol"}


def reason(text: str) -> str:
    """The Dutch words for an operating-system error in `text`; the text itself when it is none of them."""
    return next((nl for en, nl in _REASONS.items() if en in text), text)


# What DuckDB (through the operating system) says when a write does not fit: ENOSPC, EFBIG, EDQUOT.
_FULL = ("No space left on device", "File too large", "Disk quota exceeded")


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.Error) and any(text in str(exc) for text in _FULL)


def disk_full(path, what: str) -> DiskFull:
    return DiskFull(
        f"De schijf is vol (of het bestand wordt groter dan het systeem toestaat) bij het schrijven van de database "
        f"{path}: {what} is niet gelukt en er is niets gewijzigd. Maak ruimte vrij en probeer het opnieuw."
    )
