"""Trend lines over the years that do not draw through breaks.

A wijk that did not exist in a year, a suppressed year, a new wijk indeling (`regio_breaks`), a changed boundary
or code of the region itself (`indelingsbreuk`) and a change of source or definition all interrupt the line (a `None` point) instead of being bridged; breaks get a vertical marker
with a label, suppressed years the marker `*`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from common import nl
from ui import style
from ui.style import LEVEL_COLORS, LEVEL_DASH, LEVEL_LABELS

BREAK_WIJKINDELING = "Nieuwe wijkindeling"
BREAK_DEFINITIE = "Andere bron of definitie"
BREAK_INDELING = "Grens of code gewijzigd"


@dataclass
class Line:
    label: str
    niveau: str
    color: str
    dash: str = "solid"
    width: float = 3
    values: dict[int, float] = field(default_factory=dict)
    suppressed: set[int] = field(default_factory=set)
    gaps: set[int] = field(default_factory=set)
    definition_changes: set[int] = field(default_factory=set)
    boundary_changes: set[int] = field(default_factory=set)  # years marked in `indelingsbreuk` (indicators.breaks)
    missing: list[int] = field(default_factory=list)


def definition_breaks(rows: pd.DataFrame) -> set[int]:
    """Years whose source kind differs from the year before (e.g. CBS percentage -> own count / population)."""
    kinds = rows.dropna(subset=["bron"]).sort_values("jaar")
    kind = kinds["bron"].str.replace(r"\d+[A-Z]*", "", regex=True).str.strip()  # table ids change every year
    changed = kind.ne(kind.shift()) & kind.shift().notna()
    return set(kinds.loc[changed.to_numpy(), "jaar"].astype(int))


def build(series: pd.DataFrame, codes: list[str], wijk_breaks: list[int], highlight: str | None = None) -> list[Line]:
    """One Line per region code (wijken in the given order, then benchmarks), from indicator rows of all years."""
    out = []
    jaren = sorted(series["jaar"].astype(int).unique())
    for n, code in enumerate(codes):
        rows = series[series["regio_code"] == code]
        if rows.empty:
            continue
        niveau = rows["niveau"].iloc[0]
        if niveau == "WK":
            color = LEVEL_COLORS["WK"] if code == highlight else style.WIJK_COLORS[1 + n % 4]
            line = Line(rows["regio_naam"].iloc[0], niveau, color, "solid", 5 if code == highlight else 3)
            line.gaps |= set(wijk_breaks)
        else:
            label = rows["regio_naam"].iloc[0] if niveau == "GM" else LEVEL_LABELS.get(niveau, niveau)
            line = Line(label, niveau, LEVEL_COLORS.get(niveau, style.GREY), LEVEL_DASH.get(niveau, "dash"),
                        4 if niveau == "GM" else 3)
        published = rows[~rows["onderdrukt"] & rows["waarde"].notna()]
        line.values = dict(zip(published["jaar"].astype(int), published["waarde"].astype(float)))
        line.suppressed = set(rows.loc[rows["onderdrukt"], "jaar"].astype(int))
        line.definition_changes = definition_breaks(rows)
        line.gaps |= line.definition_changes
        if "indelingsbreuk" in rows:
            line.boundary_changes = set(rows.loc[rows["indelingsbreuk"].notna(), "jaar"].astype(int))
            line.gaps |= line.boundary_changes
        line.missing = [j for j in jaren if j not in line.values and j not in line.suppressed]
        out.append(line)
    return out


def _value_range(lines: list[Line], target: pd.DataFrame | None) -> list[float] | None:
    """Room below the lowest value for the suppression markers, which sit at the bottom of the chart."""
    values = [v for line in lines for v in line.values.values()]
    if target is not None and not target.empty:
        values += list(target["streefwaarde"])
    if not values:
        return None
    low, high = min(values), max(values)
    pad = (high - low) * 0.12 or abs(high) * 0.1 or 1
    return [max(0.0, low - 2 * pad) if low >= 0 else low - 2 * pad, high + pad]


def _end_labels(fig: go.Figure, lines: list[Line], eenheid: str, size: int) -> None:
    """The last value at the end of each line, moved apart where they would overlap."""
    ends = sorted(((max(line.values), line.values[max(line.values)], line) for line in lines if line.values),
                  key=lambda e: e[1])
    if not ends:
        return
    values = [v for line in lines for v in line.values.values()]
    gap = (max(values) - min(values) or abs(max(values)) or 1) * 0.09
    placed = []
    for jaar, value, line in ends:
        y = max(value, placed[-1] + gap) if placed else value
        placed.append(y)
        fig.add_annotation(x=jaar, y=y, text=f"<b>{nl.by_unit(value, eenheid)}</b>", xanchor="left", xshift=12,
                           showarrow=False, font={"color": line.color, "size": size})


def markers(lines: list[Line], wijk_breaks: list[int], jaren: list[int]) -> dict[int, str]:
    """Break year -> label for the vertical markers (only breaks inside the years shown)."""
    inside = set(jaren[1:])
    found = {j: BREAK_DEFINITIE for line in lines for j in line.definition_changes if j in inside}
    found.update({j: BREAK_INDELING for line in lines for j in line.boundary_changes if j in inside})
    found.update({j: BREAK_WIJKINDELING for j in wijk_breaks if j in inside})
    return found


def missing_note(lines: list[Line]) -> str:
    """'Geen cijfers voor 2025. Centrum: geen cijfer in 2019.' for years without a value (not suppressed)."""
    if not lines:
        return ""
    common = set.intersection(*(set(line.missing) for line in lines))
    parts = [f"Geen cijfers voor {', '.join(map(str, sorted(common)))}"] if common else []
    parts += [f"{line.label}: geen cijfer in {', '.join(str(j) for j in line.missing if j not in common)}"
              for line in lines if set(line.missing) - common]
    return "; ".join(parts) + "." if parts else ""


def _xy(line: Line, jaren: list[int]) -> tuple[list, list]:
    """Points over the years; a gap point (None) half a year before each break, missing years as None."""
    xs, ys = [], []
    for jaar in jaren:
        if jaar in line.gaps:
            xs.append(jaar - 0.5)
            ys.append(None)
        xs.append(jaar)
        ys.append(line.values.get(jaar))
    return xs, ys


def figure(lines: list[Line], eenheid: str, jaren: list[int], labels: style.Labels, *, big: bool = False,
           target: pd.DataFrame | None = None, markers: dict[int, str] | None = None,
           height: int | None = None) -> go.Figure:
    """Lines over `jaren`; `markers` maps a break year to its label, `target` has columns jaar, streefwaarde."""
    fig = go.Figure()
    size = style.BIG_SIZE if big else style.BASE_SIZE
    for line in lines:
        xs, ys = _xy(line, jaren)
        hover = [f"{line.label} {x}: {nl.by_unit(y, eenheid)}" if y is not None else "" for x, y in zip(xs, ys)]
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines+markers", name=line.label, connectgaps=False, customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            line={"color": line.color, "dash": line.dash, "width": line.width},
            marker={"size": line.width * 2 + 2, "color": line.color},
        ))
        for jaar in sorted(line.suppressed & set(jaren)):
            fig.add_annotation(x=jaar, y=0, yref="paper", yanchor="bottom", text=f"<b>{nl.MARKER}</b>",
                               showarrow=False, font={"color": line.color, "size": size + 4},
                               hovertext=f"{line.label} {jaar}: onderdrukt")
    if big:
        _end_labels(fig, lines, eenheid, size)
    if target is not None and not target.empty:
        fig.add_trace(go.Scatter(
            x=target["jaar"], y=target["streefwaarde"], mode="lines+markers", name="Streefwaarde",
            line={"color": style.TARGET_COLOR, "dash": "dash", "width": 2}, marker={"symbol": "diamond", "size": 9},
            customdata=[f"Streefwaarde {j}: {nl.by_unit(w, eenheid)}"
                        for j, w in zip(target["jaar"], target["streefwaarde"])],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    for jaar, label in sorted((markers or {}).items()):
        fig.add_vline(x=jaar - 0.5, line_dash="dot", line_color=style.GREY, line_width=2)
        fig.add_annotation(x=jaar - 0.5, y=1, yref="paper", yanchor="bottom", text=label, showarrow=False,
                           font={"size": max(12, size - 3), "color": style.GREY}, bgcolor="#FFFFFF")
    style.style(fig, labels, big=big, height=height)
    target_years = set(target["jaar"].astype(int)) if target is not None and not target.empty else set()
    all_years = sorted(set(jaren) | target_years)
    fig.update_xaxes(**style.year_axis(all_years))
    if big:
        fig.update_xaxes(range=[min(all_years) - 0.3, max(all_years) + 0.3 + 0.15 * len(all_years)])
    fig.update_yaxes(**style.value_axis(eenheid) | {"rangemode": "normal", "range": _value_range(lines, target)})
    fig.update_layout(hovermode="closest")
    if any(line.suppressed & set(jaren) for line in lines):
        style.marker_note(fig, big)
    note = series_note(lines, jaren)
    if note:
        style.footnote(fig, note, big)
    return fig


def series_note(lines: list[Line], jaren: list[int]) -> str:
    """'Reeks begint in 2021: Nieuwwijk. Andere bron vanaf 2022: Gemeente.' for series that start or stop inside
    the years drawn, or change source; empty when every series runs the whole span."""
    parts = []
    for line in lines:
        known = sorted(set(line.values) | line.suppressed)
        if not known:
            continue
        if known[0] > jaren[0]:
            parts.append(f"{line.label}: reeks begint in {known[0]}")
        if known[-1] < jaren[-1]:
            parts.append(f"{line.label}: reeks stopt na {known[-1]}")
        for jaar in sorted(line.definition_changes & set(jaren[1:])):
            parts.append(f"{line.label}: andere bron vanaf {jaar}")
    return ". ".join(parts) + "." if parts else ""


def alt_text(lines: list[Line], ind, jaren: list[int], target: pd.DataFrame | None) -> str:
    """A short description: what is drawn, the first line's first and last value, and the target."""
    text = (f"Lijndiagram: {ind.naam.lower()} van {jaren[0]} tot {jaren[-1]} voor "
            f"{', '.join(line.label for line in lines)}.")
    values = lines[0].values if lines else {}
    if values:
        first, last = min(values), max(values)
        text += (f" {lines[0].label}: {nl.by_unit(values[first], ind.eenheid)} in {first}, "
                 f"{nl.by_unit(values[last], ind.eenheid)} in {last}.")
    if target is not None and not target.empty:
        text += (f" Grijze stippellijn: de streefwaarde ({nl.by_unit(target['streefwaarde'].iloc[-1], ind.eenheid)}"
                 f" in {int(target['jaar'].iloc[-1])}).")
    return text
