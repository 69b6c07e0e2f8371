"""Dutch formatting of numbers, percentages, amounts and dates, and the suppression marker.

Every figure shown to a user (screen, CSV for people, Excel text) is formatted here, so `12,5%`, `1.234` and
`15-3-2024` look the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import math

MARKER = "*"
MARKER_LEGEND = "* = niet gepubliceerd (privacy)"
MISSING = "–"
DEMO_NOTICE = "Fictieve demodata: deze cijfers zijn verzonnen en gaan over geen enkele echte gemeente."

UNIT_LABELS = {"%": "%", "aantal": "aantal", "dagen": "dagen", "ratio": "verhouding", "euro": "euro"}


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (with decimals=1); None/NaN -> '–'."""
    if _is_missing(value):
        return MISSING
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def pct(value, decimals: int = 1) -> str:
    """12.5 (already a percentage) -> '12,5%'."""
    return MISSING if _is_missing(value) else f"{number(value, decimals)}%"


def euro(value, decimals: int = 0) -> str:
    return MISSING if _is_missing(value) else f"€ {number(value, decimals)}"


def date(value: dt.date | dt.datetime | None) -> str:
    """date(2024, 3, 15) -> '15-3-2024'."""
    if value is None:
        return MISSING
    return f"{value.day}-{value.month}-{value.year}"


def datetime(value: dt.datetime | None) -> str:
    if value is None:
        return MISSING
    return f"{date(value)} {value.hour:02d}:{value.minute:02d}"


def by_unit(value, eenheid: str, suppressed: bool = False) -> str:
    """Format a value for its indicator unit; a suppressed value shows the marker, never a number."""
    if suppressed:
        return MARKER
    if eenheid == "%":
        return pct(value)
    if eenheid == "euro":
        return euro(value)
    if eenheid in ("dagen", "ratio"):
        return number(value, 1 if eenheid == "ratio" else 0)
    return number(value, 0 if _is_missing(value) or float(value).is_integer() else 1)


def count(n, singular: str, plural: str) -> str:
    """1 -> '1 rij', 2 -> '2 rijen', 1234 -> '1.234 rijen'."""
    return f"{number(n)} {singular if n == 1 else plural}"


def signed(value, decimals: int = 1, suffix: str = "") -> str:
    """Change with its sign: '+2,3' / '−1,0' (true minus sign)."""
    if _is_missing(value):
        return MISSING
    text = number(abs(value), decimals)
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{text}{suffix}"
