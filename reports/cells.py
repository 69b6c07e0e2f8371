"""Single cells: number formats per unit, safe text, the suppression marker, links.

`put` is the one way a value gets into the workbook: text from input files that starts like a formula stays text
(Excel shows it, never evaluates it), a suppressed value becomes the marker and never a number, and a number keeps
its number format.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from common import nl

# Number formats are stored in Excel's own notation; Excel and LibreOffice show them in the user's locale, so a
# Dutch installation shows 12,5% and 1.234. Percentages are stored as 12.5, as in indicator_values.
FORMATS = {
    "%": '0.0"%"',
    "aantal": "#,##0",
    "dagen": "#,##0",
    "ratio": "#,##0.0",
    "euro": '"€" #,##0',
    "getal": "#,##0.0",
}
CHANGE_FORMATS = {
    "%": '+0.0" %-punt";-0.0" %-punt";0.0" %-punt"',
    "aantal": "+#,##0;-#,##0;0",
    "dagen": "+#,##0;-#,##0;0",
    "ratio": "+#,##0.0;-#,##0.0;0.0",
    "euro": '+"€" #,##0;-"€" #,##0;"€" 0',
    "getal": "+#,##0.0;-#,##0.0;0.0",
}
COUNT_FORMAT = "#,##0"
RELATIVE_FORMAT = '+0.0"%";-0.0"%";0.0"%"'
DATETIME_FORMAT = "d-m-yyyy h:mm"
DATE_FORMAT = "d-m-yyyy"
YEAR_FORMAT = "0"

FONT_NAME = "Calibri"
RIGHT = Alignment(horizontal="right")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


class _Suppressed:
    """A value withheld by the suppression rules: written as the marker, never as a number."""

    def __repr__(self) -> str:
        return "SUPPRESSED"


SUPPRESSED = _Suppressed()


class _Missing:
    """No figure (not delivered, not applicable, not yet known): written as the dash, explained on the sheet."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()
MISSING_LEGEND = f"{nl.MISSING} = geen cijfer: niet geleverd, niet van toepassing of (nog) niet bekend"


def font(**kwargs) -> Font:
    """A font with the workbook's face, so LibreOffice does not fall back to a serif."""
    return Font(name=FONT_NAME, **kwargs)


def unit_key(eenheid: str) -> str:
    return eenheid if eenheid in FORMATS else "getal"


def number_format(eenheid: str) -> str:
    return FORMATS[unit_key(eenheid)]


def safe_text(text: str) -> str:
    """Drop characters Excel cannot store (control characters) from text that came from input."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def put(cell, value, fmt: str | None = None) -> None:
    """Write one value: text as text (never a formula), numbers as numbers, the marker for a suppressed value."""
    if value is SUPPRESSED or value is MISSING:
        cell.value = nl.MARKER if value is SUPPRESSED else nl.MISSING
        cell.alignment = RIGHT
        return
    if isinstance(value, str):
        text = safe_text(value)
        cell.value = text
        if cell.data_type != "s" or text.startswith(FORMULA_START):
            # openpyxl makes '=...' a formula and '#N/A' an error; the quote prefix keeps Excel from turning it
            # into one when the cell is edited.
            cell.data_type = "s"
            cell.quotePrefix = True
        return
    if isinstance(value, float) and math.isnan(value):
        value = None
    cell.value = value
    if fmt and value is not None:
        cell.number_format = fmt


def link(cell, sheet_name: str) -> None:
    """Make a cell a link to the top of another sheet in the workbook."""
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheetname(sheet_name)}!A1")
    cell.font = font(color="0563C1", underline="single")


def display_width(value, fmt: str | None) -> int:
    """How many characters a value takes on screen, to size its column."""
    if value is None:
        return 0
    if value is SUPPRESSED or value is MISSING:
        return 1
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, str):
        return max(len(part) for part in value.split("\n"))
    decimals = 1 if fmt and ".0" in fmt else 0
    literal = len(re.sub(r'"|[#,0.;+\-]', "", (fmt or "").split(";")[0]))
    return len(nl.number(value, decimals)) + literal + 1


def lines(text: str, width: float) -> int:
    """How many lines a wrapped text needs in a column `width` characters wide."""
    return sum(max(1, math.ceil(len(part) / max(width, 1))) for part in text.split("\n"))
