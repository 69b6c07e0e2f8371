"""Charts of expected use: a wijk map of werkelijk, verwacht or verschil, the funnel of werkelijk / verwacht, and the
line of verwacht (with its 95% band) beside werkelijk over the years."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from common import nl
from indicators import models
from ui import figures, style

MAPS = (("werkelijk", "Werkelijk"), ("verwacht", "Verwacht"), ("verschil", "Verschil (werkelijk − verwacht)"))
SYMBOLS = {models.HOGER: ("triangle-up", style.VERMILION), models.LAGER: ("triangle-down", style.BLUE),
           models.ZOALS: ("circle", style.SKY)}


def map_of(geo: dict, wijken: pd.DataFrame, what: str, labels: style.Labels, *, highlight: str | None) -> go.Figure:
    rows = pd.DataFrame({"regio_code": wijken["regio_code"], "regio_naam": wijken["regio_naam"],
                         "waarde": wijken[what], "onderdrukt": False})
    if what == "verschil":
        top = float(wijken["verschil"].abs().max()) or 1.0
        return figures.wijk_map(geo, rows, "procentpunt", labels, highlight=highlight, colorscale="RdBu_r",
                                zmid=0.0, zrange=(-top, top), height=400, width=260)
    both = pd.concat([wijken["werkelijk"], wijken["verwacht"]]).dropna()
    return figures.wijk_map(geo, rows, "%", labels, highlight=highlight,
                            zrange=(float(both.min()), float(both.max())), height=400, width=260)


def map_alt(wijken: pd.DataFrame, what: str, jaar: int) -> str:
    known = wijken.dropna(subset=[what])
    if known.empty:
        return f"Kaart {what} {jaar}: geen wijken met een cijfer."
    hi, lo = known.loc[known[what].idxmax()], known.loc[known[what].idxmin()]
    fmt = (lambda v: nl.signed(v, 1, " procentpunt")) if what == "verschil" else nl.pct
    return (f"Kaart {what} gebruik {jaar}: hoogst {hi['regio_naam']} ({fmt(hi[what])}), laagst {lo['regio_naam']} "
            f"({fmt(lo[what])}).")


def funnel(wijken: pd.DataFrame, curve: pd.DataFrame, labels: style.Labels, *, highlight: str | None) -> go.Figure:
    """Werkelijk / verwacht against the expected count, with the 95% limits of the model."""
    fig = go.Figure()
    for column, legend in (("laag", True), ("hoog", False)):
        fig.add_trace(go.Scatter(x=curve["verwacht_aantal"], y=curve[column], mode="lines", name="95%-grenzen",
                                 legendgroup="grens", showlegend=legend, hoverinfo="skip",
                                 line={"color": style.GREY, "dash": "dash", "width": 2}))
    fig.add_hline(y=1, line_color=style.BLACK, line_width=2)
    points = wijken.dropna(subset=["ratio"])
    for verdict, (symbol, color) in SYMBOLS.items():
        part = points[points["oordeel"] == verdict]
        if part.empty:
            continue
        hover = [f"{r.regio_naam}<br>werkelijk {nl.pct(r.werkelijk)}, verwacht {nl.pct(r.verwacht)}<br>{verdict}"
                 for r in part.itertuples()]
        names = [r.regio_naam if verdict != models.ZOALS or r.regio_code == highlight else ""
                  for r in part.itertuples()]
        fig.add_trace(go.Scatter(
            x=part["verwacht_aantal"], y=part["ratio"], mode="markers+text", name=verdict.capitalize(),
            text=names, textposition="top center", customdata=hover, hovertemplate="%{customdata}<extra></extra>",
            marker={"symbol": symbol, "color": color,
                    "size": [18 if c == highlight else 12 for c in part["regio_code"]],
                    "line": {"color": "#000000", "width": [3 if c == highlight else 1 for c in part["regio_code"]]}}))
    style.style(fig, labels, height=420)
    fig.update_xaxes(title="Verwacht aantal jongeren met jeugdhulp (meer jongeren = preciezer)", tickformat=",.0f",
                     range=[0, float(points["verwacht_aantal"].max()) * 1.08])
    low, high = float(points["ratio"].min()), float(points["ratio"].max())
    fig.update_yaxes(title="Werkelijk gedeeld door verwacht (1 = zoals verwacht)", tickformat=",.1f",
                     range=[max(0.0, min(low, 0.7) - 0.1), max(high, 1.3) + 0.1])
    return fig


def funnel_alt(wijken: pd.DataFrame, jaar: int) -> str:
    hoger = wijken.loc[wijken["oordeel"] == models.HOGER, "regio_naam"].tolist()
    lager = wijken.loc[wijken["oordeel"] == models.LAGER, "regio_naam"].tolist()
    parts = [f"Trechterdiagram {jaar}: werkelijk gedeeld door verwacht per wijk."]
    parts.append(f"Hoger dan verwacht: {', '.join(hoger)}." if hoger else "Geen wijk hoger dan verwacht.")
    parts.append(f"Lager dan verwacht: {', '.join(lager)}." if lager else "Geen wijk lager dan verwacht.")
    return " ".join(parts)


def trend(rows: pd.DataFrame, naam: str, labels: style.Labels, *, big: bool = False) -> go.Figure:
    """Werkelijk and verwacht over the years for one region, the 95% band around verwacht."""
    rows = rows.sort_values("jaar")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=rows["jaar"], y=rows["bovengrens"], mode="lines", line={"width": 0},
                             showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=rows["jaar"], y=rows["ondergrens"], mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor="rgba(230, 159, 0, 0.22)", name="95%-grenzen van verwacht", hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=rows["jaar"], y=rows["verwacht"], mode="lines+markers", name=f"Verwacht ({naam})",
        line={"color": style.ORANGE, "dash": "dash", "width": 3},
        customdata=[f"{j}: verwacht {nl.pct(v)} ({nl.pct(a)} – {nl.pct(b)})" for j, v, a, b in
                    zip(rows["jaar"], rows["verwacht"], rows["ondergrens"], rows["bovengrens"])],
        hovertemplate="%{customdata}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=rows["jaar"], y=rows["werkelijk"], mode="lines+markers", name=f"Werkelijk ({naam})",
        line={"color": style.VERMILION, "width": 4}, marker={"size": 10},
        customdata=[f"{j}: werkelijk {nl.pct(v)}" for j, v in zip(rows["jaar"], rows["werkelijk"])],
        hovertemplate="%{customdata}<extra></extra>"))
    style.style(fig, labels, big=big, height=560 if big else 380)
    jaren = [int(j) for j in rows["jaar"]]
    fig.update_xaxes(**style.year_axis(jaren))
    fig.update_yaxes(**style.value_axis("%"))
    return fig


def trend_alt(rows: pd.DataFrame, naam: str) -> str:
    rows = rows.sort_values("jaar")
    parts = []
    for r in rows.itertuples():
        werkelijk = nl.pct(r.werkelijk) if pd.notna(r.werkelijk) else "onbekend"
        parts.append(f"{r.jaar}: werkelijk {werkelijk}, verwacht {nl.pct(r.verwacht)} ({r.oordeel or 'onbekend'})")
    return f"Werkelijk en verwacht gebruik van jeugdhulp in {naam}. " + "; ".join(parts) + "."
