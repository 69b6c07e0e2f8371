"""A user's file as a DuckDB table of text: `_load_raw (_row, c0, c1, ...)`, one row per data row of the file.

CSV goes through DuckDB's own reader (every field as text); a workbook, JSON, or a CSV DuckDB's reader does not take
(the pandas reader then decides, with its Dutch messages) is registered from its pandas frame. Either way the same
table comes out, so every rule of `loaders.sqlcheck` is written once for all formats. Cells are stripped of the
whitespace Python's `str.strip` removes; an empty cell is NULL. `_row` is the row number a user sees in Excel or an
editor. Column names of the file are never put in SQL: the file's i-th column is `c{i}`.
"""

from __future__ import annotations

import codecs
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


from loaders import limits
from loaders.read import RawTable, Source, read_source_frame
from loaders.report import FileRefused

RAW = "_load_raw"
# Every character Python's str.strip() removes (what the pandas reader stripped).
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
# Encodings DuckDB's CSV reader reads as they are; others are transcoded to a temporary UTF-8 file first.
NATIVE = {"utf-8-sig": "utf-8"}
BLOCK = 1 << 24


@dataclass
class Staged:
    """The staged file: its columns (clean name as in the file -> `c{i}`) and format, for messages and rules."""

    cur: object
    display: str
    fmt: str
    columns: dict[str, str]
    rows: int
    json_data: object = None

    def names(self) -> list[str]:
        return list(self.columns)


def stage(cur, source: Source) -> Staged:
    """Put the file's rows in `_load_raw`; refuses (FileRefused) what cannot be read as a table."""
    columns = {name: f"c{i}" for i, name in enumerate(source.columns)}
    if source.raw is None and not source.leading_blank:
        with _utf8(source) as path:
            taken = _stage_csv(cur, path, source, columns)
        if not taken:
            # DuckDB's reader set rows aside (more or fewer fields than the header, an unclosed quote, a very long
            # line): the pandas reader reads the file or says in Dutch why it cannot.
            _stage_frame(cur, read_source_frame(source), columns)
    else:
        _stage_frame(cur, source.raw if source.raw is not None else read_source_frame(source), columns)
    rows = cur.execute(f"SELECT count(*) FROM {RAW}").fetchone()[0]
    limits.check_rows(rows, source.display)
    if rows == 0:
        raise FileRefused(f"{source.display}: het bestand heeft een kopregel maar geen gegevens.")
    return Staged(cur=cur, display=source.display, fmt=source.fmt, columns=columns, rows=rows)


def _cells(columns: dict[str, str], full_strip: bool = True) -> str:
    strip = "trim({c}::VARCHAR, $ws)" if full_strip else "trim({c})"
    return ", ".join(f"nullif({strip.format(c=c)}, '') AS {c}" for c in columns.values())


def _harmless_bytes(sep: str) -> bytes:
    """Every byte except those that start (or are) a whitespace character other than the space: VT, FF, FS-US, and
    the lead bytes of U+0085, U+00A0, U+1680, U+2000-U+205F, U+3000 (conservative: any character with such a lead
    byte). In a tab-separated file a tab is a cell's edge only inside quotes, so there the quote counts."""
    suspect = {0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0xC2, 0xE1, 0xE2, 0xE3, 0x22 if sep == "\t" else 0x09}
    return bytes(b for b in range(256) if b not in suspect)


def needs_full_strip(path: Path, sep: str) -> bool:
    """Whether a cell of this UTF-8 file can start or end with whitespace other than spaces (DuckDB's `trim` with a
    set of characters costs ten times its plain `trim`, so the set is used only where it can matter)."""
    harmless = _harmless_bytes(sep)
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            if block.count(b"\r") != block.count(b"\r\n") or block.translate(None, harmless):
                return True
    return False


def _stage_csv(cur, path: Path, source: Source, columns: dict[str, str]) -> bool:
    """DuckDB's reader into `_load_raw`; False (and nothing staged) when it set rows aside as malformed.

    Errors are collected (`store_rejects`), never raised: an error would abort the load's transaction."""
    names = list(columns.values())
    full = needs_full_strip(path, source.sep)
    _drop_rejects(cur)
    cur.execute(
        f"""CREATE OR REPLACE TEMP TABLE {RAW} AS
            SELECT ordinality + 1 AS _row, {_cells(columns, full)}
            FROM read_csv($path, delim = $sep, quote = '"', escape = '"', header = true, auto_detect = false,
                          columns = $types, strict_mode = true, max_line_size = 16777216, ignore_errors = true,
                          store_rejects = true, rejects_table = '_load_rejects', rejects_scan = '_load_reject_scans')
                 WITH ORDINALITY""",
        {**({"ws": WHITESPACE} if full else {}), "path": str(path), "sep": source.sep,
         "types": {n: "VARCHAR" for n in names}},
    )
    rejected = cur.execute("SELECT count(*) FROM _load_rejects").fetchone()[0]
    _drop_rejects(cur)
    return rejected == 0


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
                    "FROM _load_frame", {"ws": WHITESPACE})
    finally:
        cur.unregister("_load_frame")


@contextmanager
def _utf8(source: Source):
    """The file as UTF-8 for DuckDB: the file itself, or a temporary transcoded copy (UTF-16, Windows-1252)."""
    if source.encoding in NATIVE:
        yield source.path
        return
    with tempfile.TemporaryDirectory(prefix="jeugdmonitor_csv_") as folder:
        target = Path(folder) / "utf8.csv"
        decoder = codecs.getincrementaldecoder(source.encoding)()
        with source.path.open("rb") as raw, target.open("w", encoding="utf-8", newline="") as out:
            while block := raw.read(BLOCK):
                out.write(decoder.decode(block))  # a BOM stays in the header line, which the reader skips
            out.write(decoder.decode(b"", final=True))
        yield target


def drop(cur) -> None:
    cur.execute(f"DROP TABLE IF EXISTS {RAW}")
