"""Wide CBS tables (KWB, OData v3 `TypedDataSet`, cbsodata output, StatLine web downloads) made long in DuckDB.

The file is staged as a text table (`loaders.stage`); its rows are checked as any CBS table's (`loaders.cbs_rows`); the
measure columns go long with `UNPIVOT` into one row per cell (`cbs_cells`), every cell is parsed and checked in SQL,
and `cbs_values` is written from there set-based.
"""

from __future__ import annotations

import pandas as pd

from loaders import cbs_regions, cbs_sql
from loaders.breaks import INDELING_COLUMN
from loaders.cbs_rows import (LOAD_INFO, NUMBER_MESSAGE, ROWS, CbsText, accept, dropper, load_info, names, regions,
                              repeats, rows)
from loaders.cbs_shape import Layout, stem
from loaders.columns import LoadContext, Prepared
from loaders.report import FileRefused
from loaders.stage import Staged

CELLS = "cbs_cells"
# What a cell takes from its row.
ROW_COLUMNS = ("code", "periode", "jaar", "status", "suffix")


def prepare_text(staged: Staged, ctx: LoadContext, table_id_of, meta: dict, measure_info) -> Prepared:
    w = CbsText(staged, ctx)
    rows(w, table_id_of)
    regions(w)
    suffix = _dimensions(w)
    warnings: list[str] = []
    measures = _cells(w)
    if not measures:
        raise FileRefused(f"{ctx.display}: geen enkele meetkolom gevonden naast de regio-, periode- en "
                          "dimensiekolommen.")
    names(w)
    repeats(w, suffix, w.lay.region)
    accepted = accept(w)
    cur = w.cur
    table_id = table_id_of(w.lay)
    kept = [m for m in measures if not m["skipped"]]
    skipped = [m["measure"] for m in measures if m["skipped"]]
    if accepted < staged.rows or skipped:
        cur.execute(f"DELETE FROM {CELLS} WHERE list_contains($skipped, measure) OR _row IN "
                    f"(SELECT _row FROM {ROWS} WHERE NOT ok)", {"skipped": skipped})
    values = ("SELECT i.table_id, code AS regio_code, periode, jaar, measure || suffix AS measure, "
              f"key AS original_key, value, missing_reason, status FROM {CELLS}, {load_info(cur, table_id)} i")
    suffixes = [s for (s,) in cur.execute(f"SELECT DISTINCT suffix FROM {ROWS} WHERE ok ORDER BY 1").fetchall()]
    infos = []
    for m in measures:  # the warnings in the order of the columns
        if m["skipped"]:
            warnings.append(f"kolom {m['keys'][0]} bevat tekst en is overgeslagen.")
            continue
        info = meta.get(m["keys"][0]) or _title_info(w.lay, m["keys"][0])
        infos.append(measure_info(table_id, m["measure"], m["keys"], info, m["top"], warnings))
    new_regions, parents, years = cbs_regions.register_sql(cur, ROWS)
    tables = {
        "regions_if_new": new_regions, "region_parents_if_new": parents, "region_years": years,
        "cbs_measures": _with_categories(pd.DataFrame(infos), suffixes),
        "region_breaks": _breaks(w),
    }
    problems = w.problems.fetch()
    w.drop()
    return Prepared(tables=tables, queries={"cbs_values": (values, [])}, cleanup=dropper(cur, CELLS, ROWS, LOAD_INFO),
                    rows_accepted=accepted, problems=problems, warnings=warnings)


def _dimensions(w: CbsText) -> str:
    """Per row the measure suffix of its categories, `|VormenVanJeugdzorg=Totaal alle jeugdzorg in natura`."""
    parts, params = [], {}
    source = f"{w.text} t"
    for i, dim in enumerate(w.lay.dims):
        col = w.col(dim)
        category = f"replace(regexp_replace({col}, '\\s+', ' ', 'g'), '|', '/')"
        w.problems.reject(source, f"{category} = ''", dim, f"lege categorie in dimensie {dim}")
        w.problems.unsafe_text(source, dim, col)
        parts.append(f"'|' || $dim{i} || '=' || {category}")
        params[f"dim{i}"] = dim
    if parts:
        w.cur.execute(f"UPDATE {ROWS} r SET suffix = {' || '.join(parts)} FROM {w.text} t WHERE t._row = r._row",
                      params)
    return "suffix"


def _groups(w: CbsText) -> dict[str, list[str]]:
    """Columns sharing a stem are one measure only if no row fills more than one of them; else keep full keys."""
    groups: dict[str, list[str]] = {}
    for key in w.lay.measures:
        groups.setdefault(stem(key), []).append(key)
    out: dict[str, list[str]] = {}
    for measure, keys in groups.items():
        if len(keys) > 1:
            filled = " + ".join(f"({w.col(k)} NOT IN (SELECT symbol FROM cbs_symbols))::INTEGER" for k in keys)
            if w.cur.execute(f"SELECT coalesce(max({filled}), 0) > 1 FROM {w.text} t").fetchall()[0][0]:
                out.update({key: [key] for key in keys})
                continue
        out[measure] = keys
    return out


def _cells(w: CbsText) -> list[dict]:
    """UNPIVOT the measure columns into `cbs_cells` (one coalesced text per row and measure), parse every cell,
    reject unreadable ones and skip a column that is mostly text."""
    groups = _groups(w)
    if not groups:
        return []
    cur = w.cur
    mapping = pd.DataFrame([(f"c{w.keys.index(k)}", k, m, pos) for m, keys in groups.items()
                            for pos, k in enumerate(keys)], columns=["col", "key", "measure", "pos"])
    cols = ", ".join(mapping["col"])
    cur.register("cbs_column_frame", mapping)
    try:
        # The row's code, period and categories are known by now: joined per row here, not per cell later.
        row = f"u._row, {', '.join(f'u.{c}' for c in ROW_COLUMNS)}"
        unpivot = (f"SELECT {row}, m.measure, m.key, m.pos, u.text FROM (UNPIVOT (SELECT t._row, "
                   f"{', '.join(f'r.{c}' for c in ROW_COLUMNS)}, {cols} FROM {w.text} t JOIN {ROWS} r USING (_row)) "
                   f"ON {cols} INTO NAME col VALUE text) u JOIN cbs_column_frame m USING (col)")
        if len(mapping) > len(groups):
            # A real value wins; else a missing symbol such as '.'; else the cell is simply empty.
            rank = ("CASE WHEN text NOT IN (SELECT symbol FROM cbs_symbols) THEN 0 WHEN text <> '' THEN 1 ELSE 2 END")
            unpivot = (f"SELECT {row.replace('u.', '')}, measure, arg_min(key, ({rank}, pos)) AS key, "
                       f"arg_min(text, ({rank}, pos)) AS text FROM ({unpivot}) u GROUP BY ALL")
        cur.execute(
            f"CREATE OR REPLACE TEMP TABLE {CELLS} AS SELECT c.*, s.reason AS missing_reason, "
            f"CASE WHEN s.reason IS NULL THEN cbs_value(c.text) END AS value "
            f"FROM ({unpivot}) c LEFT JOIN cbs_symbols s ON s.symbol = c.text"
        )
    finally:
        cur.unregister("cbs_column_frame")
    stats = {m: (bad, present, top) for m, bad, present, top in cur.execute(
        "SELECT measure, count(*) FILTER (missing_reason IS NULL AND value IS NULL), "
        f"count(*) FILTER (missing_reason IS NULL), max(value) FROM {CELLS} GROUP BY measure").fetchall()}
    out = []
    for measure, keys in groups.items():
        bad, present, top = stats.get(measure, (0, 0, None))
        skipped = bool(bad) and bad > present / 2
        if bad and not skipped:
            w.problems.reject(CELLS, "measure = $measure AND missing_reason IS NULL AND value IS NULL", keys[0],
                              NUMBER_MESSAGE, "text", {"measure": measure})
        out.append({"measure": measure, "keys": keys, "top": top, "skipped": skipped})
    return out


def _breaks(w: CbsText) -> pd.DataFrame:
    """`loaders.breaks`: (code, jaar, wijziging) for accepted rows whose Indelingswijziging column says 2 or 3."""
    columns = [k for k in w.keys if INDELING_COLUMN.match(k)]
    if not columns:
        return pd.DataFrame(columns=["code", "jaar", "wijziging"])
    return w.cur.execute(
        f"SELECT code, jaar, arg_max(w, _row)::BIGINT AS wijziging FROM (SELECT r._row, r.code, r.jaar, "
        f"cbs_number({w.col(columns[0])}) AS w FROM {ROWS} r JOIN {w.text} t USING (_row) "
        "WHERE r.ok AND r.jaar IS NOT NULL) WHERE w IN (2, 3) GROUP BY code, jaar ORDER BY code, jaar"
    ).df()


def _title_info(lay: Layout, key: str) -> dict:
    title, unit = lay.titles.get(key, (None, None))
    return {"title": title, "unit": unit} if title else {}


def _with_categories(measures: pd.DataFrame, suffixes: list[str]) -> pd.DataFrame:
    """One row per stored measure (every measure with every category combination of an accepted row): a stem with
    categories gets its title with the categories in parentheses."""
    if measures.empty or not suffixes:
        return measures.iloc[0:0]
    out = measures.merge(pd.DataFrame({"suffix": suffixes}), how="cross")
    cats = out["suffix"].map(lambda s: ", ".join(p.split("=", 1)[1] for p in s.split("|")[1:]))
    has = cats != ""
    out.loc[has, "title"] = out.loc[has, "title"].fillna(out.loc[has, "measure"]) + " (" + cats[has] + ")"
    out["measure"] = out["measure"] + out["suffix"]
    return out.drop(columns="suffix")

