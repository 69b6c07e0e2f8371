"""The Overzicht tiles: one headline indicator each, with change, Nederland, target and a small trend."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from common import nl
from indicators import targets
from ui import data, layout
from ui.style import LEVEL_LABELS

# Short labels so that a tile's title fits on a laptop screen; the full name is in the tile's help.
SHORT_LABELS = {
    "bereik_preventief_pct": "Bereik preventief aanbod",
    "preventief_budget_aandeel_pct": "Budgetaandeel preventief",
    "wachttijd_binnen_norm_pct": "Start binnen de norm",
}

ON_TRACK_HELP = targets.ON_TRACK_HELP
SOORT_LINE = "Cijfers: {soort}"


def _soort(con, version: str, indicator, gemeente: str, jaar: int) -> str:
    """Budget indicators: realisatie where the year has it, else begroting."""
    if not indicator.soort_split:
        return ""
    for soort in ("realisatie", "begroting"):
        row = data.gemeente_value(con, version, indicator.id, gemeente, jaar, soort)
        if row is not None and (row["onderdrukt"] or pd.notna(row["waarde"])):
            return soort
    return "realisatie"


def _change_text(ch: dict | None, eenheid: str) -> tuple[str | None, str | None, str]:
    """(delta, base, direction) of the change against the year before; the base names year and value."""
    if not ch or ch.get("verschil") is None or pd.isna(ch.get("verschil")):
        return None, None, "off"
    verschil = ch["verschil"]
    if eenheid == "%":
        delta = nl.signed(verschil, 1, " %-punt")
    elif eenheid == "euro":
        delta = nl.signed(ch.get("verschil_pct"), 1, "%")
    else:
        delta = nl.signed(verschil, 0 if eenheid in ("aantal", "dagen") else 2)
        if ch.get("verschil_pct") is not None and pd.notna(ch.get("verschil_pct")):
            delta += f" ({nl.signed(ch['verschil_pct'], 0, '%')})"
    base = f"{ch['basisperiode']}: {_value(ch['vorige_waarde'], eenheid)}"
    return delta, base, "up" if verschil > 0 else "down" if verschil < 0 else "off"


# What a count counts, so that a tile never shows a bare number.
COUNT_WORDS = {"wachtlijst_aantal": "aanmeldingen", "clienten_aantal": "cliënten", "jeugdhulp_aantal": "jongeren",
               "huishoudens_aantal": "huishoudens"}


def _value(waarde, eenheid: str, suppressed: bool = False, indicator_id: str = "") -> str:
    text = nl.by_unit(waarde, eenheid, suppressed)
    if text in (nl.MARKER, nl.MISSING):
        return text
    if eenheid == "dagen":
        return f"{text} dagen"
    return f"{text} {COUNT_WORDS[indicator_id]}" if indicator_id in COUNT_WORDS else text


def _color(direction: str, richting: str) -> str:
    if direction == "off" or richting == "neutraal":
        return "gray"
    good = (direction == "up") == (richting == "hoger is beter")
    return "green" if good else "red"


def show(con, version: str, indicator, gemeente: str, jaar: int, key: str) -> None:
    """One tile in a bordered container."""
    soort = _soort(con, version, indicator, gemeente, jaar)
    row = data.gemeente_value(con, version, indicator.id, gemeente, jaar, soort)
    label = SHORT_LABELS.get(indicator.id, indicator.naam)  # short, so that it fits at 1366 wide; soort below
    with st.container(border=True, key=key):
        if row is None:
            st.metric(label, nl.MISSING, help=f"{indicator.naam}. {indicator.beschrijving}")
            st.caption(f"Geen cijfer voor {jaar}.")
            return
        value = _value(row["waarde"], indicator.eenheid, bool(row["onderdrukt"]), indicator.id)
        delta, base, direction = _change_text(data.change(con, version, indicator.id, gemeente, jaar, soort),
                                              indicator.eenheid)
        trend = data.gemeente_trend(con, version, indicator.id, gemeente, soort)
        st.metric(label, value, delta=delta, delta_arrow=direction, delta_color=_color(direction, indicator.richting),
                  help=f"{indicator.naam}. {indicator.beschrijving}", chart_type="line",
                  chart_data=trend["waarde"].tolist() if len(trend) > 1 else None)
        lines = ([SOORT_LINE.format(soort=soort)] if soort else []) + ([f"Vorig jaar ({base})"] if base else [])
        lines += _context_lines(con, version, indicator, gemeente, jaar, soort, row)
        st.caption(layout.escape("  \n".join(lines)))


def _context_lines(con, version, indicator, gemeente, jaar, soort, row) -> list[str]:
    lines = [f"Leeftijd {indicator.leeftijd}"] if indicator.leeftijd else []
    land = data.benchmark_value(con, version, indicator.id, gemeente, jaar, soort, "NL")
    if land is not None and indicator.eenheid not in ("aantal", "euro"):
        lines.append(f"Nederland: {_value(land['waarde'], indicator.eenheid, bool(land['onderdrukt']))}")
    target = data.target_verdict(con, version, indicator.id, gemeente, jaar, soort)
    if target:
        value = None if row["onderdrukt"] or pd.isna(row["waarde"]) else float(row["waarde"])
        text = f"Streefwaarde {target.streefjaar}: {targets.target_text(value, target.streefwaarde, indicator.eenheid)}"
        if indicator.eenheid == "dagen":
            text += " dagen"
        lines.append(f"{text} — {target.label}")
    if row["onderdrukt"]:
        lines.append(nl.MARKER_LEGEND)
    elif pd.isna(row["waarde"]) and row.get("reden"):
        lines.append(f"Geen cijfer: {row['reden']}")
    return lines + [f"Bron: {row['bron']}"]


def wijk_table(con, version: str, headline: list, gemeente: str, gemeente_naam: str, jaar: int) -> pd.DataFrame:
    """Headline indicators per wijk (then the gemeente) for the year, formatted; the marker where suppressed."""
    columns = {}
    for indicator in headline:
        soort = _soort(con, version, indicator, gemeente, jaar)
        rows = data.year_values(con, version, indicator.id, gemeente, jaar, soort)
        rows = rows[rows["niveau"].isin(["WK", "GM"])]
        columns[indicator.naam + (f" ({soort})" if soort else "")] = {
            r["regio_naam"]: nl.by_unit(None if pd.isna(r["waarde"]) else r["waarde"], indicator.eenheid,
                                        bool(r["onderdrukt"])) for _, r in rows.iterrows()}
    order = list(data.wijken(con, version, gemeente)["naam"]) + [gemeente_naam]
    table = pd.DataFrame(columns).reindex(order).fillna(nl.MISSING)
    return table.rename_axis("Regio").reset_index()


BENCHMARK_LEVELS = ("GM", "JZ", "PV", "NL", "VG")


def benchmark_table(con, version: str, gemeente: str, jaar: int) -> pd.DataFrame:
    """Rates that have comparison figures this year: the gemeente next to jeugdregio, province, NL, group.

    Counts and amounts are left out: between regions of different size they compare nothing.
    """
    ids = data.available(con, version, gemeente, "GM")
    per_indicator = data.year_rows(con, version, gemeente, jaar, ids, BENCHMARK_LEVELS)
    indicators = data.present_indicators(con, version)
    rows = []
    for indicator_id in ids:
        values = per_indicator[indicator_id]
        if values.empty or values["eenheid"].iloc[0] not in ("%", "ratio", "dagen") or \
                values["niveau"].nunique() < 2 or not values["waarde"].notna().any():
            continue
        indicator = indicators[indicator_id]
        row = {"Indicator": indicator.naam + (f" ({indicator.leeftijd})" if indicator.leeftijd else "")}
        for r in values.itertuples():
            row[LEVEL_LABELS[r.niveau]] = _value(None if pd.isna(r.waarde) else r.waarde, r.eenheid,
                                                 bool(r.onderdrukt))
        rows.append(row)
    columns = ["Indicator"] + [LEVEL_LABELS[n] for n in BENCHMARK_LEVELS]
    return pd.DataFrame(rows).reindex(columns=columns).fillna(nl.MISSING) if rows else pd.DataFrame()
