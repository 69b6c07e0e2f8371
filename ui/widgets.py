"""Widgets that several pages share; each has a stable key (the browser tests find them by it)."""

from __future__ import annotations

import streamlit as st

from ui import data
from ui.state import Context

PREFERRED = "jeugdhulp_pct"
SOORT_LABELS = {"realisatie": "Realisatie", "begroting": "Begroting"}


def indicator_label(ind) -> str:
    return ind.naam + (f" ({ind.leeftijd})" if ind.leeftijd else "")


def indicator_select(ctx: Context, key: str, *, niveau: str = "WK", label: str = "Indicator",
                     only: list[str] | None = None):
    """Choose an indicator with figures at this level (bound to the URL); returns (Indicator, soort) or None."""
    sel = ctx.selection
    ids = [i for i in data.available(ctx.con, ctx.version, sel.gemeente, niveau) if only is None or i in only]
    if not ids:
        return None
    indicators = data.present_indicators(ctx.con, ctx.version)
    names = {i: indicator_label(indicators[i]) for i in ids}
    default = ids.index(PREFERRED) if PREFERRED in ids else 0
    chosen = st.selectbox(label, ids, index=default, format_func=names.get, key=key, bind="query-params")
    indicator = indicators[chosen]
    return indicator, soort_select(ctx, indicator, f"{key}_soort")


def soort_select(ctx: Context, indicator, key: str) -> str:
    """Begroting or realisatie for budget indicators; '' for all others."""
    soorten = [s for s in data.soorten(ctx.con, ctx.version, indicator.id, ctx.selection.gemeente) if s]
    if not soorten:
        return ""
    ordered = [s for s in SOORT_LABELS if s in soorten] + [s for s in soorten if s not in SOORT_LABELS]
    chosen = st.segmented_control("Soort", ordered, default=ordered[0], format_func=lambda s: SOORT_LABELS.get(s, s),
                                  key=key, required=True, bind="query-params")
    return chosen or ordered[0]
