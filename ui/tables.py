"""Tables for people: every figure as a Dutch string, the marker where a value was suppressed.

Tables are shown behind every chart and on their own; they are formatted here, once, so a raw `12.5` never
reaches the screen.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from common import nl
from indicators.suppression import count_withheld
from ui.style import LEVEL_LABELS


def fmt_value(row, column: str = "waarde") -> str:
    """A value in its unit; the marker when suppressed, a dash when missing."""
    value = row.get(column)
    return nl.by_unit(None if pd.isna(value) else float(value), row["eenheid"], bool(row["onderdrukt"]))


def fmt_count(value, suppressed: bool = False) -> str:
    if suppressed:
        return nl.MARKER
    return nl.MISSING if pd.isna(value) else nl.number(float(value), 0 if float(value).is_integer() else 1)


def fmt_interval(row) -> str:
    if row["onderdrukt"] or pd.isna(row.get("ci_laag")) or pd.isna(row.get("ci_hoog")):
        return ""
    return f"{nl.number(row['ci_laag'], 1)} – {nl.number(row['ci_hoog'], 1)}"


LEVEL_ORDER = {"WK": 0, "GM": 1, "JZ": 2, "PV": 3, "NL": 4, "VG": 5}


def by_level(df: pd.DataFrame) -> pd.DataFrame:
    """Wijken first, then gemeente, jeugdregio, province, NL, comparison group; by name and year within."""
    order = df["niveau"].map(LEVEL_ORDER).fillna(9)
    return df.assign(_o=order).sort_values(["_o", "regio_naam", "jaar"]).drop(columns="_o")


def values_table(df: pd.DataFrame, extra: dict | None = None) -> pd.DataFrame:
    """Indicator rows (as read from indicator_values) as a table to read: region, level, value, counts, source."""
    rows = df.to_dict("records")  # one pass of plain dicts: a Series per row and column cost more than the table
    out = pd.DataFrame({
        "Regio": df["regio_naam"],
        "Niveau": df["niveau"].map(LEVEL_LABELS).fillna(df["niveau"]),
        "Jaar": df["jaar"].astype(int).astype(str),
        "Waarde": [fmt_value(r) for r in rows],
        **{label: [fmt_count(r[col], r["onderdrukt"] or count_withheld(r.get("indicator_id", ""), col, r))
                   for r in rows] for label, col in (("Teller", "teller"), ("Noemer", "noemer"))},
        "95%-interval": [fmt_interval(r) for r in rows],
    }, index=df.index)
    for label, values in (extra or {}).items():
        out[label] = list(values)
    out["Bron"] = df["bron"].fillna("").to_list()
    out["Opmerking"] = df["reden"].fillna("").to_list()
    return out.reset_index(drop=True)


def show(df: pd.DataFrame, key: str, alt: str | None = None, right: tuple[str, ...] = ()) -> None:
    """A table with figures right-aligned (they are strings, so Streamlit would align them left)."""
    numeric = right or tuple(c for c in df.columns if c in {"Waarde", "Teller", "Noemer", "95%-interval"})
    config = {c: st.column_config.TextColumn(c, alignment="right") for c in numeric if c in df.columns}
    st.dataframe(df, hide_index=True, column_config=config, key=key, alt=alt)
