"""Sheets written top to bottom: titles, paragraphs, worksheet tables, column widths and print set-up.

`SheetWriter` remembers what every column holds, so that `finish` can give each column a width that fits, give
wrapped text the row height it needs, freeze the header, repeat it on every printed page and set up printing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from common import nl
from reports import printing
from reports.cells import MISSING, SUPPRESSED, display_width, font, lines, put, safe_text

TABLE_STYLE = "TableStyleMedium2"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NOTICE_FILL = PatternFill("solid", fgColor="FFF2CC")
THIN = Side(style="thin", color="8EA9DB")
MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 9, 70, 8.43
WIDTH_SLACK = 1.1  # LibreOffice's substitute for Calibri is wider than Calibri itself
CHARS_PER_WIDTH = 1.15  # characters of running text per unit of column width (Calibri fits about 1.2)
# Style objects made once: openpyxl hashes every style it is given, so sharing them keeps the export fast.
EMPHASIS = {"bold": font(bold=True), "italic": font(italic=True)}
TOP, TOP_WRAP = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
TOP_RIGHT = Alignment(vertical="top", horizontal="right")
TOP_CENTER = Alignment(vertical="top", horizontal="center")


@dataclass
class Col:
    """A table column: header, number format, whether long text wraps (up to `max_width` characters wide),
    whether it holds numbers whose format varies per row, and whether its cells are centred."""

    header: str
    fmt: str | None = None
    wrap: bool = False
    numeric: bool = False
    max_width: int = 60
    center: bool = False


@dataclass
class TableRef:
    """Where a written table landed: header row, first and last data row, first and last column."""

    header_row: int
    first_row: int
    last_row: int
    first_col: int
    last_col: int


@dataclass
class Book:
    """The workbook being made and the names already used in it (sheet and table names must be unique)."""

    wb: Workbook
    gemeente_naam: str
    is_demo: bool
    sheet_names: set[str] = field(default_factory=set)
    table_names: set[str] = field(default_factory=set)

    def sheet(self, title: str) -> "SheetWriter":
        name = unique_sheet_name(title, self.sheet_names)
        self.sheet_names.add(name.lower())
        return SheetWriter(self, self.wb.create_sheet(name))

    def table_name(self, hint: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]", "", hint) or "Tabel"
        n = 1
        while f"{base}_{n}".lower() in self.table_names:
            n += 1
        self.table_names.add(f"{base}_{n}".lower())
        return f"{base}_{n}"


FILLER_WORDS = {"met", "een", "de", "het", "van", "in", "en", "op", "aan", "voor", "naar", "tot", "uit", "als"}


def compact(title: str, room: int = 31) -> str:
    """A long title made to fit `room` characters and stay readable: filler words dropped first, then the longest
    words after the first shortened ('jeugdhulp' -> 'jeugdh.'), never a cut that leaves a dangling 'met een'."""
    words = title.split(" ")
    if len(title) > room:  # filler words, and CBS dimension names such as 'TypeJeugdzorg' before their code
        words = [w for n, w in enumerate(words) if n == 0 or (w.lower() not in FILLER_WORDS
                                                              and not re.fullmatch(r"[A-Z][a-z]+[A-Z]\w*", w))]
    while len(" ".join(words)) > room:
        long = [n for n, w in enumerate(words)
                if n > 0 and len(w) > 7 and not w.endswith(".") and not re.search(r"\d", w)]
        if not long:
            break
        n = max(long, key=lambda i: len(words[i]))
        words[n] = words[n][:6] + "."
    return " ".join(words)


def unique_sheet_name(title: str, used: set[str]) -> str:
    """An Excel-valid sheet name (31 characters, none of []:*?/\\), compacted, unique in the workbook."""
    clean = re.sub(r"\s+", " ", re.sub(r"[\[\]:*?/\\()]", " ", safe_text(title))).strip(" '") or "Blad"

    n = 1
    while True:
        suffix = "" if n == 1 else f" ({n})"
        room = 31 - len(suffix)
        base = compact(clean, room)
        base = base if len(base) <= room else base[: room + 1].rsplit(" ", 1)[0].rstrip(" ,-")
        name = f"{base[:room]}{suffix}"
        if name.lower() not in used and name.lower() != "history":
            return name
        n += 1


class SheetWriter:
    """Writes one sheet from top to bottom."""

    def __init__(self, book: Book, ws: Worksheet):
        self.book = book
        self.ws = ws
        self.row = 1
        self.widths: dict[int, int] = {}
        self.limits: dict[int, int] = {}
        self.wrapped: list[tuple[int, int, int, str]] = []  # (row, first column, last column, text)
        self.first_header_row: int | None = None
        self.blocks: list[tuple[int, int]] = []
        self.charts: list[tuple[int, float]] = []  # (anchor column, width in cm)
        self.missing = False  # a table cell holds the dash for "no figure"

    def title(self, text: str) -> None:
        put(self.ws.cell(self.row, 1), text)
        self.ws.cell(self.row, 1).font = font(bold=True, size=14)
        self.ws.row_dimensions[self.row].height = 22
        self.row += 1

    def notice(self, span: int = 8) -> None:
        """The fictional-demo notice as a highlighted line (only when the database holds demo data)."""
        if not self.book.is_demo:
            return
        put(self.ws.cell(self.row, 1), nl.DEMO_NOTICE)
        self.ws.cell(self.row, 1).font = font(bold=True, color=printing.NOTICE_COLOUR)
        for col in range(1, span + 1):
            self.ws.cell(self.row, col).fill = NOTICE_FILL
        self.row += 1

    def text(self, text: str, span: int = 1, bold: bool = False, italic: bool = False) -> None:
        """A line of text; with `span` > 1 a paragraph wrapped across that many columns."""
        cell = self.ws.cell(self.row, 1)
        put(cell, text)
        cell.font = font(bold=bold, italic=italic)
        if span > 1:
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=span)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            self.wrapped.append((self.row, 1, span, text))
        self.row += 1

    def label(self, name: str, value, fmt: str | None = None) -> None:
        """A 'label  value' line, as on the cover."""
        put(self.ws.cell(self.row, 1), name)
        self.ws.cell(self.row, 1).font = font(bold=True)
        put(self.ws.cell(self.row, 2), value, fmt)
        self.ws.cell(self.row, 2).alignment = Alignment(horizontal="left")
        self.row += 1

    def skip(self, n: int = 1) -> None:
        self.row += n

    def add_chart(self, chart, row: int, col: int) -> None:
        self.ws.add_chart(chart, f"{get_column_letter(col)}{row}")
        self.charts.append((col, chart.width))

    def span_cm(self, first: int, last: int) -> float:
        """Centimetres spanned by columns first..last, with the widths `finish` will give them."""
        return sum(self._col_px(c) for c in range(first, last + 1)) / 96 * 2.54

    def _col_px(self, col: int) -> float:
        return printing.column_px(self.planned_width(col))

    def keep_together(self, first_row: int, last_row: int) -> None:
        """Rows that must print on one page (charts): `finish` puts a page break before them where needed."""
        self.blocks.append((first_row, last_row))

    def table(self, hint: str, cols: list[Col], rows: list[list], row_fmts: list[list] | None = None,
              at: tuple[int, int] | None = None, emphasis: list[str | None] | None = None) -> TableRef:
        """A worksheet table at the current row (or at (row, column) `at`, leaving the current row alone).

        `row_fmts` overrides the column's number format per cell; `emphasis` makes a row "bold" or "italic".
        """
        header_row, first_col = at or (self.row, 1)
        for j, col in enumerate(cols, start=first_col):
            cell = self.ws.cell(header_row, j)
            put(cell, col.header)
            cell.font = font(bold=True)
            cell.fill = HEADER_FILL
            cell.border = Border(bottom=THIN)
            cell.alignment = Alignment(vertical="bottom", horizontal="center" if col.center else
                                       "right" if col.fmt or col.numeric else "left")
            self._measure(j, len(col.header) + 1, col)
        for i, values in enumerate(rows, start=1):
            self._table_row(header_row + i, first_col, cols, values, row_fmts[i - 1] if row_fmts else None,
                            emphasis[i - 1] if emphasis else None)
        last, last_col = header_row + max(len(rows), 1), first_col + len(cols) - 1
        ref = f"{get_column_letter(first_col)}{header_row}:{get_column_letter(last_col)}{last}"
        table = Table(displayName=self.book.table_name(hint), ref=ref)
        table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
        self.ws.add_table(table)
        if self.first_header_row is None:
            self.first_header_row = header_row
        if at is None:
            self.row = last + 2
        return TableRef(header_row, header_row + 1, last, first_col, last_col)

    def _table_row(self, row: int, first_col: int, cols: list[Col], values: list, fmts: list | None,
                   emphasis: str | None) -> None:
        wrapping = any(col.wrap for col in cols)
        for j, (col, value) in enumerate(zip(cols, values), start=first_col):
            if value is None and (col.fmt or col.numeric):
                value = MISSING  # an explained dash, not a blank cell that reads as zero or as forgotten
                self.missing = True
            cell = self.ws.cell(row, j)
            fmt = (fmts[j - first_col] if fmts else None) or col.fmt
            put(cell, value, fmt)
            if col.center:
                cell.alignment = TOP_CENTER
            elif wrapping:
                cell.alignment = TOP_WRAP if col.wrap else (TOP_RIGHT if value is SUPPRESSED or value is MISSING
                                                            else TOP)
            if emphasis:
                cell.font = EMPHASIS[emphasis]
            if col.wrap and isinstance(value, str):
                self.wrapped.append((row, j, j, value))
            self._measure(j, display_width(value, fmt), col)

    def _measure(self, col: int, width: int, spec: Col) -> None:
        self.widths[col] = max(self.widths.get(col, 0), width)
        self.limits[col] = min(self.limits.get(col, spec.max_width), spec.max_width if spec.wrap else MAX_WIDTH)

    def planned_width(self, col: int) -> float:
        """The width a column gets: its widest table cell plus a margin, within bounds."""
        if col not in self.widths:
            return DEFAULT_WIDTH
        return max(MIN_WIDTH, min(round(self.widths[col] * WIDTH_SLACK) + 2, self.limits[col]))

    def finish(self, freeze: bool = True) -> None:
        """Column widths, row heights for wrapped text, frozen header, A4 landscape print set-up fitted to the
        width, the repeated title row(s), header and footer.

        With `freeze`, the first table's header row is frozen (with the first column) and repeated on every
        printed page; without it (the cover, whose tables differ) the sheet's title rows are repeated.
        """
        for col in self.widths:
            self.ws.column_dimensions[get_column_letter(col)].width = self.planned_width(col)
        heights: dict[int, int] = {}
        for row, first, last, text in self.wrapped:
            width = sum(self.planned_width(c) for c in range(first, last + 1))
            heights[row] = max(heights.get(row, 1), lines(text, width * CHARS_PER_WIDTH))
        for row, n in heights.items():
            if n > 1:
                self.ws.row_dimensions[row].height = printing.LINE_HEIGHT * n
        repeated = self.first_header_row if freeze else None
        if repeated is not None:
            self.ws.freeze_panes = self.ws.cell(repeated + 1, 2).coordinate
            self.ws.print_title_rows = f"{repeated}:{repeated}"
        else:
            self.ws.print_title_rows = f"1:{2 if self.book.is_demo else 1}"
        printing.page_setup(self.ws, self.book.gemeente_naam, self.book.is_demo)
        printing.keep_blocks_together(self.ws, self._content_px(), self.blocks, repeated)

    def _content_px(self) -> float:
        """Printed width: the used columns, or further where a chart sticks out beyond them."""
        columns = sum(self._col_px(c) for c in range(1, max(self.widths, default=1) + 1))
        charts = [sum(self._col_px(c) for c in range(1, col)) + width / 2.54 * 96 for col, width in self.charts]
        return max([columns] + charts)
