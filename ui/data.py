"""Data preparation for the pages: plain functions over the connection that return DataFrames.

Every function that queries is cached on the database version token (`ui.db.version`), so a new load
invalidates the cache; the connection itself (`_con`) is not part of the cache key. The duiding notes are not
cached: they change while a session is running. Figures come from `indicator_values` (published,
suppression applied) or from functions in `indicators/`; nothing here computes an indicator.

A page needs many small slices of one gemeente's figures, so those are read once per gemeente (`_values`: its
wijken, itself and its comparison regions, like `indicators.compute_frame`) and sliced in memory; a query per
slice over the national table (millions of rows) would cost far more than the slicing.
"""

from __future__ import annotations

import json
import re

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

import indicators
from indicators import catalog, targets, wachttijd
from indicators.api import CONTRACT_COLUMNS, EXTRA_COLUMNS, NIVEAU_ORDER, change_between, previous_period
from indicators.regions import BENCHMARK_JOIN, benchmark_params

cache = st.cache_data(show_spinner=False, max_entries=512)
# The Arrow tables the pages slice (a gemeente's rows, one year of them, its own series) are kept as they are, not
# pickled: a cached value is copied by pickling when stored and again on every read, which for a gemeente's rows
# (tens of MB on the national database) cost more than the slicing. Arrow tables are immutable, so sharing one
# object is safe. Keyed on the version token like `cache`.
tables = st.cache_resource(show_spinner=False, max_entries=64)


def clear_cache() -> None:
    """Forget every cached result (as after a load, when the version token changes): the benchmark's cold start."""
    st.cache_data.clear()
    for cached in (_values, _year, _gemeente_series):
        cached.clear()


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.cursor().execute(sql, params or []).df()


def _arrow(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> pa.Table:
    """A query result as an Arrow table, for large results with text columns.

    Converted with `to_pandas()` it has the dtypes of `.df()` at a third of the time; cached as a table it pickles
    faster than a DataFrame, and slicing it (`filter`, `group_by`) is cheaper too.
    """
    return con.cursor().sql(sql, params=params).to_arrow_table()


@cache
def gemeenten(_con, version: str) -> pd.DataFrame:
    """Gemeenten to choose from: those with wijk figures first (most wijk figures first, so that the gemeente with
    its own registration comes before those that only have CBS figures), then the others.

    From the summary per gemeente (`store.summary`), not a scan of every published row."""
    return _arrow(_con, """
        SELECT s.gemeente_code AS code, coalesce(s.naam, r.name, s.gemeente_code) AS naam, s.wijken
        FROM published_gemeenten s LEFT JOIN regions r ON r.code = s.gemeente_code
        WHERE s.eigen_rijen > 0
        ORDER BY s.wijk_rijen DESC, naam""").to_pandas()


@tables
def _values(_con, version: str, gemeente: str) -> pa.Table:
    """Every published row of the gemeente's wijken, the gemeente and its comparison regions, all periods.

    The rows and columns of `indicators.compute_frame(con, gemeente)` in one query, plus `_heel_jaar` (a
    whole-year period); unordered (`_shown` orders what the pages show).
    """
    columns = f'{", ".join(CONTRACT_COLUMNS + EXTRA_COLUMNS)}, periode = CAST(jaar AS TEXT) AS _heel_jaar'
    return _arrow(_con, f"""
        SELECT {columns} FROM indicator_values WHERE gemeente_code = $g
        UNION ALL SELECT {columns} FROM indicator_values v {BENCHMARK_JOIN}""",
                  {"g": gemeente, **benchmark_params(_con.cursor(), gemeente)})


# The order of the pages: year, level, name, then that of `indicators.compute_frame` (a unique key; missing names
# last, as pandas sorts them).
_ORDER = ["jaar", "niveau", "regio_naam", "indicator_id", "regio_code", "periode", "soort"]


def _where(table: pa.Table, **equal) -> pa.Table:
    """The rows with these column values.

    Filtered with a mask (compute kernels), not an expression: that starts a query plan, slower for small tables.
    """
    mask = None
    for column, value in equal.items():
        test = pc.equal(table[column], value)
        mask = test if mask is None else pc.and_kleene(mask, test)
    return table if mask is None else table.filter(mask)


def _shown(_con, version: str, gemeente: str, **equal) -> pa.Table:
    """The whole-year rows of `_values` with these column values, in compute_frame's columns and the pages' order."""
    rows = _where(_values(_con, version, gemeente), _heel_jaar=True, **equal).drop_columns("_heel_jaar")
    return rows.sort_by([(column, "ascending") for column in _ORDER])


@cache
def _summary(_con, version: str, gemeente: str) -> dict:
    """What the sidebar and the indicator choices need: years, wijken, indicator ids per level, soorten."""
    values = _values(_con, version, gemeente).select(  # the columns used, before filtering: filtering copies
        ["indicator_id", "niveau", "soort", "jaar", "_heel_jaar", "regio_code", "gemeente_code", "waarde",
         "onderdrukt", "regio_naam"])
    own = values.filter(pc.or_kleene(pc.equal(values["regio_code"], gemeente),
                                     pc.equal(values["gemeente_code"], gemeente)))
    kinds = pa.table({
        "indicator_id": own["indicator_id"], "niveau": own["niveau"], "soort": own["soort"], "jaar": own["jaar"],
        "heel_jaar": own["_heel_jaar"], "eigen": pc.equal(own["regio_code"], gemeente),
        "gevuld": pc.or_(pc.is_valid(own["waarde"]), own["onderdrukt"]),
    })
    kinds = kinds.group_by(kinds.column_names[:-1], use_threads=False).aggregate([("gevuld", "any")]).to_pandas()
    names = own.filter(pc.equal(own["niveau"], "WK")).group_by("regio_code", use_threads=False).aggregate(
        [("regio_naam", "first")]).to_pandas()
    return {"jaren": _years(kinds), "wijken": _wijk_names(_con, names), "ids": _ids(kinds),
            "soorten": _soorten(kinds)}


def _years(kinds: pd.DataFrame) -> pd.DataFrame:
    """Years with whole-year figures, newest first, with the number of headline indicators with a figure."""
    years = kinds[kinds["heel_jaar"]]
    headline = [i.id for i in catalog.all_indicators() if i.headline]
    kern = years[years["indicator_id"].isin(headline) & years["gevuld_any"]].groupby("jaar")["indicator_id"].nunique()
    out = pd.DataFrame({"jaar": sorted(years["jaar"].unique(), reverse=True)}).astype({"jaar": "int32"})
    out["kern"] = out["jaar"].map(kern).fillna(0).astype("int64")
    return out


def _ids(kinds: pd.DataFrame) -> dict[str, set[str]]:
    """Indicator ids per level: WK those of the wijken, other levels those of the gemeente's own rows."""
    ids = {"WK": set(kinds.loc[kinds["niveau"] == "WK", "indicator_id"].unique())}
    own = kinds.loc[kinds["eigen"], ["niveau", "indicator_id"]].drop_duplicates()
    for niveau, indicator_id in own.itertuples(index=False):
        ids.setdefault(niveau, set()).add(indicator_id)
    return ids


def _soorten(kinds: pd.DataFrame) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for indicator_id, soort in sorted(kinds[["indicator_id", "soort"]].drop_duplicates().itertuples(index=False),
                                      reverse=True):
        out.setdefault(indicator_id, []).append(soort)
    return out


def _wijk_names(con, names: pd.DataFrame) -> pd.DataFrame:
    """(code, naam) of the wijken by name; a wijk whose rows have no name takes the regions table's, else its code."""
    names = names.set_index("regio_code")["regio_naam_first"]
    missing = list(names.index[names.isna()])
    if missing:
        known = dict(con.cursor().execute("SELECT code, name FROM regions WHERE list_contains(?, code)",
                                          [missing]).fetchall())
        names = names.fillna(pd.Series({code: known.get(code) or code for code in missing}))
    out = pd.DataFrame({"code": names.index, "naam": names.to_numpy()}).astype({"code": "str", "naam": "str"})
    return out.sort_values("naam", kind="stable").reset_index(drop=True)


@cache
def jaren(_con, version: str, gemeente: str) -> pd.DataFrame:
    """Years with figures for the gemeente or its wijken, newest first, with the number of headline indicators."""
    return _summary(_con, version, gemeente)["jaren"]


def default_jaar(years: pd.DataFrame) -> int:
    """The newest year with the most headline indicators: a just-started year with few figures is not the default."""
    best = years["kern"].max()
    return int(years.loc[years["kern"] == best, "jaar"].max())


@cache
def wijken(_con, version: str, gemeente: str) -> pd.DataFrame:
    """The gemeente's wijken that have figures (code, naam), by name."""
    return _summary(_con, version, gemeente)["wijken"]


@cache
def indicator_catalog(_con, version: str) -> pd.DataFrame:
    """The catalogue (declared and dynamic indicators) as a table, in catalogue order."""
    rows = [ind.model_dump() | {"volgorde": n} for n, ind in enumerate(catalog.all_indicators(_con))]
    return pd.DataFrame(rows).set_index("id", drop=False)


@cache
def present_indicators(_con, version: str) -> dict[str, catalog.Indicator]:
    """The indicators with rows in indicator_values, in catalogue order, as `catalog.get` describes them.

    Without `catalog.all_indicators(con)`, which scans all trajecten and CBS values for the dynamic indicators:
    declared and verwijzer indicators are known by their id, the CBS pass-through ones come from one query on
    cbs_measures (as `catalog.get` finds them). Only an id resolved neither way needs the whole catalogue.
    """
    present = set(present_ids(_con, version))
    declared = {i.id: i for i in catalog.all_indicators()}
    found = {i: declared[i] for i in declared if i in present}
    verwijzers = {i: catalog.get(None, i) for i in sorted(present - set(found)) if _VERWIJZER.fullmatch(i)}
    waits = {i: catalog.get(None, i) for i in sorted(present - set(found)) if catalog.WACHTTIJD_CATEGORIE.fullmatch(i)}
    cbs = _cbs_indicators(_con, sorted(present - set(found) - set(verwijzers) - set(waits)))
    found |= dict(sorted(verwijzers.items(), key=lambda kv: _VERWIJZER.fullmatch(kv[0]).group(1)))
    found |= waits
    found |= dict(sorted(cbs.items(), key=lambda kv: kv[1].cbs_measure))
    if present <= set(found):
        return found
    full = catalog.all_indicators(_con)
    found |= {i.id: i for i in full if i.id in present and i.id not in found}
    return {i.id: found[i.id] for i in full if i.id in found}


_VERWIJZER = re.compile(r"verwijzer_([a-z0-9_]+)_pct")


def _cbs_indicators(con, ids: list[str]) -> dict[str, catalog.Indicator]:
    """CBS pass-through indicators by id: a measure without dimensions whose stem is unique (`catalog.get`)."""
    if not ids:
        return {}
    rows = con.cursor().execute("""
        SELECT measure, max(title), max(unit) FROM cbs_measures
        WHERE measure NOT IN (?, ?) AND split_part(measure, '|', 2) = '' AND NOT percentage_invalid
        GROUP BY measure""", [catalog.CBS_JEUGDZORG_AANTAL, catalog.CBS_JEUGDZORG_PCT]).fetchall()
    by_id: dict[str, list] = {}
    for row in rows:
        by_id.setdefault(f"cbs_{catalog.slug_cbs(row[0])}", []).append(row)
    return {i: catalog.cbs_indicator(*by_id[i][0]) for i in ids if len(by_id.get(i, ())) == 1}


@cache
def indicator(_con, version: str, indicator_id: str) -> catalog.Indicator:
    return present_indicators(_con, version).get(indicator_id) or catalog.get(_con, indicator_id)


@cache
def available(_con, version: str, gemeente: str, niveau: str = "WK") -> list[str]:
    """Indicator ids with at least one row for the gemeente at this level (WK: its wijken), in catalogue order."""
    ids = _summary(_con, version, gemeente)["ids"].get(niveau, set())
    return [i for i in present_indicators(_con, version) if i in ids]


@cache
def present_ids(_con, version: str) -> list[str]:
    """Indicator ids with at least one row in indicator_values (from the summary per gemeente, `store.summary`)."""
    return [r[0] for r in _con.cursor().execute(
        "SELECT DISTINCT unnest(indicatoren) FROM published_gemeenten ORDER BY 1").fetchall()]


@cache
def soorten(_con, version: str, indicator_id: str, gemeente: str) -> list[str]:
    """Soorten of an indicator (begroting/realisatie for budget indicators, else [''])."""
    return _summary(_con, version, gemeente)["soorten"].get(indicator_id) or [""]


@tables
def _year(_con, version: str, gemeente: str, jaar: int) -> pa.Table:
    """One year of every indicator (whole-year periods): the gemeente's wijken, itself and its comparison regions."""
    return _shown(_con, version, gemeente, jaar=jaar)


@cache
def year_values(_con, version: str, indicator_id: str, gemeente: str, jaar: int, soort: str = "") -> pd.DataFrame:
    """One year of one indicator: the gemeente's wijken, the gemeente and its comparison regions."""
    return _where(_year(_con, version, gemeente, jaar), indicator_id=indicator_id, soort=soort).to_pandas()


def year_rows(_con, version: str, gemeente: str, jaar: int, indicator_ids: list[str],
              niveaus: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """`year_values` (soort '') of several indicators at these levels, by id: one slice instead of one per id."""
    year = _where(_year(_con, version, gemeente, jaar), soort="")
    rows = year.filter(pc.and_kleene(pc.is_in(year["indicator_id"], pa.array(indicator_ids, pa.string())),
                                     pc.is_in(year["niveau"], pa.array(niveaus, pa.string())))).to_pandas()
    found = dict(list(rows.groupby("indicator_id", sort=False)))
    return {i: found.get(i, rows.iloc[:0]).reset_index(drop=True) for i in indicator_ids}


@cache
def series(_con, version: str, indicator_id: str, gemeente: str, soort: str = "") -> pd.DataFrame:
    """All years (whole-year periods) of an indicator for the gemeente's wijken, itself and its comparison regions."""
    return _shown(_con, version, gemeente, indicator_id=indicator_id, soort=soort).to_pandas()


@tables
def _gemeente_series(_con, version: str, gemeente: str) -> pa.Table:
    """The gemeente's own rows of every indicator over the years (whole-year periods)."""
    return _shown(_con, version, gemeente, regio_code=gemeente)


def gemeente_value(_con, version: str, indicator_id: str, gemeente: str, jaar: int, soort: str = "") -> dict | None:
    rows = year_values(_con, version, indicator_id, gemeente, jaar, soort)
    rows = rows[rows["regio_code"] == gemeente]
    return rows.iloc[0].to_dict() if len(rows) else None


def gemeente_values(_con, version: str, indicator_ids: list[str], gemeente: str, jaar: int) -> dict[str, dict | None]:
    """`gemeente_value` (soort '') of several indicators, by id: one slice of the year instead of one per id."""
    found = year_rows(_con, version, gemeente, jaar, indicator_ids, ("GM",))
    out = {}
    for indicator_id, rows in found.items():
        rows = rows[rows["regio_code"] == gemeente]
        out[indicator_id] = rows.iloc[0].to_dict() if len(rows) else None
    return out


def benchmark_value(_con, version: str, indicator_id: str, gemeente: str, jaar: int, soort: str,
                    niveau: str) -> dict | None:
    rows = year_values(_con, version, indicator_id, gemeente, jaar, soort)
    rows = rows[rows["niveau"] == niveau]
    return rows.iloc[0].to_dict() if len(rows) else None


def gemeente_trend(_con, version: str, indicator_id: str, gemeente: str, soort: str = "") -> pd.DataFrame:
    """Published gemeente values over the years (jaar, waarde)."""
    rows = _where(_gemeente_series(_con, version, gemeente), indicator_id=indicator_id, soort=soort,
                  onderdrukt=False).select(["jaar", "waarde"]).to_pandas()
    return rows[rows["waarde"].notna()].reset_index(drop=True)


@cache
def change(_con, version: str, indicator_id: str, regio_code: str, jaar: int, soort: str = "") -> dict | None:
    """Change against the year before: waarde, vorige_waarde, verschil, verschil_pct, basisperiode.

    A gemeente's change comes from its rows already read (`_values`), as `indicators.change` reads them: a query
    per tile cost more, most of all from an export."""
    periode = str(jaar)
    if not regio_code.startswith("GM"):
        return indicators.change(_con, indicator_id, regio_code, periode, soort=soort)
    rows = _where(_values(_con, version, regio_code), indicator_id=indicator_id, regio_code=regio_code, soort=soort)
    rows = rows.filter(pc.is_in(rows["periode"], pa.array([periode, previous_period(periode)], pa.string())))
    return change_between(dict(zip(rows["periode"].to_pylist(), rows["waarde"].to_pylist())), periode)


@cache
def target_verdict(_con, version: str, indicator_id: str, gemeente: str, jaar: int,
                   soort: str = "") -> targets.Verdict | None:
    """The "op koers" verdict of `indicators.targets` for the gemeente's published value (None without target)."""
    row = gemeente_value(_con, version, indicator_id, gemeente, jaar, soort)
    now = None if row is None or row["onderdrukt"] or pd.isna(row["waarde"]) else float(row["waarde"])
    before = (change(_con, version, indicator_id, gemeente, jaar, soort) or {}).get("vorige_waarde")
    return targets.verdict(_con, indicator(_con, version, indicator_id), gemeente, jaar, now,
                           None if before is None or pd.isna(before) else float(before))


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


# The wijken of a gemeente on a map: codes of the gemeente's number (WK0518.. is 's-Gravenhage's), or wijken whose
# parent is the gemeente, not those the region tree gives to another gemeente.
_MAP_WIJKEN = """b.niveau = 'WK'
      AND (b.code IN (SELECT code FROM region_parents WHERE parent_code = $gemeente)
           OR (substr(b.code, 3, 4) = substr($gemeente, 3, 4)
               AND b.code NOT IN (SELECT code FROM region_parents WHERE parent_code LIKE 'GM%')))"""


@cache
def map_years(_con, version: str, gemeente: str) -> list[int]:
    """The years of which wijk boundaries of the gemeente are loaded."""
    rows = _con.cursor().execute(f"SELECT DISTINCT b.jaar FROM region_boundaries b WHERE {_MAP_WIJKEN} ORDER BY 1",
                                 {"gemeente": gemeente}).fetchall()
    return [r[0] for r in rows]


@cache
def geometry(_con, version: str, gemeente: str, map_jaar: int) -> dict | None:
    """GeoJSON FeatureCollection of the gemeente's wijken on the map of `map_jaar` (id = wijk code)."""
    rows = _con.cursor().execute(f"""
        SELECT b.code, coalesce(r.name, b.name, b.code), b.geometry
        FROM region_boundaries b LEFT JOIN regions r ON r.code = b.code
        WHERE b.jaar = $jaar AND {_MAP_WIJKEN}
        ORDER BY b.code""", {"gemeente": gemeente, "jaar": map_jaar}).fetchall()
    if not rows:
        return None
    features = [{"type": "Feature", "id": code, "properties": {"code": code, "naam": name},
                 "geometry": json.loads(geom)} for code, name, geom in rows]
    return {"type": "FeatureCollection", "features": features}


@cache
def wachttijd_verdeling(_con, version: str, gemeente: str, jaar: int) -> pd.DataFrame:
    return indicators.wachttijd_verdeling(_con, gemeente, jaar)


@cache
def unmapped_taakvelden(_con, version: str, gemeente: str) -> pd.DataFrame:
    """The gemeente's budget lines without a category (as `indicators.unmapped_taakvelden`)."""
    return indicators.unmapped_taakvelden(_con, gemeente)


@cache
def coverage(_con, version: str, gemeente: str) -> pd.DataFrame:
    """Per indicator, level and year: regions with a row and with a published value (as `indicators.coverage`)."""
    keys = ["indicator_id", "niveau", "jaar"]
    values = _values(_con, version, gemeente).select([*keys, "regio_code", "waarde"])
    count = [("regio_code", "count_distinct")]
    out = values.group_by(keys, use_threads=False).aggregate(count).to_pandas().rename(
        columns={"regio_code_count_distinct": "regios"})
    published = values.filter(pc.is_valid(values["waarde"])).group_by(keys, use_threads=False).aggregate(
        count).to_pandas()
    out = out.merge(published, on=keys, how="left")
    out["gepubliceerd"] = out.pop("regio_code_count_distinct").fillna(0).astype("int64")
    level = out["niveau"].map({niveau: n for n, niveau in enumerate(NIVEAU_ORDER)})
    out = out.assign(_o=level).sort_values(["indicator_id", "_o", "jaar"], na_position="last")
    return out.drop(columns="_o").reset_index(drop=True)


@cache
def load_log(_con, version: str) -> pd.DataFrame:
    return _df(_con, """SELECT load_id, file_name, kind, rows_accepted, rows_rejected, loaded_at, is_demo, warnings,
                               geladen_door FROM load_log ORDER BY load_id DESC""")


def warm(con: duckdb.DuckDBPyConnection, gemeente: str | None = None) -> None:
    """After a load every cached result is stale: read again what the next page needs first.

    That is the sidebar and the shared figures (years, wijken, indicators, the default year, the gemeente's own
    series) of the chosen gemeente and of the one the app opens with, so the first page after a load is quick.
    """
    from ui import db

    version, _ = db.version(con)
    codes = list(gemeenten(con, version)["code"])
    for code in dict.fromkeys([gemeente, *codes[:1]]):
        if code not in codes:
            continue
        years = jaren(con, version, code)
        wijken(con, version, code)
        for niveau in ("GM", "WK"):
            available(con, version, code, niveau)
        if not years.empty:
            _year(con, version, code, default_jaar(years))
        _gemeente_series(con, version, code)


@cache
def normen(_con, version: str) -> dict:
    """The wait-time norms by productcategorie (`indicators.wachttijd.Norm`)."""
    return wachttijd.norms(_con)


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
