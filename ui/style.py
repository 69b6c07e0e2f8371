"""House style for every chart: Okabe-Ito colours, Dutch numbers, the demo note and slide-size PNG export.

Plotly formats numbers with d3; `separators=",."` makes it write `12,5` and `1.234`. Hover texts are built from
`common.nl` strings (customdata) so that a hover never shows a raw number or a suppressed value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import plotly.graph_objects as go
import plotly.io as pio

from common.nl import MARKER_LEGEND

# Okabe-Ito (colour-blind safe). Benchmarks have fixed colours and dashes, so a line is recognisable without colour.
BLUE, GREEN, BLACK, VERMILION = "#0072B2", "#009E73", "#000000", "#D55E00"
ORANGE, SKY, PURPLE, YELLOW = "#E69F00", "#56B4E9", "#CC79A7", "#F0E442"
GREY, LIGHT_GREY = "#6E6E6E", "#C8C8C8"

# The house template, given to every figure as it is made (Plotly applies its default without validating it again);
# set on each figure in `style` it cost a validated deep copy of the whole template, per chart and per run.
pio.templates.default = "plotly_white"

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
        # Only the years drawn get a tick: the padding around them must not show the next year.
        axis |= {"range": [min(jaren) - 0.4, max(jaren) + 0.4], "tickmode": "array", "tickvals": list(jaren),
                 "ticktext": [str(j) for j in jaren]}
    return axis


UNIT_WORDS = {"%": "percentage", "dagen": "dagen", "aantal": "aantal", "euro": "euro", "ratio": "verhouding"}


@dataclass(frozen=True)
class Labels:
    """What a chart says about itself, so that a downloaded PNG is complete without the page around it.

    `title`: the indicator (with its age range); `subtitle`: unit, period and gemeente or wijk; `source`: where the
    figures come from; `demo`: the data are fictional (the chart says so).
    """

    title: str
    subtitle: str
    source: str
    demo: bool


def subtitle(eenheid: str | None, period: str, where: str) -> str:
    unit = UNIT_WORDS.get(eenheid or "", eenheid or "")
    return " · ".join(part for part in (unit[:1].upper() + unit[1:] if unit else "", period, where) if part)


def sources(bronnen) -> str:
    """The distinct sources of the rows drawn, in order of first appearance."""
    found = list(dict.fromkeys(b for b in bronnen if isinstance(b, str) and b))
    tables = [b.removeprefix("CBS ") for b in found if re.fullmatch(r"CBS \w+", b)]
    if len(tables) > 1:
        found = [b for b in found if b.removeprefix("CBS ") not in tables]
        found.insert(0, f"CBS-tabellen {', '.join(tables)}")
    return "; ".join(found) if found else "Jeugdmonitor"


def _wrap(text: str, width: int) -> list[str]:
    words, lines_, line = text.split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines_.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines_ + ([line] if line else [])


def _key_lines(items: list[tuple[str, str]], width: int) -> list[str]:
    """Legend entries as coloured text lines ('━ Gemeente: 12,5%'), packed to `width` characters."""
    lines_, line, used = [], [], 0
    for text, color in items:
        entry = f"<span style='color:{color}'>━ {text}</span>"
        if line and used + len(text) + 4 > width:
            lines_.append("   ".join(line))
            line, used = [], 0
        line.append(entry)
        used += len(text) + 4
    return lines_ + (["   ".join(line)] if line else [])


def style(fig: go.Figure, labels: Labels, *, big: bool = False, height: int | None = None, legend: bool = True,
          key: list[tuple[str, str]] | None = None) -> go.Figure:
    """Apply the house style: title and subtitle on top, source (and the demo note) at the bottom, legend at the
    right of the plot (where it can never cover the title, the data or the axis). `key`: a line under the subtitle
    that names what a chart without legend draws (reference lines), in their colours."""
    size = BIG_SIZE if big else BASE_SIZE
    width = 60 if big else 46
    title_lines = _wrap(labels.title, width)
    sub_lines = [f"<span style='color:{GREY}'>{line}</span>" for line in _wrap(labels.subtitle, width)]
    sub_lines += _key_lines(key or [], round(width * 1.1))
    foot = _wrap(f"Bron: {labels.source}.", round(width * 1.25))
    if labels.demo:
        foot.append("<b>Fictieve demodata</b>: deze cijfers zijn verzonnen.")
    head = round(size * 1.1)
    title_px = round(head * 0.9) + 6 + round(head * 1.3 * (len(title_lines) + len(sub_lines))) + 4
    foot_px = round(size * 0.8 * 1.35 * len(foot) + 6)
    axis_px = round(size * 3.2)  # tick labels and an axis title between the plot and the footer
    fig.update_layout(
        separators=",.",
        font={"family": FONT, "size": size, "color": "#111111"},
        hoverlabel={"font": {"family": FONT, "size": size}},
        height=(height or (620 if big else 440)) + title_px + foot_px - 60,
        margin={"l": 10, "r": 20, "t": title_px + 12, "b": foot_px + axis_px},
        showlegend=legend,
        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top",
                "font": {"size": round(size * 0.85) if big else size}, "title": None},
        title={"text": "<br>".join([f"<b>{line}</b>" for line in title_lines] +
                                   sub_lines),
               "x": 0, "xanchor": "left", "xref": "container", "y": 1, "yref": "container", "yanchor": "top",
               # Plotly anchors a multi-line title by its first baseline: the top pad makes room for that line.
               "pad": {"t": round(head * 0.9) + 6, "l": 10}, "font": {"size": head}},
    )
    fig.add_annotation(
        text="<br>".join(foot), xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
        yshift=-axis_px, align="left", showarrow=False, font={"size": round(size * 0.8), "color": GREY},
        name="bron",
    )
    return fig


def footnote(fig: go.Figure, text: str, big: bool = False) -> None:
    """Lines under the source line at the bottom of the chart (the suppression marker, a series note)."""
    size = BIG_SIZE if big else BASE_SIZE
    line = round(size * 0.8 * 1.35)
    wrapped = _wrap(text, 88 if big else 65)
    above = sum(a.text.count("<br>") + 1 for a in fig.layout.annotations if a.name in ("bron", "voetnoot"))
    fig.add_annotation(
        text="<br>".join(wrapped), xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
        yshift=-(round(size * 3.2) + line * above), align="left", showarrow=False,
        font={"size": round(size * 0.8), "color": GREY}, name="voetnoot",
    )
    fig.update_layout(margin={"b": fig.layout.margin.b + line * len(wrapped)},
                      height=fig.layout.height + line * len(wrapped) if fig.layout.height else None)


def marker_note(fig: go.Figure, big: bool = False) -> None:
    """Legend for the suppression marker, on the chart itself, above the source line."""
    footnote(fig, MARKER_LEGEND, big)
