"""Chart builders for wijk comparisons: ranked bars, funnel plot and map.

Each takes prepared rows and returns a styled Plotly figure. Suppressed wijken get the marker instead of a bar or
colour; hover texts are Dutch strings from `common.nl`.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from common import nl
from ui import style
from ui.style import LEVEL_COLORS, LEVEL_DASH, LEVEL_LABELS


def reference_label(niveau: str, naam: str, waarde: str) -> str:
    return f"{LEVEL_LABELS.get(niveau, niveau)}: {waarde}" if niveau != "GM" else f"{naam}: {waarde}"


def _reference(fig: go.Figure, x: float, color: str, dash: str, width: int) -> None:
    """A vertical reference line behind the bars (named in the chart's heading, not in a legend)."""
    fig.add_vline(x=x, line_color=color, line_dash=dash, line_width=width, layer="below")


def _bar_text(r, eenheid: str, flags: dict) -> str:
    if r.onderdrukt:
        return nl.MARKER
    return nl.by_unit(r.waarde, eenheid) + (f" {flags[r.regio_code]}" if r.regio_code in flags else "")


def ranked_bars(wijken: pd.DataFrame, refs: pd.DataFrame, eenheid: str, labels: style.Labels, *,
                highlight: str | None, flags: dict | None = None, target: tuple[str, float] | None = None) -> go.Figure:
    """Wijken ranked by value (highest on top), the selected wijk highlighted, references as vertical lines.

    `flags` maps a wijk code to '▲' / '▼' for wijken outside the funnel limits (afwijkend). Values are written
    inside the bars, so that the reference lines never cross them; the marker of a suppressed wijk stands alone.
    """
    shown = wijken.assign(_s=wijken["onderdrukt"].astype(int), _v=wijken["waarde"].fillna(-math.inf))
    shown = shown.sort_values(["_s", "_v"], ascending=[False, True])
    texts = [_bar_text(r, eenheid, flags or {}) for r in shown.itertuples()]
    colors = [LEVEL_COLORS["WK"] if r.regio_code == highlight else style.OTHER_WIJK for r in shown.itertuples()]
    inside = [pd.notna(v) and not s for v, s in zip(shown["waarde"], shown["onderdrukt"])]
    fig = go.Figure(go.Bar(
        x=shown["waarde"].fillna(0), y=list(shown["regio_naam"]), orientation="h", marker_color=colors, text=texts,
        textposition=["inside" if i else "outside" for i in inside], insidetextanchor="end",
        textfont={"color": ["#FFFFFF" if c == LEVEL_COLORS["WK"] and i else "#111111"
                            for c, i in zip(colors, inside)], "size": style.BASE_SIZE},
        cliponaxis=False, textangle=0, customdata=texts, showlegend=False,
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    ))
    key = []
    for r in refs.itertuples():
        if not r.onderdrukt and pd.notna(r.waarde):
            color, dash = LEVEL_COLORS.get(r.niveau, style.GREY), LEVEL_DASH.get(r.niveau, "dash")
            _reference(fig, r.waarde, color, dash, 3 if r.niveau == "GM" else 2)
            key.append((reference_label(r.niveau, r.regio_naam, nl.by_unit(r.waarde, eenheid)), color))
    if target is not None:
        _reference(fig, target[1], style.TARGET_COLOR, "dash", 2)
        key.append((f"{target[0]}: {nl.by_unit(target[1], eenheid)}", style.TARGET_COLOR))
    style.style(fig, labels, height=max(260, 60 + len(shown) * style.BASE_SIZE * 2.4), legend=False, key=key)
    fig.update_xaxes(**style.value_axis(eenheid))
    fig.update_yaxes(title=None, automargin=True)
    if shown["onderdrukt"].any():
        style.marker_note(fig)
    return fig


def funnel_plot(points: pd.DataFrame, curve: pd.DataFrame, center: float, eenheid: str,
                labels: style.Labels, *, highlight: str | None, gemeente_naam: str) -> go.Figure:
    """Value against denominator with 95% and 99,8% limits around the gemeente value.

    `points`: regio_code, regio_naam, waarde, noemer, status ('binnen', 'afwijkend', 'sterk afwijkend').
    """
    fig = go.Figure()
    for lo, hi, name, dash in (("lo95", "hi95", "95%-grenzen", "dash"), ("lo998", "hi998", "99,8%-grenzen", "dot")):
        for column, legend in ((lo, True), (hi, False)):
            fig.add_trace(go.Scatter(
                x=curve["noemer"], y=curve[column], mode="lines", name=name, legendgroup=name, showlegend=legend,
                line={"color": style.GREY, "dash": dash, "width": 2}, hoverinfo="skip",
            ))
    fig.add_hline(y=center, line_color=LEVEL_COLORS["GM"], line_width=3)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line={"color": LEVEL_COLORS["GM"], "width": 3},
                             name=f"{gemeente_naam}: {nl.by_unit(center, eenheid)}"))
    symbols = {"binnen": ("circle", style.SKY), "afwijkend": ("diamond", style.ORANGE),
               "sterk afwijkend": ("square", style.VERMILION)}
    for status, (symbol, color) in symbols.items():
        part = points[points["status"] == status]
        if part.empty:
            continue
        hover = [f"{r.regio_naam}<br>{nl.by_unit(r.waarde, eenheid)} bij noemer {nl.number(r.noemer)}<br>{status}"
                 for r in part.itertuples()]
        # Names only where it matters (outside the limits, or the chosen wijk): close points would overlap.
        names = [r.regio_naam if status != "binnen" or r.regio_code == highlight else "" for r in part.itertuples()]
        fig.add_trace(go.Scatter(
            x=part["noemer"], y=part["waarde"], mode="markers+text", name=status.capitalize(), text=names,
            textposition=["top center" if v >= center else "bottom center" for v in part["waarde"]],
            customdata=hover, hovertemplate="%{customdata}<extra></extra>",
            marker={"symbol": symbol, "color": color,
                    "size": [18 if c == highlight else 13 for c in part["regio_code"]],
                    "line": {"color": "#000000", "width": [3 if c == highlight else 1 for c in part["regio_code"]]}},
        ))
    style.style(fig, labels, height=480)
    fig.update_xaxes(title="Noemer (aantal)", tickformat=",.0f", range=_funnel_x(points))
    fig.update_yaxes(**style.value_axis(eenheid), range=_funnel_y(points, curve, _funnel_x(points)))
    return fig


def _funnel_x(points: pd.DataFrame) -> list[float]:
    return [0, float(points["noemer"].max()) * 1.08]


def _funnel_y(points: pd.DataFrame, curve: pd.DataFrame, x_range: list[float]) -> list[float]:
    """The points and the limits where wijken are, not the wide funnel mouth near zero."""
    near = curve[curve["noemer"] >= float(points["noemer"].min()) * 0.5]
    low = min(points["waarde"].min(), near["lo998"].min())
    high = max(points["waarde"].max(), near["hi998"].max())
    pad = (high - low) * 0.25 or 1
    return [max(0.0, low - pad), high + pad]


def _bounds(geojson: dict) -> tuple[float, float, float, float]:
    xs, ys = [], []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for feature in geojson["features"]:
        walk(feature["geometry"]["coordinates"])
    return min(xs), max(xs), min(ys), max(ys)


# The plot width of a chart in half of the page on the smallest screen we support (1280 px with the sidebar open):
# a map's zoom is fitted to it, so no wijk falls off the edge on a laptop; on a wide screen it shows some margin.
HALF_WIDTH = 400


def _view(geojson: dict, width: int = 700, height: int = 460) -> tuple[dict, float]:
    """Centre and zoom that fit the wijken (Web Mercator, 512-pixel tiles)."""
    west, east, south, north = _bounds(geojson)
    lon_span = max(east - west, 1e-4)
    lat_span = max(north - south, 1e-4) / math.cos(math.radians((north + south) / 2))
    zoom = min(math.log2(width * 360 / (512 * lon_span)), math.log2(height * 360 / (512 * lat_span))) - 0.3
    return {"lon": (west + east) / 2, "lat": (south + north) / 2}, zoom


def wijk_map(geojson: dict, wijken: pd.DataFrame, eenheid: str, labels: style.Labels, *, highlight: str | None,
             colorscale: str = "Blues", zmid: float | None = None, zrange: tuple[float, float] | None = None,
             height: int = 480, width: int = 700) -> go.Figure:
    """Wijken coloured by value on a blank background (offline); suppressed and missing wijken in grey.

    A diverging `colorscale` with `zmid` (e.g. 0 for a difference) centres the colours on that value; `zrange`
    fixes the colour range, so that maps side by side use the same colours for the same value; `width` is the
    width in pixels the zoom is fitted to (narrower for maps side by side).
    """
    codes = {f["id"] for f in geojson["features"]}
    published = wijken[~wijken["onderdrukt"] & wijken["waarde"].notna() & wijken["regio_code"].isin(codes)]
    names = {f["id"]: f["properties"]["naam"] for f in geojson["features"]}
    grey = sorted(codes - set(published["regio_code"]))
    suppressed = set(wijken.loc[wijken["onderdrukt"], "regio_code"])
    fig = go.Figure(go.Choroplethmap(
        geojson=geojson, locations=published["regio_code"], z=published["waarde"], colorscale=colorscale, zmid=zmid,
        zmin=zrange[0] if zrange else None, zmax=zrange[1] if zrange else None,
        marker={"line": {"color": ["#000000" if c == highlight else "#FFFFFF" for c in published["regio_code"]],
                         "width": [4 if c == highlight else 1.5 for c in published["regio_code"]]}},
        customdata=[f"{r.regio_naam}: {nl.by_unit(r.waarde, eenheid)}" for r in published.itertuples()],
        hovertemplate="%{customdata}<extra></extra>",
        colorbar={"title": None, "ticksuffix": "%" if eenheid == "%" else "", "tickformat": ",.1~f",
                  "thickness": 16},
    ))
    if grey:
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, locations=grey, z=[0] * len(grey),
            colorscale=[[0, style.LIGHT_GREY], [1, style.LIGHT_GREY]],
            showscale=False, marker={"line": {"color": "#FFFFFF", "width": 1.5}},
            customdata=[f"{names.get(c, c)}: {nl.MARKER} onderdrukt" if c in suppressed
                        else f"{names.get(c, c)}: geen gegevens" for c in grey],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    center, zoom = _view(geojson, width=width, height=height - 20)
    style.style(fig, labels, height=height, legend=False)
    fig.update_layout(map={"style": "white-bg", "center": center, "zoom": zoom}, margin={"l": 0, "r": 0})
    if suppressed:
        style.marker_note(fig)
    return fig
