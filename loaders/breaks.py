"""Boundary changes CBS reports per region: the `Indelingswijziging…` columns of KWB and the youth-care wijk tables.

Value 1 = code and area as the year before; 2 = new code, same area; 3 = area changed (CBS's definition). Rows with
2 or 3 become `region_breaks` (code, jaar, wijziging); the indicator layer marks those figures
(`indicators.breaks`).
"""

from __future__ import annotations

import re

import pandas as pd

from loaders.values import parse_number

INDELING_COLUMN = re.compile(r"^indelingswijziging\w*$", re.IGNORECASE)
COLUMNS = ["code", "jaar", "wijziging"]


def boundary_changes(frame: pd.DataFrame, codes: pd.Series, jaar: pd.Series, ok: pd.Series) -> pd.DataFrame:
    """(code, jaar, wijziging) for the accepted rows whose Indelingswijziging column says 2 or 3."""
    columns = [c for c in frame.columns if INDELING_COLUMN.match(c)]
    if not columns:
        return pd.DataFrame(columns=COLUMNS)
    value = parse_number(frame[columns[0]].astype("string").str.strip())
    keep = ok & value.isin([2, 3]) & jaar.notna()
    out = pd.DataFrame({"code": codes[keep], "jaar": jaar[keep].astype("int64"),
                        "wijziging": value[keep].astype("int64")})
    return out.drop_duplicates(["code", "jaar"], keep="last").reset_index(drop=True)
