"""Reading an Excel (.xlsx) sheet into a table of strings, with the limits and checks a hostile workbook needs.

- A workbook that is no valid .xlsx (not a zip, missing parts, broken XML) is refused as damaged; any other error is a
  bug in our code and is raised as such.
- Its declared dimension and its unpacked size are checked before the sheet is read, and rows and columns while it
  streams (a declared `A1:XFD1048576` would otherwise pad every row to 16,384 cells).
- A formula without a stored result (a file written by a program that does not calculate) is refused naming the cells:
  its cell would read as empty, and an empty startdatum means "still waiting".
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string, column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException

from loaders import limits
from loaders.report import FileRefused

MAX_UNPACKED = 3 << 30
MAX_SHARED_STRINGS = 512 << 20
SHOWN_CELLS = 5
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")
# What openpyxl and the libraries under it raise for a file that is not a valid workbook.
DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, OSError, EOFError, InvalidFileException,
           ElementTree.ParseError)


def read_xlsx(path: Path, display: str, sheet: str | None) -> pd.DataFrame:
    _check_package(path, display)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except DAMAGED:
        raise _damaged(display) from None
    try:
        ws = _sheet(wb, sheet, display)
        _check_dimension(ws, display)
        sheet_path = ws._worksheet_path
        ws.reset_dimensions()
        try:
            rows = _rows(ws, display)
        except DAMAGED:
            raise _damaged(display) from None
    finally:
        wb.close()
    rows = [r for r in rows if any(v != "" for v in r)]
    if not rows:
        raise FileRefused(f"{display}: het tabblad is leeg.")
    header, body = rows[0], rows[1:]
    width = max(len(r) for r in rows)
    header = header + [""] * (width - len(header))
    _check_formulas(path, sheet_path, header, display)
    body = [r + [""] * (width - len(r)) for r in body]
    return pd.DataFrame(body, columns=[h or f"kolom_{i + 1}" for i, h in enumerate(header)], dtype=object).astype(str)


def _damaged(display: str) -> FileRefused:
    return FileRefused(f"{display}: dit Excel-bestand kan niet worden geopend (beschadigd of geen .xlsx).")


def _check_package(path: Path, display: str) -> None:
    """The zip's own directory: refuse a workbook that unpacks to more than the machine should hold."""
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        raise _damaged(display) from None
    unpacked = sum(m.file_size for m in members)
    shared = sum(m.file_size for m in members if m.filename.lower().endswith("sharedstrings.xml"))
    if unpacked > MAX_UNPACKED or shared > MAX_SHARED_STRINGS:
        raise FileRefused(f"{display}: dit Excel-bestand pakt uit tot {unpacked >> 20} MB; de Jeugdmonitor leest "
                          f"werkmappen tot {MAX_UNPACKED >> 20} MB (gebruik CSV voor grotere bestanden).")


def _sheet(wb, sheet: str | None, display: str):
    if sheet is not None and sheet not in wb.sheetnames:
        names = ", ".join(wb.sheetnames)
        raise FileRefused(f"{display}: het tabblad '{sheet}' bestaat niet (wel: {names}).")
    if not wb.worksheets:
        raise FileRefused(f"{display}: de werkmap heeft geen werkblad met gegevens.")
    ws = wb[sheet] if sheet else wb.worksheets[0]
    if not hasattr(ws, "iter_rows"):
        raise FileRefused(f"{display}: het tabblad '{ws.title}' is een grafiekblad, geen werkblad met gegevens.")
    return ws


def _check_dimension(ws, display: str) -> None:
    """The dimension the sheet declares (`<dimension ref="A1:K20"/>`), before a cell is read."""
    rows, columns = ws.max_row or 0, ws.max_column or 0
    if columns > limits.MAX_COLUMNS or rows > limits.MAX_XLSX_ROWS:
        raise FileRefused(
            f"{display}: het tabblad zegt {limits._number(rows)} rijen en {limits._number(columns)} kolommen groot "
            f"te zijn; de Jeugdmonitor leest hoogstens {limits._number(limits.MAX_XLSX_ROWS)} rijen en "
            f"{limits._number(limits.MAX_COLUMNS)} kolommen."
        )


def _rows(ws, display: str) -> list[list[str]]:
    rows = []
    for row in ws.iter_rows(values_only=True):
        if len(row) > limits.MAX_COLUMNS:
            limits.check_columns(len(row), display)
        rows.append([_cell_text(v) for v in row])
        if len(rows) > limits.MAX_XLSX_ROWS:
            limits.check_rows(len(rows), display, limits.MAX_XLSX_ROWS)
    return rows


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


def _check_formulas(path: Path, sheet_path: str, header: list[str], display: str) -> None:
    """Refuse the file when a formula cell has no stored result, naming the cells (file, row, column, cell)."""
    missing = _formulas_without_value(path, sheet_path)
    if not missing:
        return
    lines = []
    advice = "open het bestand in Excel of LibreOffice, sla het op en laad het opnieuw."
    for ref in missing[:SHOWN_CELLS]:
        if not _CELL.fullmatch(ref):
            lines.append(f"{display}: een cel bevat een formule zonder opgeslagen uitkomst; {advice}")
            continue
        letters, row = coordinate_from_string(ref)
        index = column_index_from_string(letters) - 1
        name = header[index] if index < len(header) and header[index] else get_column_letter(index + 1)
        lines.append(f"{display}, rij {row}, kolom {name}: cel {ref} bevat een formule zonder opgeslagen uitkomst; "
                     f"{advice}")
    if len(missing) > SHOWN_CELLS:
        lines.append(f"{display}: en nog {limits._number(len(missing) - SHOWN_CELLS)} zulke cellen.")
    raise FileRefused(lines)


def _formulas_without_value(path: Path, sheet_path: str) -> list[str]:
    with zipfile.ZipFile(path) as package:
        with package.open(sheet_path) as handle:
            has_formula, carry = False, b""
            while block := handle.read(1 << 22):
                if _FORMULA_TAG.search(carry + block):
                    has_formula = True
                    break
                carry = block[-16:]
        if not has_formula:
            return []
        missing = []
        with package.open(sheet_path) as handle:
            for _, elem in ElementTree.iterparse(handle):
                if elem.tag.rsplit("}", 1)[-1] != "c":
                    continue
                children = {child.tag.rsplit("}", 1)[-1]: child for child in elem}
                value = children.get("v")
                if "f" in children and (value is None or not (value.text or "").strip()) and "is" not in children:
                    missing.append(elem.get("r", "?"))
                elem.clear()
        return missing
