"""Reading a user's file into a table of strings: CSV in any of the accepted dialects, Excel, or JSON."""

from __future__ import annotations

import csv
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pandas as pd

from loaders import encoding, limits
from loaders.report import FileRefused

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx encrypted with a password
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


@dataclass
class Source:
    """A file looked at once: its format, clean column names, and how to read its rows.

    CSV: `encoding` and `sep` (rows not read yet); a workbook or JSON: `raw`, the whole table already read.
    """

    path: Path
    display: str
    fmt: str
    columns: list[str]
    encoding: str | None = None
    sep: str | None = None
    raw: RawTable | None = None
    leading_blank: bool = False


def open_source(path: Path, display: str, sheet: str | None = None) -> Source:
    """Sniff the file: refuses (FileRefused) what is no table before a data row is read."""
    limits.check_regular(path, display)
    with path.open("rb") as handle:
        head = handle.read(65536)
    if not head.strip():
        raise FileRefused(f"{display}: het bestand is leeg.")
    if head.startswith(OLE_MAGIC):
        raise FileRefused(f"{display}: dit is een oud Excel-bestand (.xls) of een werkmap met een wachtwoord; sla het "
                          "op als .xlsx zonder wachtwoord, of als CSV.")
    if head.startswith(XLSX_MAGIC):
        from loaders.xlsx import read_xlsx

        raw = _finish(read_xlsx(path, display, sheet), "xlsx", display)
        return Source(path, display, "xlsx", list(raw.frame.columns), raw=raw)
    text_encoding = encoding.detect(path, head, display)
    text_head = encoding.decode_head(head, text_encoding)
    if text_head.lstrip().startswith(("{", "[")):
        raw = _read_json(path, text_encoding, display)
        return Source(path, display, raw.fmt, list(raw.frame.columns), raw=raw)
    header = encoding.first_line(path, text_encoding, display)
    sep = _sniff_separator(header, display)
    limits.check_header(header, sep, display)
    names = [name.strip().lstrip("\ufeff").strip() for name in next(csv.reader([header], delimiter=sep), [])]
    blank = not text_head.lstrip("\ufeff").split("\n", 1)[0].strip()  # blank lines above the header
    return Source(path, display, "csv", names, encoding=text_encoding, sep=sep, leading_blank=blank)


def read_table(path: Path, display: str, sheet: str | None = None) -> RawTable:
    """The whole file as one table."""
    return read_source_frame(open_source(path, display, sheet))


def read_source_frame(source: Source) -> RawTable:
    """The whole file of a sniffed source as one pandas table of strings."""
    chunks = list(source_chunks(source, chunk_rows=None))
    if len(chunks) == 1:
        return chunks[0]
    return RawTable(frame=pd.concat([c.frame for c in chunks]), fmt=chunks[0].fmt, first_row=chunks[0].first_row,
                    columns_original=chunks[0].columns_original)


def read_chunks(path: Path, display: str, sheet: str | None = None,
                chunk_rows: int | None = 500_000) -> Iterator[RawTable]:
    """The file in pieces of `chunk_rows` rows (CSV only), so millions of rows load in bounded memory."""
    yield from source_chunks(open_source(path, display, sheet), chunk_rows)


def source_chunks(source: Source, chunk_rows: int | None = 500_000) -> Iterator[RawTable]:
    """A sniffed source in pieces of `chunk_rows` rows (CSV only).

    The frame index runs on across chunks, so row numbers stay those of the whole file.
    """
    if source.raw is not None:
        yield source.raw
        return
    yield from _read_csv(source.path, source.encoding, source.display, chunk_rows, source.sep)


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


def _read_csv(path: Path, text_encoding: str, display: str, chunk_rows: int | None, sep: str) -> Iterator[RawTable]:
    seen = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            reader = pd.read_csv(
                path, sep=sep, dtype=str, keep_default_na=False, na_filter=False, index_col=False,
                encoding=text_encoding, skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL,
                chunksize=chunk_rows or limits.MAX_ROWS + 1,
            )
            with reader:
                for number, frame in enumerate(reader):
                    seen += len(frame)
                    limits.check_rows(seen, display)
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


# A JSON object whose `type` is one of these is GeoJSON; the geo loader says what it needs if it is not a collection.
GEOJSON_TYPES = ("FeatureCollection", "Feature", "Polygon", "MultiPolygon", "GeometryCollection")


def _read_json(path: Path, text_encoding: str, display: str) -> RawTable:
    limits.check_json_size(path, display)
    text = path.read_bytes().decode(text_encoding)
    limits.check_json_depth(text, display)
    try:
        parsed = json.loads(text, object_pairs_hook=lambda pairs: _unique_keys(pairs, display))
    except json.JSONDecodeError as exc:
        raise FileRefused(f"{display}: ongeldige JSON (regel {exc.lineno}).") from None
    except ValueError:  # an integer of thousands of digits
        raise FileRefused(f"{display}: ongeldige JSON (een getal met te veel cijfers).") from None
    if isinstance(parsed, dict) and parsed.get("type") in GEOJSON_TYPES:
        return RawTable(frame=pd.DataFrame(), fmt="geojson", json_data=parsed)
    records = parsed.get("value") if isinstance(parsed, dict) else parsed
    if not isinstance(records, list) or not records or not all(isinstance(r, dict) for r in records):
        raise FileRefused(f"{display}: JSON zonder tabel (verwacht {{\"value\": [...]}} of een lijst van records).")
    limits.check_rows(len(records), display)
    limits.check_columns(len({str(k) for r in records for k in r}), display)
    frame = pd.DataFrame.from_records(records)
    frame = frame.apply(lambda col: col.map(_json_text))
    return _finish(frame, "json", display, first_row=1)


def _unique_keys(pairs: list[tuple[str, object]], display: str) -> dict:
    """A JSON object with a key twice would silently keep the last value: refuse it, naming the key."""
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise FileRefused(f"{display}: de sleutel '{key}' komt twee keer voor in één JSON-object.")
        out[key] = value
    return out


def _json_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
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
