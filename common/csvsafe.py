"""Text for CSV files that analysts open in a spreadsheet: nothing may start a formula."""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(values: pd.Series) -> pd.Series:
    """Prefix `'` to text starting with `= + - @`, tab or CR (OWASP's advice), so a spreadsheet shows it as text."""
    text = values.astype(object)
    risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
    return text.where(~risky.astype(bool), "'" + text.astype(str))


def neutralise_frame(frame: pd.DataFrame, numbers: tuple[str, ...]) -> pd.DataFrame:
    """Every text column neutralised; `numbers` (formatted by us, a minus sign is a sign) stay as they are."""
    out = frame.copy()
    for column in out.columns:
        if column not in numbers:
            out[column] = neutralise(out[column])
    return out
