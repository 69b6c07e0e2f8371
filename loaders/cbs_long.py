"""Long CBS tables (OData4 `Observations`: one value per row, its measure in `Measure`, categories in the other
columns) in DuckDB: rows checked as any CBS table's (`loaders.cbs_rows`), values parsed and checked in SQL."""

from __future__ import annotations

import pandas as pd

from loaders import cbs_regions
from loaders.cbs_rows import (LOAD_INFO, NUMBER_MESSAGE, ROWS, CbsText, accept, dropper, load_info, regions,
                              repeats, rows)
from loaders.columns import LoadContext, Prepared
from loaders.stage import Staged

CELLS = "cbs_long_cells"
# OData4 `ValueAttribute`: why a value is missing, where the value is a missing symbol.
ODATA4_ATTRIBUTES = {"secret": "geheim", "confidential": "geheim", "nil": "nihil", "impossible": "leeg",
                     "missing": "onbekend", "unknown": "onbekend", "zero": "nihil"}
NOT_DIMENSIONS = {"measure", "value", "id", "valueattribute", "stringvalue", "perioden", "peildatum"}


def prepare_text(staged: Staged, ctx: LoadContext, table_id_of, meta: dict) -> Prepared:
    w = CbsText(staged, ctx)
    rows(w, table_id_of)
    regions(w)
    lower = {k.lower(): k for k in w.keys}
    measure_key, value_key = lower["measure"], lower["value"]
    skip = NOT_DIMENSIONS | {w.lay.region.lower(), (w.lay.code or "").lower()}
    dims = sorted(k for k in w.keys if k.lower() not in skip)
    text = f"{w.text} t"
    w.problems.unsafe_text(text, measure_key, w.col(measure_key))
    measure, params = w.col(measure_key), {}
    for i, dim in enumerate(dims):
        w.problems.unsafe_text(text, dim, w.col(dim))
        measure += f" || '|' || $dim{i} || '=' || {w.col(dim)}"
        params[f"dim{i}"] = dim
    # The row's measure is its key beside region and period (`suffix`, as the categories are in a wide table).
    w.cur.execute(f"UPDATE {ROWS} SET suffix = {measure}, name = titled FROM {text} WHERE t._row = {ROWS}._row",
                  params)
    _cells(w, lower, value_key)
    w.problems.reject(CELLS, "missing_reason IS NULL AND number IS NULL", value_key, NUMBER_MESSAGE, "text")
    repeats(w, "suffix", measure_key)
    accepted = accept(w)
    table_id = table_id_of(w.lay)
    found = w.cur.execute(
        f"SELECT r.suffix, arg_min(c.original_key, r._row) FROM {ROWS} r JOIN {CELLS} c USING (_row) WHERE r.ok "
        "GROUP BY r.suffix ORDER BY min(r._row)").fetchall()
    new_regions, parents, years = cbs_regions.register_sql(w.cur, ROWS)
    values = ("SELECT i.table_id, r.code AS regio_code, r.periode, r.jaar, r.suffix AS measure, c.original_key, "
              "CASE WHEN c.missing_reason IS NULL THEN c.number END AS value, c.missing_reason, r.status "
              f"FROM {ROWS} r JOIN {CELLS} c USING (_row), {load_info(w.cur, table_id)} i WHERE r.ok")
    problems = w.problems.fetch()
    w.drop()
    tables = {"regions_if_new": new_regions, "region_parents_if_new": parents, "region_years": years,
              "cbs_measures": pd.DataFrame([_measure(table_id, m, orig, meta) for m, orig in found])}
    return Prepared(tables=tables, queries={"cbs_values": (values, [])}, cleanup=dropper(w.cur, CELLS, ROWS, LOAD_INFO),
                    rows_accepted=accepted, problems=problems)


def _cells(w: CbsText, lower: dict, value_key: str) -> None:
    """Per row: the value's text, its missing reason (a symbol, made specific by `ValueAttribute`) and number."""
    value = w.col(value_key)
    attribute = w.col(lower.get("valueattribute"))
    attributes = pd.DataFrame({"attribute": list(ODATA4_ATTRIBUTES), "reason": list(ODATA4_ATTRIBUTES.values())})
    w.cur.register("cbs_attribute_frame", attributes)
    try:
        join = f"LEFT JOIN cbs_attribute_frame a ON a.attribute = lower({attribute})" if attribute else ""
        specific = "a.reason" if attribute else "NULL"
        w.cur.execute(
            f"CREATE OR REPLACE TEMP TABLE {CELLS} AS SELECT t._row, {w.col(lower['measure'])} AS original_key, "
            f"{value} AS text, CASE WHEN s.reason IS NOT NULL THEN coalesce({specific}, s.reason) END "
            f"AS missing_reason, cbs_value({value}) AS number FROM {w.text} t "
            f"LEFT JOIN cbs_symbols s ON s.symbol = {value} {join}"
        )
    finally:
        w.cur.unregister("cbs_attribute_frame")


def _measure(table_id: str, measure: str, original: str, meta: dict) -> dict:
    info = meta.get(original, {})
    title = info.get("title")
    dim_text = " ".join(part.replace("=", " ") for part in measure.split("|")[1:])
    return {"table_id": table_id, "measure": measure, "original_key": original,
            "title": f"{title} ({dim_text})" if title and dim_text else title, "unit": info.get("unit") or None,
            "decimals": None, "percentage_invalid": False, "warning": None}
