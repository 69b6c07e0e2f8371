"""Limits checked before (or while) a file is read, so that no file can hang the loader or take the machine's memory.

Each limit refuses the file with its own Dutch message. The numbers are far above any real file: the national
benchmark's 5 million trajectories, a KWB table of a few hundred columns.
"""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import numpy as np

from loaders.report import FileRefused

MAX_COLUMNS = 2_000
MAX_ROWS = 25_000_000
MAX_XLSX_ROWS = 1_048_576  # what Excel itself can hold
MAX_JSON_BYTES = 1 << 30
MAX_JSON_DEPTH = 64


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_regular(path: Path, display: str) -> None:
    """Only regular files: a folder, a named pipe or a device is refused before it is opened (a pipe would hang)."""
    try:
        mode = os.stat(path).st_mode
    except PermissionError:
        raise FileRefused(f"{display}: geen toestemming om dit bestand te lezen.") from None
    except FileNotFoundError:
        raise
    except OSError:  # a symlink loop, a name too long
        raise FileRefused(f"{display}: dit bestand kan niet worden geopend (het pad klopt niet).") from None
    if stat.S_ISDIR(mode):
        raise FileRefused(f"{display}: dit is een map, geen bestand; geef de bestanden in de map afzonderlijk op.")
    if not stat.S_ISREG(mode):
        raise FileRefused(f"{display}: dit is geen gewoon bestand (maar bijvoorbeeld een pipe of apparaat); "
                          "sla de gegevens eerst op in een bestand.")
    if not os.access(path, os.R_OK):
        raise FileRefused(f"{display}: geen toestemming om dit bestand te lezen.")


def check_columns(count: int, display: str) -> None:
    if count > MAX_COLUMNS:
        raise FileRefused(f"{display}, rij 1: {_number(count)} kolommen; de Jeugdmonitor leest hoogstens "
                          f"{_number(MAX_COLUMNS)} kolommen.")


def check_header(header: str, sep: str, display: str) -> None:
    """Columns in the header: not too many, and none twice (pandas would silently rename the second)."""
    if header.count(sep) + 1 > MAX_COLUMNS:
        check_columns(header.count(sep) + 1, display)
    names = next(csv.reader([header], delimiter=sep), [])
    check_columns(len(names), display)
    seen: dict[str, str] = {}
    for name in names:
        clean = name.strip().lstrip("\ufeff").strip()
        if clean and clean.lower() in seen:
            raise FileRefused(f"{display}, rij 1: de kolom '{clean}' komt twee keer voor.")
        seen[clean.lower()] = clean


def check_rows(count: int, display: str, limit: int | None = None) -> None:
    limit = MAX_ROWS if limit is None else limit
    if count > limit:
        raise FileRefused(f"{display}: meer dan {_number(limit)} rijen; de Jeugdmonitor leest hoogstens "
                          f"{_number(limit)} rijen uit één bestand. Splits het bestand.")


def check_json_size(path: Path, display: str) -> None:
    size = path.stat().st_size
    if size > MAX_JSON_BYTES:
        raise FileRefused(f"{display}: het JSON-bestand is {_number(size >> 20)} MB; de Jeugdmonitor leest JSON tot "
                          f"{_number(MAX_JSON_BYTES >> 20)} MB (gebruik CSV voor grotere bestanden).")


def json_depth(text: str) -> int:
    """The deepest nesting of brackets outside strings, computed in whole arrays (a Python loop over 1 GB is slow)."""
    data = np.frombuffer(text.encode("utf-8", errors="replace"), dtype=np.uint8)
    if not len(data):
        return 0
    quote = data == ord('"')
    escaped = np.zeros(len(data), dtype=bool)
    backslash = data == ord("\\")
    if backslash.any():
        # A quote is escaped when an odd run of backslashes precedes it.
        run = np.zeros(len(data), dtype=np.int64)
        idx = np.flatnonzero(backslash)
        starts = np.r_[True, np.diff(idx) != 1]
        group = np.cumsum(starts)
        first = idx[starts][group - 1]
        run[idx] = idx - first + 1
        prev = np.r_[0, run[:-1]]
        escaped = quote & (prev % 2 == 1)
    quote &= ~escaped
    inside = (np.cumsum(quote) - quote) % 2 == 1
    step = np.where(inside, 0, (data == ord("[")).astype(np.int8) + (data == ord("{"))
                    - (data == ord("]")) - (data == ord("}")))
    return int(np.cumsum(step, dtype=np.int64).max())


def check_json_depth(text: str, display: str) -> None:
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise FileRefused(f"{display}: de JSON is {_number(depth)} niveaus diep genest; de Jeugdmonitor leest "
                          f"hoogstens {MAX_JSON_DEPTH} niveaus.")
