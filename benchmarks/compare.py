"""Compare the product's published indicator values with the pandas baseline.

Rows are matched on (indicator_id, regio_code, periode, soort) within the levels the baseline computes. Only
published values are compared (suppressed rows carry no value); but a row the product lacks entirely, or a
published value the baseline lacks, counts as a disagreement, as does a value the product left missing where the
baseline found one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.baseline import INDICATOR_IDS

KEYS = ["indicator_id", "regio_code", "periode", "soort"]
REL_TOL = 1e-9
ABS_TOL = 1e-6


def product_values(con) -> pd.DataFrame:
    return con.cursor().execute(
        """SELECT indicator_id, regio_code, niveau, periode, soort, waarde, onderdrukt FROM indicator_values
           WHERE list_contains(?, indicator_id)""",
        [list(INDICATOR_IDS)],
    ).df()


def compare(product: pd.DataFrame, baseline: pd.DataFrame) -> dict:
    """Per indicator: rows compared, mismatches, rows missing on either side; `agree` overall."""
    scope = baseline[["indicator_id", "niveau"]].drop_duplicates()
    product = product.merge(scope, on=["indicator_id", "niveau"])
    both = product.merge(baseline[KEYS + ["waarde"]], on=KEYS, how="outer", suffixes=("_product", "_baseline"),
                         indicator=True)
    p, b = both["waarde_product"], both["waarde_baseline"]
    close = np.isclose(p, b, rtol=REL_TOL, atol=ABS_TOL)
    status = pd.Series("suppressed", index=both.index)
    status[p.notna() & b.notna()] = np.where(close[p.notna() & b.notna()], "equal", "different")
    status[both["_merge"] == "left_only"] = np.where(p[both["_merge"] == "left_only"].notna(),
                                                     "missing_in_baseline", "empty_in_product_only")
    status[both["_merge"] == "right_only"] = "missing_in_product"
    left_empty = (both["_merge"] == "both") & p.isna() & ~both["onderdrukt"].fillna(False).astype(bool)
    status[left_empty & b.notna()] = "different"
    both["status"] = status
    counts = both.pivot_table(index="indicator_id", columns="status", values="regio_code", aggfunc="count",
                              fill_value=0)
    per_indicator = {ind: {k: int(v) for k, v in row.items() if v} for ind, row in counts.iterrows()}
    bad = both["status"].isin(["different", "missing_in_baseline", "missing_in_product"])
    compared = int((both["status"] == "equal").sum())
    examples = both.loc[bad, KEYS + ["waarde_product", "waarde_baseline", "status"]].head(10)
    return {
        "agree": bool(compared > 0 and not bad.any()
                      and all(row.get("equal", 0) > 0 for row in per_indicator.values())
                      and set(per_indicator) == set(INDICATOR_IDS)),
        "compared": compared,
        "disagreements": int(bad.sum()),
        "per_indicator": per_indicator,
        "examples": examples.astype(object).where(examples.notna(), None).to_dict("records"),
    }
