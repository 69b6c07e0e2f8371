"""Data preparation for the pages: plain functions over the connection that return DataFrames.

Every function that queries is cached on the database version token (`ui.db.version`), so a new load
invalidates the cache; the connection itself (`_con`) is not part of the cache key. The duiding notes are not
cached: they change while a session is running. Figures come from `indicator_values` (published,
suppression applied) or from functions in `indicators/`; nothing here computes an indicator.
"""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd
import streamlit as st

import indicators
from indicators import catalog

cache = st.cache_data(show_spinner=False, max_entries=512)


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.cursor().execute(sql, params or []).df()


@cache
def gemeenten(_con, version: str) -> pd.DataFrame:
    """Gemeenten to choose from: those with wijk figures first (most wijken first), then the others."""
    return _df(_con, """
        SELECT g.regio_code AS code, any_value(coalesce(g.regio_naam, r.name, g.regio_code)) AS naam,
               (SELECT count(DISTINCT w.regio_code) FROM indicator_values w
                 WHERE w.niveau = 'WK' AND w.gemeente_code = g.regio_code) AS wijken
        FROM indicator_values g LEFT JOIN regions r ON r.code = g.regio_code
        WHERE g.niveau = 'GM'
        GROUP BY g.regio_code
        ORDER BY wijken DESC, naam""")


@cache
def jaren(_con, version: str, gemeente: str) -> pd.DataFrame:
    """Years with figures for the gemeente or its wijken, newest first, with the number of headline indicators."""
    headline = [i.id for i in catalog.all_indicators() if i.headline]
    return _df(_con, """
        SELECT jaar, count(DISTINCT indicator_id) FILTER (
                   WHERE list_contains(?, indicator_id) AND (waarde IS NOT NULL OR onderdrukt)) AS kern
        FROM indicator_values
        WHERE (regio_code = ? OR gemeente_code = ?) AND periode = CAST(jaar AS TEXT)
        GROUP BY jaar ORDER BY jaar DESC""", [headline, gemeente, gemeente])


def default_jaar(years: pd.DataFrame) -> int:
    """The newest year with the most headline indicators: a just-started year with few figures is not the default."""
    best = years["kern"].max()
    return int(years.loc[years["kern"] == best, "jaar"].max())


@cache
def wijken(_con, version: str, gemeente: str) -> pd.DataFrame:
    """The gemeente's wijken that have figures (code, naam), by name."""
    return _df(_con, """
        SELECT v.regio_code AS code, any_value(coalesce(v.regio_naam, r.name, v.regio_code)) AS naam
        FROM indicator_values v LEFT JOIN regions r ON r.code = v.regio_code
        WHERE v.niveau = 'WK' AND v.gemeente_code = ?
        GROUP BY v.regio_code ORDER BY naam""", [gemeente])


@cache
def indicator_catalog(_con, version: str) -> pd.DataFrame:
    """The catalogue (declared and dynamic indicators) as a table, in catalogue order."""
    rows = [ind.model_dump() | {"volgorde": n} for n, ind in enumerate(catalog.all_indicators(_con))]
    return pd.DataFrame(rows).set_index("id", drop=False)


@cache
def indicator(_con, version: str, indicator_id: str) -> catalog.Indicator:
    return catalog.get(_con, indicator_id)


@cache
def available(_con, version: str, gemeente: str, niveau: str = "WK") -> list[str]:
    """Indicator ids with at least one row for the gemeente at this level (WK: its wijken), in catalogue order."""
    column = "gemeente_code" if niveau == "WK" else "regio_code"
    ids = {r[0] for r in _con.cursor().execute(
        f"SELECT DISTINCT indicator_id FROM indicator_values WHERE niveau = ? AND {column} = ?",
        [niveau, gemeente]).fetchall()}
    order = indicator_catalog(_con, version)
    return [i for i in order.index if i in ids]


@cache
def present_ids(_con, version: str) -> list[str]:
    """Indicator ids with at least one row in indicator_values."""
    return [r[0] for r in _con.cursor().execute("SELECT DISTINCT indicator_id FROM indicator_values").fetchall()]


@cache
def soorten(_con, version: str, indicator_id: str, gemeente: str) -> list[str]:
    """Soorten of an indicator (begroting/realisatie for budget indicators, else [''])."""
    rows = _con.cursor().execute(
        "SELECT DISTINCT soort FROM indicator_values WHERE indicator_id = ? AND (regio_code = ? OR gemeente_code = ?)"
        " ORDER BY soort DESC", [indicator_id, gemeente, gemeente]).fetchall()
    return [r[0] for r in rows] or [""]


@cache
def year_values(_con, version: str, indicator_id: str, gemeente: str, jaar: int, soort: str = "") -> pd.DataFrame:
    """One year: the gemeente's wijken, the gemeente and its comparison regions (`indicators.compute_frame`)."""
    rows = series(_con, version, indicator_id, gemeente, soort)
    return rows[rows["jaar"] == jaar].reset_index(drop=True)


@cache
def series(_con, version: str, indicator_id: str, gemeente: str, soort: str = "") -> pd.DataFrame:
    """All years (whole-year periods) of an indicator for the gemeente's wijken, itself and its comparison regions."""
    rows = indicators.compute_frame(_con, gemeente=gemeente, indicator_ids=[indicator_id])
    rows = rows[(rows["soort"] == soort) & (rows["periode"] == rows["jaar"].astype(str))]
    return rows.sort_values(["jaar", "niveau", "regio_naam"]).reset_index(drop=True)


def gemeente_value(_con, version: str, indicator_id: str, gemeente: str, jaar: int, soort: str = "") -> dict | None:
    rows = year_values(_con, version, indicator_id, gemeente, jaar, soort)
    rows = rows[rows["regio_code"] == gemeente]
    return rows.iloc[0].to_dict() if len(rows) else None


def benchmark_value(_con, version: str, indicator_id: str, gemeente: str, jaar: int, soort: str,
                    niveau: str) -> dict | None:
    rows = year_values(_con, version, indicator_id, gemeente, jaar, soort)
    rows = rows[rows["niveau"] == niveau]
    return rows.iloc[0].to_dict() if len(rows) else None


def gemeente_trend(_con, version: str, indicator_id: str, gemeente: str, soort: str = "") -> pd.DataFrame:
    """Published gemeente values over the years (jaar, waarde)."""
    rows = series(_con, version, indicator_id, gemeente, soort)
    rows = rows[(rows["regio_code"] == gemeente) & ~rows["onderdrukt"] & rows["waarde"].notna()]
    return rows[["jaar", "waarde"]].reset_index(drop=True)


@cache
def change(_con, version: str, indicator_id: str, regio_code: str, jaar: int, soort: str = "") -> dict | None:
    """Change against the year before: waarde, vorige_waarde, verschil, verschil_pct, basisperiode."""
    return indicators.change(_con, indicator_id, regio_code, str(jaar), soort=soort)


def target_status(_con, version: str, indicator_id: str, gemeente: str, jaar: int, soort: str,
                  richting: str) -> dict | None:
    """The target of this year (else the next one) and whether the gemeente is on track for it.

    With a target this year: on track when the value reaches it. With a later target: on track when last year's
    change, continued, reaches it in time. None for `op_koers` when the direction is neutral or a value is missing.
    """
    path = target_path(_con, version, indicator_id, gemeente, tuple(range(jaar, jaar + 16)))
    if path.empty:
        return None
    target = path.sort_values("jaar").iloc[0]
    row = gemeente_value(_con, version, indicator_id, gemeente, jaar, soort)
    sign = {"hoger is beter": 1, "lager is beter": -1}.get(richting)
    status = {"jaar": int(target["jaar"]), "waarde": float(target["streefwaarde"]), "op_koers": None}
    if sign is None or row is None or row["onderdrukt"] or pd.isna(row["waarde"]):
        return status
    gap = sign * (status["waarde"] - row["waarde"])
    if gap <= 0 or status["jaar"] == jaar:
        status["op_koers"] = bool(gap <= 0)
        return status
    ch = change(_con, version, indicator_id, gemeente, jaar, soort)
    if ch and ch.get("verschil") is not None and pd.notna(ch["verschil"]):
        status["op_koers"] = bool(sign * ch["verschil"] >= gap / (status["jaar"] - jaar))
    return status


@cache
def target_path(_con, version: str, indicator_id: str, regio_code: str, jaren_: tuple[int, ...]) -> pd.DataFrame:
    return indicators.target_path(_con, indicator_id, regio_code, list(jaren_))


@cache
def funnel(_con, version: str, indicator_id: str, gemeente: str, jaar: int, soort: str = "") -> pd.DataFrame | None:
    """Funnel rows per wijk; None for indicators that are not a percentage of persons."""
    if not catalog.get(_con, indicator_id).proportie:
        return None
    return indicators.funnel(_con, indicator_id, gemeente, str(jaar), soort=soort)


@cache
def funnel_curve(p_pct: float, n_max: float) -> pd.DataFrame:
    """95% and 99,8% funnel limits (in %) around a percentage over a range of denominators, to draw the funnel."""
    from indicators.stats import Z95, Z998, funnel_limits

    n = np.linspace(max(1.0, n_max / 400), n_max * 1.1, 160)
    lo95, hi95 = funnel_limits(p_pct / 100, n, Z95)
    lo998, hi998 = funnel_limits(p_pct / 100, n, Z998)
    return pd.DataFrame({"noemer": n, "lo95": lo95 * 100, "hi95": hi95 * 100, "lo998": lo998 * 100,
                         "hi998": hi998 * 100})


@cache
def breaks(_con, version: str, gemeente: str) -> list[int]:
    """Years in which the gemeente's set of wijken changed (from `indicators.regio_breaks`)."""
    return sorted(int(j) for j in indicators.regio_breaks(_con, gemeente))


@cache
def geometry(_con, version: str, gemeente: str) -> dict | None:
    """GeoJSON FeatureCollection of the gemeente's wijken (id = wijk code), or None when no boundaries are loaded."""
    rows = _con.cursor().execute("""
        SELECT r.code, r.name, r.geometry FROM regions r
        WHERE r.niveau = 'WK' AND r.geometry IS NOT NULL
          AND (r.code IN (SELECT code FROM region_parents WHERE parent_code = ?)
               OR (substr(r.code, 3, 4) = substr(?, 3, 4)
                   AND r.code NOT IN (SELECT code FROM region_parents WHERE parent_code LIKE 'GM%')))""",
        [gemeente, gemeente]).fetchall()
    if not rows:
        return None
    features = [{"type": "Feature", "id": code, "properties": {"code": code, "naam": name},
                 "geometry": json.loads(geom)} for code, name, geom in rows]
    return {"type": "FeatureCollection", "features": features}


@cache
def wachttijd_verdeling(_con, version: str, gemeente: str, jaar: int) -> pd.DataFrame:
    return indicators.wachttijd_verdeling(_con, gemeente, jaar)


@cache
def unmapped_taakvelden(_con, version: str) -> pd.DataFrame:
    return indicators.unmapped_taakvelden(_con)


@cache
def coverage(_con, version: str, gemeente: str) -> pd.DataFrame:
    return indicators.coverage(_con, gemeente)


@cache
def load_log(_con, version: str) -> pd.DataFrame:
    return _df(_con, """SELECT load_id, file_name, kind, rows_accepted, rows_rejected, loaded_at, is_demo, warnings
                        FROM load_log ORDER BY load_id DESC""")


def duidingen(con: duckdb.DuckDBPyConnection, wijk: str) -> pd.DataFrame:
    """Notes of duidingssessies for one wijk, newest first (not cached: they change during a session)."""
    return _df(con, """SELECT id, wijk_code, indicator_id, jaar, datum, tekst FROM duiding
                       WHERE wijk_code = ? ORDER BY datum DESC, id DESC""", [wijk])


def save_duiding(con: duckdb.DuckDBPyConnection, wijk: str, indicator_id: str, jaar: int, datum, tekst: str) -> None:
    con.cursor().execute(
        "INSERT INTO duiding (wijk_code, indicator_id, jaar, datum, tekst) VALUES (?, ?, ?, ?, ?)",
        [wijk, indicator_id, jaar, datum, tekst.strip()])


@cache
def normen(_con, version: str) -> pd.DataFrame:
    """The wait-time norms per productcategorie (data, not code)."""
    return _df(_con, "SELECT productcategorie, norm_dagen, soort_dagen, bron FROM normen ORDER BY productcategorie")


@cache
def budget_by_category(_con, version: str, gemeente: str, soort: str) -> pd.DataFrame:
    """Spending per year and category for the gemeente, over the same lines as its budget indicators.

    The indicator layer gives the total and the preventive share, not the split by category, so the split is
    summed here over `indicators.queries_other.GEMEENTE_BUDGET_LINES` (its own lines, else its wijken's);
    unmapped lines are left out, as they are from the total.
    """
    from indicators.queries_other import GEMEENTE_BUDGET_LINES

    return _df(_con, f"""
        SELECT jaar, categorie, sum(bedrag) AS bedrag
        FROM ({GEMEENTE_BUDGET_LINES}) l
        WHERE l.soort = ? AND l.gemeente_code = ?
        GROUP BY ALL ORDER BY jaar, categorie""", [soort, gemeente])
