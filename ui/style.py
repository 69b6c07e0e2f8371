"""House style for every chart: Okabe-Ito colours, Dutch numbers, the demo note and slide-size PNG export.

Plotly formats numbers with d3; `separators=",."` makes it write `12,5` and `1.234`. Hover texts are built from
`common.nl` strings (customdata) so that a hover never shows a raw number or a suppressed value.
"""

from __future__ import annotations

import plotly.graph_objects as go

from common.nl import MARKER_LEGEND

# Okabe-Ito (colour-blind safe). Benchmarks have fixed colours and dashes, so a line is recognisable without colour.
BLUE, GREEN, BLACK, VERMILION = "#0072B2", "#009E73", "#000000", "#D55E00"
ORANGE, SKY, PURPLE, YELLOW = "#E69F00", "#56B4E9", "#CC79A7", "#F0E442"
GREY, LIGHT_GREY = "#6E6E6E", "#C8C8C8"

LEVEL_COLORS = {"WK": VERMILION, "GM": BLUE, "JZ": GREEN, "PV": PURPLE, "NL": BLACK, "VG": ORANGE}
LEVEL_DASH = {"WK": "solid", "GM": "solid", "JZ": "dash", "PV": "dashdot", "NL": "dot", "VG": "longdash"}
WIJK_COLORS = [VERMILION, ORANGE, SKY, PURPLE, GREY]
TARGET_COLOR = GREY
OTHER_WIJK = SKY

LEVEL_LABELS = {
    "WK": "Wijk",
    "GM": "Gemeente",
    "JZ": "Jeugdregio",
    "PV": "Provincie",
    "NL": "Nederland",
    "VG": "Vergelijkbare gemeenten",
}

FONT = "Source Sans, Source Sans Pro, Segoe UI, Arial, sans-serif"  # Streamlit ships "Source Sans"
BASE_SIZE, BIG_SIZE = 16, 24

# Dutch texts for the Plotly toolbar (its own locale mechanism; no download at run time).
_LOCALE_NL = {
    "dictionary": {
        "Download plot as a PNG": "Download als PNG (diaformaat 1920×1080)",
        "Download plot": "Download grafiek",
        "Reset axes": "Assen herstellen",
        "Autoscale": "Automatisch schalen",
        "Zoom": "Inzoomen op gebied",
        "Zoom in": "Inzoomen",
        "Zoom out": "Uitzoomen",
        "Pan": "Verschuiven",
        "Reset view": "Beeld herstellen",
        "Toggle show closest data on hover": "Dichtstbijzijnde waarde tonen",
        "Show closest data on hover": "Dichtstbijzijnde waarde tonen",
        "Compare data on hover": "Waarden vergelijken",
        "Preparing image - this may take a few seconds": "Afbeelding wordt gemaakt…",
        "Image download succeeded": "Afbeelding gedownload",
        "Sorry, there was a problem downloading your image!": "Het downloaden van de afbeelding is mislukt.",
        "Double-click to zoom back out": "Dubbelklik om uit te zoomen",
        "Click to enter Colorscale title": "",
        "Click to enter Plot title": "",
        "Click to enter X axis title": "",
        "Click to enter Y axis title": "",
        "trace": "reeks",
        "Fullscreen": "Volledig scherm",
    },
    "format": {
        "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
        "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
        "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                   "oktober", "november", "december"],
        "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
        "decimal": ",",
        "thousands": ".",
    },
}


def plotly_config(filename: str) -> dict:
    """Toolbar with a PNG download at slide size (1920x1080) and Dutch tooltips."""
    return {
        "displaylogo": False,
        "locale": "nl",
        "locales": {"nl": _LOCALE_NL},
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoomIn2d", "zoomOut2d"],
        "toImageButtonOptions": {"format": "png", "width": 1920, "height": 1080, "scale": 1, "filename": filename},
    }


def value_axis(eenheid: str) -> dict:
    """Ticks and title of a value axis in the indicator's unit (percentages are stored as 12.5, not 0.125)."""
    if eenheid == "%":
        return {"ticksuffix": "%", "tickformat": ",.1~f", "rangemode": "tozero", "title": None}
    if eenheid == "euro":
        return {"tickprefix": "€ ", "tickformat": ",.0f", "rangemode": "tozero", "title": None}
    if eenheid == "ratio":
        return {"tickformat": ",.2~f", "rangemode": "tozero", "title": None}
    return {"tickformat": ",.0f", "rangemode": "tozero", "title": "dagen" if eenheid == "dagen" else None}


def year_axis(jaren: list[int]) -> dict:
    """Whole years, no thousands separator (2.024 would be wrong)."""
    axis = {"tickformat": "d", "dtick": 1, "title": None}
    if jaren:
        axis["range"] = [min(jaren) - 0.4, max(jaren) + 0.4]
    return axis


def style(fig: go.Figure, *, demo: bool, big: bool = False, height: int | None = None,
          title: str | None = None, legend: bool = True) -> go.Figure:
    """Apply the house style; with `demo`, every chart says the data are fictional."""
    size = BIG_SIZE if big else BASE_SIZE
    fig.update_layout(
        template="plotly_white",
        separators=",.",
        font={"family": FONT, "size": size, "color": "#111111"},
        hoverlabel={"font": {"family": FONT, "size": size}},
        height=height or (620 if big else 440),
        margin={"l": 10, "r": 20, "t": round(size * 5.2) if title else 40, "b": 80 if demo else 50},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0,
                "font": {"size": size}, "title": None},
        title={"text": title, "x": 0, "xanchor": "left", "xref": "paper", "y": 0.99, "yref": "container",
               "yanchor": "top", "font": {"size": round(size * 1.5)}} if title else None,
    )
    if demo:
        fig.add_annotation(
            text="Fictieve demodata", xref="paper", yref="paper", x=1, y=0, xanchor="right", yanchor="top",
            yshift=-(size * 2 + 6), showarrow=False, font={"size": max(12, size - 3), "color": GREY},
        )
    return fig


def marker_note(fig: go.Figure, big: bool = False) -> None:
    """Legend for the suppression marker, on the chart itself: bottom left, on a line below the demo note."""
    size = BIG_SIZE if big else BASE_SIZE
    fig.add_annotation(
        text=MARKER_LEGEND, xref="paper", yref="paper", x=0, y=0,
        xanchor="left", yanchor="top", yshift=-(size * 3.4 + 6), showarrow=False,
        font={"size": max(12, size - 3), "color": GREY},
    )
    fig.update_layout(margin={"b": fig.layout.margin.b + round(size * 1.4)})
