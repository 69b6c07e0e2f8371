"""Reading a user's file into a table of strings: CSV in any of the accepted dialects, Excel, or JSON."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from loaders.report import FileRefused

XLSX_MAGIC = b"PK\x03\x04"
SEPARATORS = (";", "\t", ",")
SEPARATOR_NAMES = {";": "puntkomma", "\t": "tab", ",": "komma"}


@dataclass
class RawTable:
    """All cells as stripped strings; `row_numbers` are the numbers a user sees in Excel or an editor."""

    frame: pd.DataFrame
    fmt: str
    first_row: int = 2
    json_data: object = None
    columns_original: dict[str, str] = field(default_factory=dict)

    def row_number(self, index: int) -> int:
        return index + self.first_row


def read_table(path: Path, display: str, sheet: str | None = None) -> RawTable:
    """The whole file as one table."""
    chunks = list(read_chunks(path, display, sheet, chunk_rows=None))
    if len(chunks) == 1:
        return chunks[0]
    return RawTable(frame=pd.concat([c.frame for c in chunks]), fmt=chunks[0].fmt, first_row=chunks[0].first_row,
                    columns_original=chunks[0].columns_original)


def read_chunks(path: Path, display: str, sheet: str | None = None,
                chunk_rows: int | None = 500_000) -> Iterator[RawTable]:
    """The file in pieces of `chunk_rows` rows (CSV only), so millions of rows load in bounded memory.

    The frame index runs on across chunks, so row numbers stay those of the whole file.
    """
    with path.open("rb") as handle:
        head = handle.read(65536)
    if not head.strip():
        raise FileRefused(f"{display}: het bestand is leeg.")
    if head.startswith(XLSX_MAGIC):
        yield _read_xlsx(path, display, sheet)
        return
    if b"\x00" in head[:4096]:
        raise FileRefused(f"{display}: dit is geen tabel (CSV, Excel of JSON) maar een binair bestand.")
    text_head = _decode(head[:4096], display, partial=True)
    if text_head.lstrip().startswith(("{", "[")):
        yield _read_json(path.read_bytes(), display)
        return
    yield from _read_csv(path, head, display, chunk_rows)


def _decode(data: bytes, display: str, partial: bool = False) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            if partial and encoding == "utf-8-sig" and exc.start >= len(data) - 4:
                return data[: exc.start].decode(encoding)
    raise FileRefused(f"{display}: onleesbare tekstcodering (verwacht UTF-8 of Windows-1252).")


def _encoding(path: Path, display: str) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while block := handle.read(1 << 24):
                    decoder.decode(block)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise FileRefused(f"{display}: onleesbare tekstcodering (verwacht UTF-8 of Windows-1252).")


def _sniff_separator(header: str, display: str) -> str:
    counts = {sep: _count_outside_quotes(header, sep) for sep in SEPARATORS}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        raise FileRefused(
            f"{display}, rij 1: geen scheidingsteken gevonden in de kopregel; "
            "gebruik puntkomma (;), komma (,) of tab tussen de kolommen."
        )
    return best


def _count_outside_quotes(line: str, sep: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            count += 1
    return count


def _read_csv(path: Path, head: bytes, display: str, chunk_rows: int | None) -> Iterator[RawTable]:
    encoding = _encoding(path, display)
    text_start = head.decode(encoding, errors="ignore")
    header = next((line for line in text_start.splitlines() if line.strip()), "")
    sep = _sniff_separator(header, display)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            reader = pd.read_csv(
                path, sep=sep, dtype=str, keep_default_na=False, na_filter=False, index_col=False,
                encoding=encoding, skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL, chunksize=chunk_rows,
            )
            if chunk_rows is None:
                yield _finish(reader, "csv", display)
                return
            with reader:
                for number, frame in enumerate(reader):
                    yield _finish(frame, "csv", display, allow_empty=number > 0)
    except pd.errors.ParserWarning:
        raise FileRefused(f"{display}: rijen hebben meer kolommen dan de kopregel.") from None
    except pd.errors.ParserError as exc:
        raise FileRefused(f"{display}: {_parser_message(str(exc))}") from None
    except pd.errors.EmptyDataError:
        raise FileRefused(f"{display}: het bestand is leeg.") from None


def _parser_message(text: str) -> str:
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if m:
        expected, line, saw = m.groups()
        return f"rij {line}: {saw} kolommen gevonden waar de kopregel er {expected} heeft."
    return "het bestand is geen leesbare tabel."


def _read_xlsx(path: Path, display: str, sheet: str | None) -> RawTable:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise FileRefused(f"{display}: dit Excel-bestand kan niet worden geopend (beschadigd of geen .xlsx).") from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            names = ", ".join(wb.sheetnames)
            raise FileRefused(f"{display}: het tabblad '{sheet}' bestaat niet (wel: {names}).")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    rows = [r for r in rows if any(v != "" for v in r)]
    if not rows:
        raise FileRefused(f"{display}: het tabblad is leeg.")
    header, body = rows[0], rows[1:]
    width = max(len(r) for r in rows)
    header = header + [""] * (width - len(header))
    body = [r + [""] * (width - len(r)) for r in body]
    frame = pd.DataFrame(body, columns=[h or f"kolom_{i + 1}" for i, h in enumerate(header)], dtype=object)
    return _finish(frame.astype(str), "xlsx", display)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


MAX_JSON_DEPTH = 64  # GeoJSON needs 8 (collection, features, feature, geometry, four levels of coordinates)
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
# A JSON object whose `type` is one of these is GeoJSON; the geo loader says what it needs if it is not a collection.
GEOJSON_TYPES = ("FeatureCollection", "Feature", "Polygon", "MultiPolygon", "GeometryCollection")


def json_depth(text: str) -> int:
    """How deep brackets nest outside strings, counted without parsing (json.loads recurses, and would fail)."""
    brackets = np.frombuffer(_JSON_STRING.sub("", text).encode("utf-8"), dtype=np.uint8)
    step = np.isin(brackets, (ord("["), ord("{"))).astype(np.int64) - np.isin(brackets, (ord("]"), ord("}")))
    step = step[step != 0]
    return int(np.cumsum(step).max()) if len(step) else 0


def _read_json(data: bytes, display: str) -> RawTable:
    text = _decode(data, display)
    if json_depth(text) > MAX_JSON_DEPTH:
        raise FileRefused(f"{display}: de JSON is dieper genest dan {MAX_JSON_DEPTH} niveaus; dat is geen tabel of "
                          "GeoJSON.")
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRefused(f"{display}: ongeldige JSON (regel {exc.lineno}).") from None
    records = parsed.get("value") if isinstance(parsed, dict) else parsed
    if isinstance(parsed, dict) and parsed.get("type") in GEOJSON_TYPES:
        return RawTable(frame=pd.DataFrame(), fmt="geojson", json_data=parsed)
    if not isinstance(records, list) or not records or not all(isinstance(r, dict) for r in records):
        raise FileRefused(f"{display}: JSON zonder tabel (verwacht {{\"value\": [...]}} of een lijst van records).")
    frame = pd.DataFrame.from_records(records)
    frame = frame.apply(lambda col: col.map(_json_text))
    return _finish(frame, "json", display, first_row=1)


def _json_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _finish(frame: pd.DataFrame, fmt: str, display: str, first_row: int = 2, allow_empty: bool = False) -> RawTable:
    original = {}
    names = []
    for col in frame.columns:
        clean = str(col).strip().lstrip("\ufeff")
        if clean.lower() in original:
            raise FileRefused(f"{display}, rij 1: de kolom '{clean}' komt twee keer voor.")
        original[clean.lower()] = clean
        names.append(clean)
    frame.columns = names
    for col in frame.columns:
        frame[col] = frame[col].str.strip()
    if frame.empty and not allow_empty:
        raise FileRefused(f"{display}: het bestand heeft een kopregel maar geen gegevens.")
    return RawTable(frame=frame, fmt=fmt, first_row=first_row, columns_original=original)
