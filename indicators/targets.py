"""Targets (streefwaarden): the target path and the one "op koers" rule that the screen, slides and workbook share.

The path: the loaded targets of a region, linear in between, nothing outside their span (`indicators.target_path`).
The verdict for a year:

- the year lies on the path (a loaded target year, or between two): on course when the published value reaches the
  path's value for that year in the indicator's direction;
- the year lies before the first later target: on course when the value already reaches that target, or when the
  change of the last year, continued, reaches it by the target year;
- no verdict ("onbekend") for a neutral direction, a missing or suppressed value, or no previous year to project
  from. Values are compared as published, never rounded first.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from common import nl
from indicators.api import target_path

SIGN = {"hoger is beter": 1, "lager is beter": -1}
ON_TRACK_TEXT = {True: "op koers", False: "niet op koers", None: "onbekend"}
ON_TRACK_HELP = ("Op koers: de waarde haalt de streefwaarde (of het streefpad) van dit jaar, of, bij een latere "
                 "streefwaarde, de verandering van het laatste jaar is groot genoeg om die op tijd te halen.")


@dataclass(frozen=True)
class Verdict:
    streefjaar: int
    streefwaarde: float
    vastgesteld: bool  # a loaded target (not a point on the line between two)
    op_koers: bool | None
    toelichting: str

    @property
    def label(self) -> str:
        return ON_TRACK_TEXT[self.op_koers]


def reaches(value: float, target: float, richting: str) -> bool:
    """Whether a value reaches a target in the indicator's direction (unrounded)."""
    return SIGN[richting] * (value - target) >= 0


def targets(con: duckdb.DuckDBPyConnection, indicator_id: str, regio_code: str) -> pd.DataFrame:
    """The loaded targets of one indicator and region (jaar, waarde, bron), by year."""
    return con.cursor().execute(
        "SELECT jaar, waarde, bron FROM streefwaarden WHERE indicator_id = ? AND regio_code = ? ORDER BY jaar",
        [indicator_id, regio_code]).df()


def target_text(value: float, target: float, eenheid: str) -> str:
    """The target as shown beside a value: with more decimals where rounding would hide the difference."""
    shown = nl.by_unit(target, eenheid)
    if value is not None and value != target and nl.by_unit(value, eenheid) == shown and eenheid in ("%", "ratio"):
        return nl.pct(target, 2) if eenheid == "%" else nl.number(target, 2)
    return shown


def verdict(con: duckdb.DuckDBPyConnection, indicator, regio_code: str, jaar: int, waarde: float | None,
            vorige: float | None) -> Verdict | None:
    """The verdict for `jaar` from the published value this year and last year (None where absent or suppressed).

    None when no target applies: none loaded, or the last one lies before `jaar`.
    """
    loaded = targets(con, indicator.id, regio_code)
    if loaded.empty or int(loaded["jaar"].max()) < jaar:
        return None
    path = target_path(con, indicator.id, regio_code, [jaar])
    eenheid, richting = indicator.eenheid, indicator.richting
    if not path.empty:
        goal, goal_year, fixed = float(path["streefwaarde"].iloc[0]), jaar, bool(path["vastgesteld"].iloc[0])
    else:
        later = loaded[loaded["jaar"] > jaar].iloc[0]
        goal, goal_year, fixed = float(later["waarde"]), int(later["jaar"]), True
    label = "streefwaarde" if fixed else "streefpad (lineair tussen streefwaarden)"
    text = f"{label} {goal_year}: {target_text(waarde, goal, eenheid)}"
    if richting not in SIGN or waarde is None or pd.isna(waarde):
        return Verdict(goal_year, goal, fixed, None, text)
    if goal_year == jaar:
        return Verdict(goal_year, goal, fixed, reaches(waarde, goal, richting), text)
    if reaches(waarde, goal, richting):
        return Verdict(goal_year, goal, fixed, True, f"de streefwaarde voor {goal_year} is al bereikt")
    if vorige is None or pd.isna(vorige):
        return Verdict(goal_year, goal, fixed, None, f"{text}; geen cijfer voor {jaar - 1} om de ontwikkeling te "
                                                     "bepalen")
    projected = waarde + (waarde - vorige) * (goal_year - jaar)
    return Verdict(goal_year, goal, fixed, reaches(projected, goal, richting),
                   f"bij dezelfde ontwikkeling als in {jaar} is de waarde in {goal_year} "
                   f"{nl.by_unit(projected, eenheid)} (streefwaarde {nl.by_unit(goal, eenheid)})")
