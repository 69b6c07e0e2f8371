"""Chart builders for access (wait times, referrers) and finances (spending by category, begroting/realisatie)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from common import nl
from ui import style
from ui.style import LEVEL_COLORS

CATEGORY_LABELS = {
    "preventief": "Preventief",
    "collectief": "Collectief",
    "toegang": "Toegang",
    "individueel_ambulant": "Individueel ambulant",
    "individueel_verblijf": "Individueel met verblijf",
    "jeugdbescherming": "Jeugdbescherming",
    "jeugdreclassering": "Jeugdreclassering",
    "pgb": "Pgb",
    "overig": "Overig",
}
CATEGORY_COLORS = {
    "preventief": style.GREEN, "collectief": "#7FCDB4", "toegang": style.YELLOW, "individueel_ambulant": style.SKY,
    "individueel_verblijf": style.BLUE, "jeugdbescherming": style.PURPLE, "jeugdreclassering": style.VERMILION,
    "pgb": style.ORANGE, "overig": style.LIGHT_GREY,
}
SEQUENTIAL = [style.BLUE, style.SKY, style.GREEN, style.ORANGE, style.VERMILION, style.PURPLE, style.YELLOW,
              style.GREY, style.LIGHT_GREY]


def range_plot(rows: pd.DataFrame, labels: style.Labels, *, highlight: str | None,
               norm: tuple[str, float] | None = None) -> go.Figure:
    """Median (circle, with its 95% interval as a bar when given) to P80 (diamond) per region, one row each; the
    norm as a vertical line; suppressed regions carry the marker.

    `rows`: regio_code, label, mediaan, p80, onderdrukt, and optionally ci_laag, ci_hoog.
    """
    rows = rows.iloc[::-1]
    fig = go.Figure()
    for r in rows.itertuples():
        if pd.notna(r.mediaan) and pd.notna(r.p80):
            fig.add_trace(go.Scatter(x=[r.mediaan, r.p80], y=[r.label, r.label], mode="lines", showlegend=False,
                                     hoverinfo="skip", line={"color": style.LIGHT_GREY, "width": 6}))
    interval = "ci_laag" in rows and rows["ci_laag"].notna().any()
    for column, name, symbol, color in (("mediaan", "Mediaan", "circle", style.BLUE),
                                        ("p80", "80e percentiel", "diamond", style.VERMILION)):
        error = None
        if column == "mediaan" and interval:
            error = {"type": "data", "symmetric": False, "array": (rows["ci_hoog"] - rows["mediaan"]).tolist(),
                     "arrayminus": (rows["mediaan"] - rows["ci_laag"]).tolist(), "color": style.BLUE,
                     "thickness": 2, "width": 6}
        fig.add_trace(go.Scatter(
            x=rows[column], y=rows["label"], mode="markers+text", error_x=error,
            name=name + (" (met 95%-interval)" if error else ""),
            text=[nl.number(v) if pd.notna(v) else "" for v in rows[column]], textposition="top center",
            customdata=[f"{lab}: {name.lower()} {nl.number(v)} dagen" if pd.notna(v) else f"{lab}: {nl.MARKER}"
                        for lab, v in zip(rows["label"], rows[column])],
            hovertemplate="%{customdata}<extra></extra>",
            marker={"symbol": symbol, "size": [18 if c == highlight else 13 for c in rows["regio_code"]],
                    "color": color, "line": {"color": "#000000", "width": 1}},
        ))
    if norm is not None:
        fig.add_vline(x=norm[1], line_color=style.GREEN, line_dash="dash", line_width=3)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=norm[0],
                                 line={"color": style.GREEN, "dash": "dash", "width": 3}))
    style.style(fig, labels, height=max(280, 90 + 46 * len(rows)))
    fig.update_xaxes(title="Dagen van aanmelding tot start", tickformat=",.0f", rangemode="tozero")
    fig.update_yaxes(title=None, automargin=True, categoryorder="array", categoryarray=list(rows["label"]))
    if rows["onderdrukt"].any():
        style.marker_note(fig)
    return fig


def heatmap(cells: pd.DataFrame, labels: style.Labels) -> go.Figure:
    """Counts per row (wijk) and column (wait-time class); suppressed cells show the marker and no colour.

    `cells`: rij, kolom, aantal (None when suppressed), onderdrukt; rows and columns in the order given.
    """
    rows = list(dict.fromkeys(cells["rij"]))
    columns = list(dict.fromkeys(cells["kolom"]))
    grid = cells.set_index(["rij", "kolom"])
    z, text = [], []
    for row in rows:
        cell = [grid.loc[(row, c)] if (row, c) in grid.index else None for c in columns]
        z.append([None if c is None or c["onderdrukt"] or pd.isna(c["aantal"]) else c["aantal"] for c in cell])
        text.append([nl.MISSING if c is None or (pd.isna(c["aantal"]) and not c["onderdrukt"]) else
                     nl.MARKER if c["onderdrukt"] else nl.number(c["aantal"]) for c in cell])
    fig = go.Figure(go.Heatmap(
        z=z, x=columns, y=rows, text=text, texttemplate="%{text}", colorscale="Blues", showscale=False,
        hovertemplate="%{y}, %{x} dagen: %{text}<extra></extra>", xgap=2, ygap=2,
    ))
    style.style(fig, labels, height=max(300, 120 + 40 * len(rows)), legend=False)
    fig.update_xaxes(title="Wachttijd in dagen", type="category", side="top")
    fig.update_yaxes(autorange="reversed", automargin=True, type="category")
    if any(nl.MARKER in t for t in sum(text, [])):
        style.marker_note(fig)
    return fig


def stacked_shares(rows: pd.DataFrame, labels: style.Labels) -> go.Figure:
    """100%-bars per region of shares by part (referrers); suppressed shares are left out and marked.

    `rows`: label, deel, waarde (%), onderdrukt; labels in display order.
    """
    regions = list(dict.fromkeys(rows["label"]))
    fig = go.Figure()
    for n, (deel, part) in enumerate(rows.groupby("deel", sort=False)):
        part = part.set_index("label").reindex(regions)
        values = [None if s is True else v for v, s in zip(part["waarde"], part["onderdrukt"])]
        fig.add_trace(go.Bar(
            y=regions, x=values, name=deel, orientation="h", marker_color=SEQUENTIAL[n % len(SEQUENTIAL)],
            text=[nl.pct(v, 0) if v is not None and v >= 8 else "" for v in values], textposition="inside",
            customdata=[f"{lab}, {deel}: " + (nl.MARKER if v is None else nl.pct(v)) for lab, v in zip(regions, values)],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    style.style(fig, labels, height=max(320, 160 + 42 * len(regions)))
    fig.update_layout(barmode="stack", uniformtext={"minsize": 11, "mode": "hide"})
    fig.update_xaxes(ticksuffix="%", tickformat=",.0f", range=[0, 100])
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array", categoryarray=regions)
    if rows["onderdrukt"].any():
        style.marker_note(fig)
    return fig


def category_bars(rows: pd.DataFrame, labels: style.Labels) -> go.Figure:
    """Spending per year stacked by category, in millions of euros. `rows`: jaar, categorie, bedrag."""
    fig = go.Figure()
    for categorie in [c for c in CATEGORY_LABELS if c in set(rows["categorie"])] + sorted(
            set(rows["categorie"]) - set(CATEGORY_LABELS)):
        part = rows[rows["categorie"] == categorie]
        label = CATEGORY_LABELS.get(categorie, categorie)
        fig.add_trace(go.Bar(
            x=part["jaar"], y=part["bedrag"] / 1e6, name=label, marker_color=CATEGORY_COLORS.get(categorie, style.GREY),
            customdata=[f"{label} {j}: {nl.euro(b)}" for j, b in zip(part["jaar"], part["bedrag"])],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    style.style(fig, labels, height=420)
    fig.update_layout(barmode="stack")
    note = partial_categories(rows)
    if note:
        style.footnote(fig, note)
    fig.update_xaxes(**style.year_axis(sorted(set(rows["jaar"].astype(int)))))
    fig.update_yaxes(title="miljoen euro", tickprefix="€ ", tickformat=",.0f")
    return fig


def partial_categories(rows: pd.DataFrame) -> str:
    """'Jeugdbescherming: alleen in 2025.' for categories booked in some of the years only (not a zero elsewhere)."""
    years = sorted(set(rows["jaar"].astype(int)))
    parts = []
    for categorie, part in rows.groupby("categorie", sort=False):
        present = sorted(set(part["jaar"].astype(int)))
        if len(years) > 1 and present != years:
            label = CATEGORY_LABELS.get(categorie, categorie)
            when = ", ".join(map(str, present))
            parts.append(f"{label}: alleen in {when}" if len(present) <= 3 else
                         f"{label}: niet in {', '.join(str(j) for j in years if j not in present)}")
    if not parts:
        return ""
    return "Niet elk jaar geboekt (geen nul): " + "; ".join(parts) + "."


def soort_bars(rows: pd.DataFrame, labels: style.Labels) -> go.Figure:
    """Begroting next to realisatie per year, in millions of euros. `rows`: jaar, soort, waarde."""
    fig = go.Figure()
    for soort, color in (("begroting", style.SKY), ("realisatie", LEVEL_COLORS["GM"])):
        part = rows[rows["soort"] == soort]
        if part.empty:
            continue
        fig.add_trace(go.Bar(
            x=part["jaar"], y=part["waarde"] / 1e6, name=soort.capitalize(), marker_color=color,
            text=[nl.number(v / 1e6, 1) for v in part["waarde"]], textposition="outside",
            customdata=[f"{soort.capitalize()} {j}: {nl.euro(v)}" for j, v in zip(part["jaar"], part["waarde"])],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    style.style(fig, labels, height=440)
    fig.update_layout(barmode="group")
    fig.update_xaxes(**style.year_axis(sorted(set(rows["jaar"].astype(int)))))
    fig.update_yaxes(title="miljoen euro", tickprefix="€ ", tickformat=",.0f")
    return fig
