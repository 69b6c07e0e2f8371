"""Boundary changes in the workbook: a line under the indicator's description and a comment on each marked cell.

The marks are `indelingsbreuk` of the published rows (`indicators.breaks`): the figure of that region in that year
is not comparable with the year before.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.comments import Comment

NOTE_END = "Cijfers van die regio voor en na zijn niet zonder meer vergelijkbaar (zie de opmerking bij de cel)."


def _marked(frame: pd.DataFrame) -> pd.DataFrame:
    if "indelingsbreuk" not in frame:
        return frame.iloc[:0]
    return frame[frame["indelingsbreuk"].notna()].drop_duplicates(["regio_code", "jaar"])


def note(frame: pd.DataFrame) -> str | None:
    """'Indelingswijziging: 2022 bij Centrum Almere Haven, De Werven en 69 andere (grens gewijzigd (CBS)). …'."""
    marked = _marked(frame)
    if marked.empty:
        return None
    parts = []
    for (jaar, reden), group in marked.groupby(["jaar", "indelingsbreuk"], sort=True):
        names = sorted(group["regio_naam"].fillna(group["regio_code"]))
        shown = ", ".join(names[:3]) + (f" en {len(names) - 3} andere" if len(names) > 3 else "")
        parts.append(f"{int(jaar)} bij {shown} ({reden})")
    return "Indelingswijziging: " + "; ".join(parts) + ". " + NOTE_END


def mark(ws, first_row: int, first_year_col: int, codes: list[str], years: list[int], frame: pd.DataFrame) -> None:
    """A comment on every cell of the value table (rows `codes` from `first_row`, years from `first_year_col`)
    whose region and year carry a break."""
    marked = {(r.regio_code, int(r.jaar)): r.indelingsbreuk for r in _marked(frame).itertuples(index=False)}
    for i, code in enumerate(codes):
        for j, jaar in enumerate(years):
            reden = marked.get((code, jaar))
            if reden:
                ws.cell(first_row + i, first_year_col + j).comment = Comment(
                    f"Indelingswijziging {jaar}: {reden}. Niet zonder meer vergelijkbaar met {jaar - 1}.",
                    "Jeugdmonitor")
