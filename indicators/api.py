"""Reading published indicator values: frames, benchmarks, targets, change, funnel, breaks, coverage.

Everything here reads `indicator_values`, where suppression has already been applied, so no figure leaves the
database unsuppressed (the wait-time distribution, published in `wachttijd_verdeling` by the same decision, is
read in `indicators.verdeling`).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from indicators import catalog, stats
from indicators.breaks import regio_breaks
from indicators.regions import (
    BENCHMARK_JOIN, OnbekendeRegio, benchmark_codes, benchmark_params, gemeente_of, require_gemeente,
)

CONTRACT_COLUMNS = [
    "indicator_id", "regio_code", "regio_naam", "niveau", "periode", "waarde", "teller", "noemer", "eenheid",
    "onderdrukt", "bron",
]
# The 95% interval of expected use (indicators.models), empty for every other indicator.
MODEL_COLUMNS = ["ondergrens", "bovengrens"]
# `indelingsbreuk` says why a figure is not comparable with the year before (see `indicators.breaks`), empty
# where it is.
EXTRA_COLUMNS = ["soort", "jaar", "gemeente_code", "ci_laag", "ci_hoog", "reden"] + MODEL_COLUMNS + ["indelingsbreuk"]
NIVEAU_ORDER = ("WK", "GM", "JZ", "PV", "NL", "VG")


__all__ = [
    "CONTRACT_COLUMNS", "MODEL_COLUMNS", "OnbekendeRegio", "benchmarks", "change", "compute_frame", "coverage", "funnel",
    "regio_breaks", "target_path",
]


def compute_frame(con: duckdb.DuckDBPyConnection, gemeente: str | None = None, jaar: int | None = None,
                  indicator_ids: list[str] | None = None) -> pd.DataFrame:
    """Published values in the contract columns (then soort, jaar, gemeente_code, ci_laag, ci_hoog, reden).

    With `gemeente`: its wijken, itself and its benchmark levels (jeugdregio, province, NL, comparison group).
    """
    cur = con.cursor()
    params = {"jaar": jaar, "ids": list(indicator_ids) if indicator_ids else None, "levels": list(NIVEAU_ORDER)}
    columns = ", ".join(CONTRACT_COLUMNS + EXTRA_COLUMNS)
    if gemeente is None:
        source = "indicator_values"
    else:
        require_gemeente(cur, gemeente)
        params.update(benchmark_params(cur, gemeente), g=gemeente)
        source = f"""(SELECT * FROM indicator_values WHERE gemeente_code = $g
                      UNION ALL SELECT * FROM indicator_values v {BENCHMARK_JOIN})"""
    return cur.execute(
        f"""
        SELECT {columns} FROM {source}
        WHERE ($jaar IS NULL OR jaar = $jaar) AND ($ids IS NULL OR list_contains($ids, indicator_id))
        ORDER BY indicator_id, list_position($levels, niveau), regio_code, periode, soort
        """,
        params,
    ).df()


def _rows(cur, sql: str, params: dict) -> list[dict]:
    frame = cur.execute(sql, params).df()
    return [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in frame.to_dict("records")]


def benchmarks(con: duckdb.DuckDBPyConnection, indicator_id: str, regio_code: str, periode: str,
               soort: str = "") -> dict[str, dict]:
    """The rows of the region's gemeente, jeugdregio, province, NL and comparison group, keyed by niveau.

    Suppressed rows are included (onderdrukt=True, no value); a level without a row is absent.
    """
    cur = con.cursor()
    gemeente = gemeente_of(cur, regio_code)
    codes = benchmark_codes(cur, gemeente, int(periode[:4])) if gemeente else {"NL": "NL01"}
    rows = _rows(
        cur,
        """
        SELECT * FROM indicator_values
        WHERE indicator_id = $i AND periode = $p AND soort = $s AND list_contains($codes, regio_code)
        """,
        {"i": indicator_id, "p": periode, "s": soort, "codes": list(codes.values())},
    )
    return {r["niveau"]: r for r in rows}


def target_path(con: duckdb.DuckDBPyConnection, indicator_id: str, regio_code: str, jaren) -> pd.DataFrame:
    """Target (streefwaarde) per requested year: loaded targets, linear in between, nothing outside their span."""
    targets = con.cursor().execute(
        "SELECT jaar, waarde, bron FROM streefwaarden WHERE indicator_id = ? AND regio_code = ? ORDER BY jaar",
        [indicator_id, regio_code],
    ).df()
    columns = ["jaar", "streefwaarde", "vastgesteld", "bron"]
    if targets.empty:
        return pd.DataFrame(columns=columns)
    years = np.array(sorted({int(j) for j in jaren if targets.jaar.min() <= int(j) <= targets.jaar.max()}))
    if not len(years):
        return pd.DataFrame(columns=columns)
    values = np.interp(years, targets.jaar.to_numpy(), targets.waarde.to_numpy())
    bron = targets.set_index("jaar").bron
    # The source of an interpolated year is that of the next target year it runs towards.
    next_target = [targets.jaar[targets.jaar >= y].min() for y in years]
    return pd.DataFrame({
        "jaar": years, "streefwaarde": values, "vastgesteld": np.isin(years, targets.jaar.to_numpy()),
        "bron": [bron[j] for j in next_target],
    })


def previous_period(periode: str) -> str:
    """The period a year before: '2024' for '2025', '2024-Q3' for '2025-Q3'."""
    year, _, rest = periode.partition("-")
    return f"{int(year) - 1}" + (f"-{rest}" if rest else "")


def change(con: duckdb.DuckDBPyConnection, indicator_id: str, regio_code: str, periode: str,
           soort: str = "") -> dict:
    """Year-on-year change with its base: waarde, vorige_waarde, verschil, verschil_pct, basisperiode.

    Values are the published ones; where either year is suppressed or absent the change is None.
    """
    cur = con.cursor()
    base = previous_period(periode)
    # A gemeente's rows carry its own code as gemeente_code: the filter reads only its part (its partition of an
    # export) instead of the whole national table.
    own = "AND gemeente_code = $r" if regio_code.startswith("GM") else ""
    found = dict(cur.execute(
        f"""
        SELECT periode, waarde FROM indicator_values
        WHERE indicator_id = $i AND regio_code = $r AND soort = $s AND periode IN ($p, $b) {own}
        """,
        {"i": indicator_id, "r": regio_code, "s": soort, "p": periode, "b": base},
    ).fetchall())
    return change_between(found, periode)


def change_between(waarden: dict, periode: str) -> dict:
    """`change` from the published values of one region by period (those it has; suppressed ones are None)."""
    base = previous_period(periode)
    now, before = waarden.get(periode), waarden.get(base)
    diff = now - before if now is not None and before is not None else None
    rel = 100.0 * diff / before if diff is not None and before not in (0, None) else None
    return {"periode": periode, "waarde": now, "basisperiode": base, "vorige_waarde": before,
            "verschil": diff, "verschil_pct": rel}


def funnel(con: duckdb.DuckDBPyConnection, indicator_id: str, gemeente: str, periode: str,
           soort: str = "") -> pd.DataFrame:
    """Per published wijk: p and n with 95% and 99.8% funnel limits around the gemeente value.

    `afwijkend` = outside the 95% limits, `sterk_afwijkend` = outside 99.8%. Percentages of persons only.
    """
    cur = con.cursor()
    ind = catalog.get(cur, indicator_id)
    if not ind.proportie:
        raise ValueError(f"Een trechterdiagram kan alleen bij een percentage van personen, niet bij {indicator_id}.")
    rows = cur.execute(
        """
        SELECT regio_code, regio_naam, niveau, waarde, teller, noemer FROM indicator_values
        WHERE indicator_id = ? AND periode = ? AND soort = ? AND gemeente_code = ? AND NOT onderdrukt
          AND waarde IS NOT NULL
        ORDER BY regio_code
        """,
        [indicator_id, periode, soort, gemeente],
    ).df()
    gm = rows[rows.niveau == "GM"]
    wk = rows[(rows.niveau == "WK") & rows.noemer.notna() & (rows.noemer > 0)].copy()
    columns = ["regio_code", "regio_naam", "p", "n", "teller", "p_gemeente", "grens95_laag", "grens95_hoog",
               "grens998_laag", "grens998_hoog", "afwijkend", "sterk_afwijkend"]
    if gm.empty or wk.empty:
        return pd.DataFrame(columns=columns)
    p0 = float(gm.waarde.iloc[0]) / 100
    out = pd.DataFrame({"regio_code": wk.regio_code, "regio_naam": wk.regio_naam, "p": wk.waarde,
                        "n": wk.noemer, "teller": wk.teller, "p_gemeente": 100 * p0})
    for name, z in (("95", stats.Z95), ("998", stats.Z998)):
        lo, hi = stats.funnel_limits(p0, out.n.to_numpy(), z)
        out[f"grens{name}_laag"], out[f"grens{name}_hoog"] = 100 * lo, 100 * hi
    out["afwijkend"] = (out.p < out.grens95_laag) | (out.p > out.grens95_hoog)
    out["sterk_afwijkend"] = (out.p < out.grens998_laag) | (out.p > out.grens998_hoog)
    return out.reset_index(drop=True)[columns]


def coverage(con: duckdb.DuckDBPyConnection, gemeente: str) -> pd.DataFrame:
    """Per indicator, level and year: how many regions have a row, and how many of them a published value."""
    cur = con.cursor()
    require_gemeente(cur, gemeente)
    return cur.execute(
        f"""
        SELECT indicator_id, niveau, jaar, count(DISTINCT regio_code) AS regios,
               count(DISTINCT regio_code) FILTER (WHERE waarde IS NOT NULL) AS gepubliceerd
        FROM (SELECT * FROM indicator_values WHERE gemeente_code = $g
              UNION ALL SELECT * FROM indicator_values v {BENCHMARK_JOIN})
        GROUP BY indicator_id, niveau, jaar ORDER BY indicator_id, list_position($levels, niveau), jaar
        """,
        {"g": gemeente, "levels": list(NIVEAU_ORDER), **benchmark_params(cur, gemeente)},
    ).df()
