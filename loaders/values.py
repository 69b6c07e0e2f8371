"""Vectorised parsing of the cell values users bring: numbers, dates, codes, CBS missing symbols."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

# CBS / PDOK missing-value symbols and the reason stored with them. A missing value is never a zero.
MISSING_SYMBOLS = {
    ".": "onbekend",
    "x": "geheim",
    "X": "geheim",
    "-": "nihil",
    "\u2212": "nihil",
    "": "leeg",
    "null": "leeg",
    "None": "leeg",
    "-99997": "geheim",
    "-99995": "later",
    "-99991": "vervallen",
}
MISSING_REASON_TEXT = {
    "onbekend": "onbekend, geheim of onvoldoende betrouwbaar",
    "geheim": "geheim",
    "nihil": "nihil (niet per se nul)",
    "leeg": "geen waarde",
    "later": "wordt later geleverd",
    "vervallen": "wordt niet meer gepubliceerd",
}

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# The dates the product handles: a date before DATE_MIN or after DATE_MAX is not a plausible youth-care date.
DATE_MIN = pd.Timestamp("2000-01-01")
DATE_MAX = pd.Timestamp("2100-12-31")
# 31-12-9999 is the registration systems' "open end": as an einddatum it means "no end"; anywhere else it is refused.
OPEN_END = pd.Timestamp("9999-12-31")
# Numbers beyond this are no count, amount or value a file of ours can hold (and would overflow a 64-bit integer).
NUMBER_LIMIT = 1e15
# Text a spreadsheet would run as a formula: `=`, `@`, or `+`/`-` followed by anything but a plain number.
_FORMULA = re.compile(r"^(=|@|[+\-](?![\d\s.,]*$))")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CURRENCY = re.compile(r"[€\s\u00a0]|EUR", re.IGNORECASE)
# A region code of the CBS form, ASCII only: NL0x, PV.., JZ.., LD.., CR.., GM + 4 digits, WK + 4 digits + 2 and
# BU + 4 digits + 4 characters (letters allowed in wijk and buurt codes since 2023). The one definition.
CBS_CODE = re.compile(r"^(NL0[0-9]|PV[0-9]{2}|JZ[0-9]{2}|LD[0-9]{2}|CR[0-9]{2}|GM[0-9]{4}|WK[0-9]{4}[0-9A-Z]{2}|"
                      r"BU[0-9]{4}[0-9A-Z]{4})$", re.ASCII)


def parse_number(values: pd.Series, thousands_dot: bool = False) -> pd.Series:
    """Strings in Dutch or English notation to float; unparseable -> NaN (the caller decides what that means).

    Non-finite values (`inf`, `nan`, `1e999`) and numbers beyond NUMBER_LIMIT are unparseable too: NaN.

    `thousands_dot`: a single dot followed by exactly three digits is a thousands separator (counts, euro), so
    `€ 1.234` reads 1234 while `1234567.89` still reads as decimals.
    """
    s = values.astype(str)
    has_dot = s.str.contains(".", regex=False)
    # The common case (CBS files, counts): no dot, at most one decimal comma.
    out = pd.to_numeric(s.where(~has_dot, "").str.replace(",", ".", regex=False), errors="coerce")
    slow = has_dot | (out.isna() & (s != ""))
    if slow.any():
        out[slow] = _parse_notation(s[slow], thousands_dot)
    out = out.astype("float64")
    return out.where(out.abs() <= NUMBER_LIMIT)


def number_problem(text: str, word: str) -> str:
    """Why a cell did not read as a number: `is <word>` ('geen geheel getal'), not finite, or too large."""
    if text.strip().lower().lstrip("+-") in ("inf", "infinity", "nan"):
        return "is geen eindig getal"
    raw = _parse_notation(pd.Series([text], dtype=object), True).iloc[0]
    if raw != raw:
        return f"is {word}"
    if np.isinf(raw):
        return "is geen eindig getal"
    if abs(raw) > NUMBER_LIMIT:
        return f"is te groot (meer dan {NUMBER_LIMIT:,.0f})".replace(",", ".")
    return f"is {word}"


def _parse_notation(s: pd.Series, thousands_dot: bool) -> pd.Series:
    s = s.str.replace(_CURRENCY, "", regex=True).str.replace("\u2212", "-", regex=False)
    has_comma = s.str.contains(",", regex=False)
    has_dot = s.str.contains(".", regex=False)
    comma_last = s.str.rfind(",") > s.str.rfind(".")
    out = s.copy()
    both = has_comma & has_dot
    dutch = both & comma_last
    out[dutch] = s[dutch].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    english = both & ~comma_last
    out[english] = s[english].str.replace(",", "", regex=False)
    only_comma = has_comma & ~has_dot
    many_commas = only_comma & (s.str.count(",") > 1)
    out[many_commas] = s[many_commas].str.replace(",", "", regex=False)
    one_comma = only_comma & ~many_commas
    out[one_comma] = s[one_comma].str.replace(",", ".", regex=False)
    only_dot = has_dot & ~has_comma
    many_dots = only_dot & (s.str.count(r"\.") > 1)
    out[many_dots] = s[many_dots].str.replace(".", "", regex=False)
    if thousands_dot:
        grouped = only_dot & ~many_dots & s.str.fullmatch(r"-?\d{1,3}\.\d{3}")
        out[grouped] = s[grouped].str.replace(".", "", regex=False)
    return pd.to_numeric(out, errors="coerce")


def parse_date(values: pd.Series) -> pd.Series:
    """ISO, Dutch (15-03-2024, 15-3-2024, 15/3/2024) or Excel serial dates; anything else -> NaT.

    Any calendar date reads (`31-12-9999` too, see `date_range_problem`). Parsed once per distinct text: a file of
    millions of rows holds a few thousand dates.
    """
    codes, uniques = pd.factorize(values.astype(str), use_na_sentinel=True)
    parsed = _parse_dates(pd.Series(uniques, dtype=object)).astype("datetime64[us]").to_numpy()
    out = np.where(codes >= 0, parsed[np.clip(codes, 0, None)], np.datetime64("NaT")) if len(parsed) else \
        np.full(len(values), np.datetime64("NaT"), dtype="datetime64[us]")
    return pd.Series(out, index=values.index, dtype="datetime64[us]")


def date_range_problems(dates: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Masks (open end `31-12-9999`, before DATE_MIN, after DATE_MAX) of dates outside the range the product
    handles."""
    open_end = dates == OPEN_END
    return open_end, dates < DATE_MIN, (dates > DATE_MAX) & ~open_end


def _parse_dates(values: pd.Series) -> pd.Series:
    s = values.astype(str).str.strip()
    s = s.str.replace(r"^(\d{4}-\d{1,2}-\d{1,2})[ T]00:00(:00)?$", r"\1", regex=True)
    out = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        todo = out.isna() & (s != "")
        if not todo.any():
            break
        out[todo] = pd.to_datetime(s[todo], format=fmt, errors="coerce")
    serial = out.isna() & s.str.fullmatch(r"[0-9]{5,7}(\.0+)?")
    if serial.any():
        days = pd.to_numeric(s[serial], errors="coerce")
        ok = days.between(1, 2958465)
        epoch = EXCEL_EPOCH.to_datetime64().astype("datetime64[D]")
        serial_dates = (epoch + days[ok].astype("int64").to_numpy()).astype("datetime64[us]")
        out[serial & ok.reindex(s.index, fill_value=False)] = serial_dates
    return out


def per_unique(values: pd.Series, fn) -> pd.Series:
    """Apply a string function once per distinct value: fast for the low-cardinality columns of big files."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = fn(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)
    out = np.where(codes >= 0, mapped[np.clip(codes, 0, None)] if len(mapped) else None, None)
    return pd.Series(out, index=values.index, dtype=object)


def looks_like_formula(values: pd.Series) -> pd.Series:
    """Text a spreadsheet would run as a formula (`=1+1`, `@SUM(A1)`, `+cmd|...`, `-2+3`); `-`, `+31 6` are not."""
    text = values.astype(str)
    candidates = text.str.startswith(("=", "@", "+", "-")) & (text != "-")
    result = pd.Series(False, index=values.index)
    if candidates.any():
        result[candidates] = text[candidates].str.match(_FORMULA).astype(bool)
    return result


def has_control(values: pd.Series) -> pd.Series:
    """Text holding a tab, line break, NUL or other control character."""
    return values.astype(str).str.contains(_CONTROL)


def not_cbs_code(codes: pd.Series) -> pd.Series:
    """True where a (normalised, present) code is not exactly of the CBS form, e.g. `WK1` or a full-width digit."""
    present = codes.notna()
    return present & ~codes.astype(str).str.fullmatch(CBS_CODE).astype(bool)


def missing_reason(values: pd.Series) -> pd.Series:
    """The reason code for CBS missing symbols, NaN where the value is not a missing symbol."""
    return values.map(MISSING_SYMBOLS)


def normalise_code(values: pd.Series) -> pd.Series:
    """Region codes: stripped of padding, upper case (`'wk034401  '` -> `'WK034401'`)."""
    return per_unique(values, lambda s: s.astype(str).str.strip().str.upper())


def normalise_token(values: pd.Series) -> pd.Series:
    """Category values: lower case, spaces and hyphens to underscores (`'Jeugd GGZ'` -> `'jeugd_ggz'`)."""
    return per_unique(values, lambda s: s.astype(str).str.strip().str.lower().str.replace(r"[\s\-]+", "_", regex=True))


def today() -> dt.date:
    return dt.date.today()


def as_date_text(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return ""
    return f"{value.day}-{value.month}-{value.year}"
