"""Reusable page sections: a ranked wijk chart for one indicator, with its references, alt text and table."""

from __future__ import annotations

import streamlit as st

from common import nl
from ui import compare, data, figures, layout, tables
from ui.state import Context


def ranked(ctx: Context, indicator_id: str, key: str, *, soort: str = "", levels=("GM", "JZ", "NL"),
           title: str | None = None) -> None:
    """The wijken of the selected gemeente ranked on one indicator in the selected year."""
    sel = ctx.selection
    ind = data.indicator(ctx.con, ctx.version, indicator_id)
    rows = data.year_values(ctx.con, ctx.version, indicator_id, sel.gemeente, sel.jaar, soort)
    wijken = rows[rows["niveau"] == "WK"]
    if wijken.empty:
        st.subheader(title or ind.naam)
        layout.no_data(f"{ind.naam.lower()} per wijk in {sel.jaar}")
        return
    refs = compare.references(rows)
    refs = refs[refs["niveau"].isin(levels)]
    goal = target_line(ctx, indicator_id, soort)
    labels = layout.labels(ctx, title or f"{layout.indicator_title(ind, soort)} per wijk", ind.eenheid, sel.jaar,
                           f"wijken van {sel.gemeente_naam}", rows["bron"])
    fig = figures.ranked_bars(wijken, refs, ind.eenheid, labels, highlight=sel.wijk, target=goal)
    alt = compare.ranking_alt(ind, wijken, refs, sel)
    if goal:
        alt += f" {goal[0]}: {nl.by_unit(goal[1], ind.eenheid)}."
    layout.chart(fig, key=key, alt=alt, table=tables.values_table(tables.by_level(rows)),
                 filename=f"{indicator_id}_{sel.jaar}", suppressed=bool(wijken["onderdrukt"].any()))


def target_line(ctx: Context, indicator_id: str, soort: str = "") -> tuple[str, float] | None:
    """('Streefwaarde 2025 (gemeente)', value): the target the "op koers" verdict of this year judges against."""
    sel = ctx.selection
    found = data.target_verdict(ctx.con, ctx.version, indicator_id, sel.gemeente, sel.jaar, soort)
    return None if found is None else (f"Streefwaarde {found.streefjaar} (gemeente)", found.streefwaarde)
