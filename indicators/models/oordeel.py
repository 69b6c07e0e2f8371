"""The one verdict of expected use: "hoger dan verwacht" / "lager dan verwacht" only outside the 95% interval.

Observed = the CBS count of young people with jeugdzorg in natura divided by the model's own noemer (the exposure),
so that the observed and the expected percentage have the same basis.
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd

from indicators.catalog import VERWACHT_ID

HOGER, LAGER, ZOALS = "hoger dan verwacht", "lager dan verwacht", "zoals verwacht"


def oordeel(werkelijk: float | None, ondergrens: float | None, bovengrens: float | None) -> str | None:
    """The verdict for an observed percentage against the interval; None when any of them is unknown."""
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (werkelijk, ondergrens, bovengrens)):
        return None
    if werkelijk > bovengrens:
        return HOGER
    if werkelijk < ondergrens:
        return LAGER
    return ZOALS


_SQL = """
SELECT v.regio_code, v.regio_naam, v.niveau, v.gemeente_code, v.periode, v.jaar,
       v.waarde AS verwacht, v.teller AS verwacht_aantal, v.noemer, v.ondergrens, v.bovengrens,
       a.waarde AS aantal, 100.0 * a.waarde / v.noemer AS werkelijk, v.bron
FROM indicator_values v
LEFT JOIN indicator_values a
  ON a.indicator_id = 'jeugdhulp_aantal' AND a.regio_code = v.regio_code AND a.periode = v.periode
 AND NOT a.onderdrukt
WHERE v.indicator_id = $id AND NOT v.onderdrukt AND v.waarde IS NOT NULL
  AND ($g IS NULL OR v.gemeente_code = $g) AND ($jaar IS NULL OR v.jaar = $jaar)
ORDER BY v.jaar, v.niveau DESC, v.regio_code
"""


def vergelijking(con: duckdb.DuckDBPyConnection, gemeente: str | None = None, jaar: int | None = None) -> pd.DataFrame:
    """Published expected use beside the observed, per wijk and gemeente: verwacht, werkelijk, verschil
    (percentage points), ratio (werkelijk / verwacht) and oordeel."""
    frame = con.cursor().execute(_SQL, {"id": VERWACHT_ID, "g": gemeente, "jaar": jaar}).df()
    frame["verschil"] = frame["werkelijk"] - frame["verwacht"]
    frame["ratio"] = frame["werkelijk"] / frame["verwacht"]
    frame["oordeel"] = [oordeel(*r) for r in frame[["werkelijk", "ondergrens", "bovengrens"]].itertuples(index=False)]
    return frame


def trechter(alpha: float, max_verwacht: float, points: int = 160) -> pd.DataFrame:
    """Funnel limits for werkelijk / verwacht against the expected count m: 1 ± 1.96 · sd / m, with the negative
    binomial's sd = sqrt(m + alpha · m²) for the year's dispersion. A smooth guide for the eye; each wijk is judged by
    its own interval (which also holds the uncertainty of the model's coefficients and CBS's rounding)."""
    m = np.linspace(max(max_verwacht / points, 1.0), max(max_verwacht * 1.1, 2.0), points)
    half = 1.959964 * np.sqrt(m + alpha * m**2) / m
    return pd.DataFrame({"verwacht_aantal": m, "laag": np.clip(1 - half, 0, None), "hoog": 1 + half})
