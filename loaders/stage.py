"""A user's file as a DuckDB table of text: `_load_raw (_row, c0, c1, ...)`, one row per data row of the file.

CSV goes through DuckDB's own reader (every field as text); a workbook, JSON, or a CSV DuckDB's reader does not take
(the pandas reader then decides, with its Dutch messages) is registered from its pandas frame. Either way the same
table comes out, so every rule of `loaders.sqlcheck` is written once for all formats. Cells are stripped of the
whitespace Python's `str.strip` removes; an empty cell is NULL. `_row` is the row number a user sees in Excel or an
editor (of a CSV DuckDB reads, set in the table made from it: `Staged.materialize`). Column names of the file are
never put in SQL: the file's i-th column is `c{i}`.
"""

from __future__ import annotations

import codecs
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import duckdb

from loaders import limits
from loaders.read import RawTable, Source, read_source_frame
from loaders.sqlmacros import _SPACE
from loaders.report import FileRefused

RAW = "_load_raw"
# Every character Python's str.strip() removes (what the pandas reader stripped).
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
# Encodings DuckDB's CSV reader reads as they are; others are transcoded to a temporary UTF-8 file first.
NATIVE = {"utf-8-sig": "utf-8"}
BLOCK = 1 << 24


@dataclass
class Staged:
    """The staged file: its columns (clean name as in the file -> `c{i}`) and format, for messages and rules.

    A CSV DuckDB reads is staged lazily (`_load_raw` is its reader, registered on the cursor): the first query over
    it, `materialize`, reads the file once; rows DuckDB's reader sets aside send the file to the pandas reader.
    """

    cur: object
    source: Source
    columns: dict[str, str]
    may_have_control: bool = True  # False: the file holds no control character in any cell (checked on its bytes)
    lazy: bool = False
    rows: int = 0
    _folder: tempfile.TemporaryDirectory | None = None

    @property
    def display(self) -> str:
        return self.source.display

    @property
    def fmt(self) -> str:
        return self.source.fmt

    def names(self) -> list[str]:
        return list(self.columns)

    def materialize(self, create: Callable[[], int], table: str) -> int:
        """Run `create` (a statement that makes the temporary `table` from `_load_raw`, `_row` first, and returns
        the rows it read); when DuckDB's reader set rows aside (more or fewer fields than the header, an unclosed
        quote, a very long line), stage the file from the pandas reader, which reads it or says in Dutch why it
        cannot, and run `create` again. Rows DuckDB's reader read are numbered afterwards (`_number`)."""
        rows = create()
        if self.lazy:
            if self.settle():
                rows = create()
            else:
                _number(self.cur, table, rows)
        limits.check_rows(rows, self.display)
        self.rows = rows
        return rows

    def settle(self) -> bool:
        """After DuckDB's reader ran: stop reading lazily; if it set rows aside, stage the file from the pandas
        reader instead (True: `_load_raw` changed)."""
        rejected = self.cur.execute("SELECT count(*) FROM _load_rejects").fetchall()[0][0]
        _drop_rejects(self.cur)
        self.cur.unregister(RAW)
        self.lazy = False
        if rejected:
            self.may_have_control = True
            _stage_frame(self.cur, read_source_frame(self.source), self.columns)
        return bool(rejected)

    def drop(self) -> None:
        """Remove what staging made (a transaction that an error aborted drops its temporary tables itself)."""
        if self._folder is not None:
            self._folder.cleanup()
        try:
            if self.lazy:
                self.cur.unregister(RAW)
                _drop_rejects(self.cur)
            self.cur.execute(f"DROP TABLE IF EXISTS {RAW}")
        except duckdb.TransactionException:
            pass  # the caller's error is the one to report; its rollback removes the rest


def stage(cur, source: Source) -> Staged:
    """Make the file's rows available as `_load_raw`; refuses (FileRefused) a file without data rows."""
    columns = {name: f"c{i}" for i, name in enumerate(source.columns)}
    staged = Staged(cur=cur, source=source, columns=columns)
    if source.raw is None and not source.leading_blank:
        path, staged._folder = _utf8(source)
        scan = scan_bytes(path, source.sep)
        staged.may_have_control = scan.control
        _register_csv(cur, path, source, columns, scan.full_strip)
        staged.lazy = True
    else:
        _stage_frame(cur, source.raw if source.raw is not None else read_source_frame(source), columns)
    if not _has_rows(cur) and not (staged.lazy and staged.settle() and _has_rows(cur)):
        staged.drop()
        raise FileRefused(f"{source.display}: het bestand heeft een kopregel maar geen gegevens.")
    return staged


def _has_rows(cur) -> bool:
    return bool(cur.execute(f"SELECT count(*) FROM (SELECT 1 FROM {RAW} LIMIT 1)").fetchall()[0][0])


# A cell with whitespace at an edge (`sqlmacros._SPACE`: what Python's str.isspace() takes, in RE2 terms).
EDGE = f"^[{_SPACE}]|[{_SPACE}]$"


def _cells(columns: dict[str, str], full_strip: bool = True) -> str:
    # trim() with a set of characters is slow: only the cells with whitespace at an edge go through it.
    strip = ("CASE WHEN regexp_matches({c}::VARCHAR, $edge) THEN trim({c}::VARCHAR, $ws) ELSE {c}::VARCHAR END"
             if full_strip else "trim({c})")
    return ", ".join(f"nullif({strip.format(c=c)}, '') AS {c}" for c in columns.values())


def _without(suspect: set[int]) -> bytes:
    return bytes(b for b in range(256) if b not in suspect)


# Bytes that start (or are) a whitespace character other than the space: VT, FF, FS-US, and the lead bytes of
# U+0085, U+00A0, U+1680, U+2000-U+205F, U+3000 (conservative: any character with such a lead byte).
_EDGE = {0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0xC2, 0xE1, 0xE2, 0xE3}
# Control characters a cell may hold (line feeds count only inside quotes, so a quote counts too).
_CONTROL = set(range(0x00, 0x09)) | {0x0B, 0x0C} | set(range(0x0E, 0x20)) | {0x7F, 0x22}


@dataclass(frozen=True)
class ByteScan:
    full_strip: bool  # a cell can start or end with whitespace other than spaces
    control: bool     # a cell can hold a control character


def scan_bytes(path: Path, sep: str) -> ByteScan:
    """What the file's bytes rule out, so DuckDB skips work that cannot matter: `trim` with a set of characters
    costs ten times the plain `trim`, the control-character rule a regular expression per cell. In a tab-separated
    file a tab is a separator, or inside quotes part of a cell."""
    tab = {0x22} if sep == "\t" else {0x09}
    edge, control = _EDGE | tab, _CONTROL | tab
    harmless = _without(edge | control)
    full = has_control = False
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            lone_cr = b"\r" in block and block.count(b"\r") != block.count(b"\r\n")
            found = set(block.translate(None, harmless))  # the few suspect bytes, usually none
            full = full or lone_cr or bool(found & edge)
            has_control = has_control or lone_cr or bool(found & control)
            if full and has_control:
                break
    return ByteScan(full, has_control)


def _register_csv(cur, path: Path, source: Source, columns: dict[str, str], full: bool) -> None:
    """DuckDB's reader as `_load_raw` (not read yet). Errors are collected (`store_rejects`), never raised: an error
    would abort the load's transaction."""
    _drop_rejects(cur)
    ordered = cur.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0][0]
    if not ordered:
        raise RuntimeError("preserve_insertion_order is off: the rows of a file would lose their row numbers")
    reader = cur.sql(
        f"""SELECT NULL::BIGINT AS _row, {_cells(columns, full)}
            FROM read_csv($path, delim = $sep, quote = '"', escape = '"', header = true, auto_detect = false,
                          columns = $types, strict_mode = true, max_line_size = 16777216, ignore_errors = true,
                          store_rejects = true, rejects_table = '_load_rejects', rejects_scan = '_load_reject_scans')""",
        params={**({"ws": WHITESPACE, "edge": EDGE} if full else {}), "path": str(path), "sep": source.sep,
                "types": {n: "VARCHAR" for n in columns.values()}},
    )
    cur.register(RAW, reader)


def _number(cur, table: str, rows: int) -> None:
    """Set `_row` of a table made from DuckDB's reader: its rows are in file order, so a row's `rowid` less the
    first is its place among the data rows. Numbering in the read itself (`WITH ORDINALITY`) would make DuckDB read
    and convert the file on one thread; this way the read runs on all of them and the numbering costs one update.
    DuckDB keeps the order of a file's rows in `CREATE TABLE AS` over one table function (`preserve_insertion_order`,
    on by default; `_register_csv` checks it)."""
    first, last = cur.execute(f"SELECT min(rowid), max(rowid) FROM {table}").fetchall()[0]
    if rows and last - first + 1 != rows:
        raise RuntimeError(f"{table}: rowid {first}..{last} does not number {rows} rows one by one")
    cur.execute(f"UPDATE {table} SET _row = rowid - $first + 2", {"first": first or 0})


def _drop_rejects(cur) -> None:
    cur.execute("DROP TABLE IF EXISTS _load_rejects")
    cur.execute("DROP TABLE IF EXISTS _load_reject_scans")


def _stage_frame(cur, raw: RawTable, columns: dict[str, str]) -> None:
    frame = raw.frame.copy()
    frame.columns = list(columns.values())
    frame.insert(0, "_row", [raw.row_number(i) for i in range(len(frame))] if len(frame) else [])
    frame = frame.astype({c: "object" for c in columns.values()})
    cur.register("_load_frame", frame)
    try:
        cur.execute(f"CREATE OR REPLACE TEMP TABLE {RAW} AS SELECT _row::BIGINT AS _row, {_cells(columns)} "
                    "FROM _load_frame", {"ws": WHITESPACE, "edge": EDGE})
    finally:
        cur.unregister("_load_frame")


def _utf8(source: Source) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    """The file as UTF-8 for DuckDB: the file itself, or a temporary transcoded copy (UTF-16, Windows-1252) in a
    folder the caller removes."""
    if source.encoding in NATIVE:
        return source.path, None
    folder = tempfile.TemporaryDirectory(prefix="jeugdmonitor_csv_")
    target = Path(folder.name) / "utf8.csv"
    decoder = codecs.getincrementaldecoder(source.encoding)()
    with source.path.open("rb") as raw, target.open("w", encoding="utf-8", newline="") as out:
        while block := raw.read(BLOCK):
            out.write(decoder.decode(block))  # a BOM stays in the header line, which the reader skips
        out.write(decoder.decode(b"", final=True))
    return target, folder


