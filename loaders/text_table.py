"""A file as a table of text in DuckDB, so that checks and reshaping run set-based in SQL.

Two ways in, one result: a UTF-8 CSV is read by DuckDB's own reader (every column VARCHAR); any other input (Excel,
JSON, a CSV in another encoding, or one DuckDB's strict reader refuses) is first read by `loaders.read` and its frame
is copied in. Either way the temporary table holds `_row` (the row number a user sees in an editor or Excel) and one
column `c0`, `c1`, ... per column of the file, every cell stripped of surrounding whitespace, never NULL.
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from loaders import encoding, limits
from loaders.read import OLE_MAGIC, XLSX_MAGIC, RawTable, _sniff_separator
from loaders.report import FileRefused

# What Python's str.strip() (the pandas reader's) removes, in ASCII; a file holding any other whitespace character
# (no-break space, U+2000-U+200A, ...) goes through the pandas reader, so cells are stripped exactly alike.
WHITESPACE = "".join(chr(c) for c in range(128) if chr(c).isspace())
EDGE = r"^[\s\x0b\x1c-\x1f]|[\s\x0b\x1c-\x1f]$"  # RE2: \s is [\t\n\f\r ]
OTHER_WHITESPACE = re.compile(b"|".join(re.escape(chr(c).encode()) for c in range(128, sys.maxunicode + 1)
                                        if chr(c).isspace()))


@dataclass
class TextTable:
    """A file's cells in the temporary DuckDB table `name`: `_row` plus `c<i>` for `columns[i]`."""

    name: str
    columns: list[str]   # the header as the file gives it (stripped)
    rows: int
    fmt: str = "csv"

    def sql(self, column: str) -> str:
        """The SQL column holding the file's column `column`."""
        return f"c{self.columns.index(column)}"


def _stripped(columns: list[str], source: str) -> str:
    # trim() with a set of characters is slow; only the few cells with whitespace at an edge need it.
    return ", ".join(f"CASE WHEN regexp_matches({source}{i}, $edge) THEN trim({source}{i}, $ws) "
                     f"ELSE coalesce({source}{i}, '') END AS c{i}" for i in range(len(columns)))


def from_raw(cur, raw: RawTable, name: str) -> TextTable:
    """Copy a frame `loaders.read` made into DuckDB (its cells are stripped strings already)."""
    frame = raw.frame.copy()
    columns = [str(c) for c in frame.columns]
    frame.columns = [f"s{i}" for i in range(len(columns))]
    frame.insert(0, "_row", frame.index.to_numpy() + raw.first_row)
    cur.register("cbs_raw_frame", frame)
    try:
        cells = "".join(f", coalesce(s{i}, '') AS c{i}" for i in range(len(columns)))
        cur.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT _row{cells} FROM cbs_raw_frame")
    finally:
        cur.unregister("cbs_raw_frame")
    return TextTable(name=name, columns=columns, rows=len(frame), fmt=raw.fmt)


@dataclass
class CsvHeader:
    columns: list[str]
    sep: str


def csv_header(path: Path, display: str) -> CsvHeader | None:
    """The header of a UTF-8 CSV DuckDB can read as `loaders.read` would; None for anything `loaders.read` must read
    (and explain) instead. The checks made before reading (regular file, encoding, separator, header) are the same
    functions `loaders.read` calls."""
    limits.check_regular(path, display)
    with path.open("rb") as handle:
        head = handle.read(65536)
    if not head.strip() or head.startswith((OLE_MAGIC, XLSX_MAGIC)):
        return None
    text_encoding = encoding.detect(path, head, display)
    if text_encoding != "utf-8-sig" or encoding.decode_head(head, text_encoding).lstrip().startswith(("{", "[")):
        return None
    header = encoding.first_line(path, text_encoding, display)
    sep = _sniff_separator(header, display)
    limits.check_header(header, sep, display)
    columns = [c.strip().lstrip("\ufeff").strip() for c in next(csv.reader([header], delimiter=sep))]
    if not all(columns) or head.lstrip(codecs.BOM_UTF8)[:1] in (b"\r", b"\n") or OTHER_WHITESPACE.search(path.read_bytes()):
        return None  # unnamed columns, blank lines before the header, other whitespace: the pandas reader's rules
    return CsvHeader(columns=columns, sep=sep)


def from_csv(cur, path: Path, header: CsvHeader, display: str, name: str) -> TextTable | None:
    """The CSV read by DuckDB; None when its strict reader refuses the file (ragged rows, a broken quote): then the
    pandas reader reads it again to say what is wrong in its own words."""
    columns = header.columns
    types = {f"r{i}": "VARCHAR" for i in range(len(columns))}
    try:
        # Insertion order is kept, so rowid is the data row's position in the file.
        cur.execute(
            f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {_stripped(columns, 'r')} FROM read_csv($path, "
            "columns=$types, header=true, delim=$sep, quote='\"', escape='\"', strict_mode=true, auto_detect=false, "
            "null_padding=false, encoding='utf-8')",
            {"path": str(path), "types": types, "sep": header.sep, "ws": WHITESPACE, "edge": EDGE},
        )
    except (duckdb.InvalidInputException, duckdb.ConversionException):
        return None
    cur.execute(f"ALTER TABLE {name} ADD COLUMN _row BIGINT")
    # Inside a transaction new rows get row ids from a high offset: count from the first.
    cur.execute(f"UPDATE {name} SET _row = rowid - (SELECT min(rowid) FROM {name}) + 2")
    rows = cur.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
    limits.check_rows(rows, display)
    if not rows:
        raise FileRefused(f"{display}: het bestand heeft een kopregel maar geen gegevens.")
    return TextTable(name=name, columns=columns, rows=rows)
