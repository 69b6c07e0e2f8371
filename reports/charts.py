"""Native Excel charts over the cells of an indicator sheet.

A chart holds no numbers of its own: every series is a reference to cells on the sheet (openpyxl writes no value
cache), and only ranges without a suppressed cell are charted, because Excel draws a text cell such as the marker
as zero. Colours follow the Okabe-Ito palette, with fixed colours per comparison level.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.axis import ChartLines
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.data_source import AxDataSource
from openpyxl.chart.series import SeriesLabel, StrRef
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from common import nl

# The dashboard's colours and dashes (ui/style.py), so a level looks the same on screen and in the workbook.
# "SW" is the target path (streefwaarde), grey as on the dashboard.
LEVEL_COLOURS = {"GM": "0072B2", "JZ": "009E73", "PV": "CC79A7", "NL": "000000", "VG": "E69F00", "SW": "6E6E6E"}
LEVEL_DASH = {"GM": "solid", "JZ": "dash", "PV": "dashDot", "NL": "sysDot", "VG": "lgDash", "SW": "sysDash"}
BEGROTING_DASH = "dash"  # a budget (begroting) line next to the actuals (realisatie) of the same region
WIJK_COLOUR = "56B4E9"
LINE_WIDTH = 28575  # EMU: 2.25 pt
AXIS_SIZE = 900  # hundredths of a point


def title(main: str, demo: bool) -> Title:
    """A chart title; for demo data a second, smaller line with the demo notice."""
    paragraphs = [_paragraph(main, 1200, bold=True)]
    if demo:
        paragraphs.append(_paragraph(nl.DEMO_NOTICE, 900, bold=False, colour="7F6000"))
    return Title(tx=Text(rich=RichText(p=paragraphs)), overlay=False)


def _paragraph(text: str, size: int, bold: bool, colour: str = "000000") -> Paragraph:
    props = CharacterProperties(sz=size, b=bold, solidFill=colour)
    return Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])


def _label(ws: Worksheet, row: int, col: int, last_col: int | None = None) -> SeriesLabel:
    """A series name taken from cells (several cells are joined, e.g. region and soort)."""
    ref = f"${get_column_letter(col)}${row}"
    if last_col and last_col > col:
        ref += f":${get_column_letter(last_col)}${row}"
    return SeriesLabel(strRef=StrRef(f"{quote_sheetname(ws.title)}!{ref}"))


def _categories(ws: Worksheet, chart, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """Category labels (years, region names) from text cells: a string reference, not openpyxl's numeric one."""
    ref = Reference(ws, min_col=first_col, max_col=last_col, min_row=first_row, max_row=last_row)
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(ref)))


def _axes(chart, fmt: str) -> None:
    """Visible axes (openpyxl hides them by default) with small labels and the unit's number format."""
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
        axis.txPr = RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties(sz=AXIS_SIZE)),
                                          endParaRPr=CharacterProperties(sz=AXIS_SIZE))])
    chart.y_axis.number_format = fmt
    chart.y_axis.majorGridlines = ChartLines()


def trend(ws: Worksheet, header_row: int, first_col: int, last_col: int, rows: list[tuple[int, str, str]],
          name: str, fmt: str, demo: bool, label_cols: int = 1, label_first: int = 1) -> LineChart:
    """Lines over the years for the given sheet rows (row number, niveau, soort); categories are the year headers
    and series names the first `label_cols` cells of the row."""
    chart = LineChart()
    chart.visible_cells_only = False  # the charted copy of the table lives in hidden columns
    chart.title = title(name, demo)
    for row, niveau, soort in rows:
        series = Series(Reference(ws, min_col=first_col, max_col=last_col, min_row=row), title=None)
        series.tx = _label(ws, row, label_first, label_first + label_cols - 1)
        series.smooth = False
        colour = LEVEL_COLOURS.get(niveau, WIJK_COLOUR)
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = LINE_WIDTH
        series.graphicalProperties.line.prstDash = BEGROTING_DASH if soort == "begroting" else LEVEL_DASH[niveau]
        series.marker.symbol = "diamond" if niveau == "SW" else "circle"
        series.marker.size = 6
        series.marker.graphicalProperties.solidFill = colour
        series.marker.graphicalProperties.line.solidFill = colour
        chart.series.append(series)
    _categories(ws, chart, header_row, first_col, header_row, last_col)
    chart.display_blanks = "gap"
    chart.legend.position = "r" if len(rows) > 3 else "b"
    _axes(chart, fmt)
    return chart


def ranking(ws: Worksheet, first_row: int, last_row: int, name_col: int, value_col: int, niveaus: list[str],
            name: str, fmt: str, demo: bool) -> BarChart:
    """Horizontal bars, first table row on top; wijken in one colour, gemeente and benchmarks in theirs."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = title(name, demo)
    series = Series(Reference(ws, min_col=value_col, min_row=first_row, max_row=last_row), title=None)
    series.tx = _label(ws, first_row - 1, value_col)
    series.graphicalProperties.solidFill = WIJK_COLOUR
    series.graphicalProperties.line.solidFill = WIJK_COLOUR
    for idx, niveau in enumerate(niveaus):
        if niveau in LEVEL_COLOURS:
            point = DataPoint(idx=idx)
            point.graphicalProperties.solidFill = LEVEL_COLOURS[niveau]
            point.graphicalProperties.line.solidFill = LEVEL_COLOURS[niveau]
            series.dPt.append(point)
    series.dLbls = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False,
                                 showPercent=False, showBubbleSize=False)
    chart.series.append(series)
    _categories(ws, chart, first_row, name_col, last_row, name_col)
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.tickLblSkip = 1
    chart.y_axis.crosses = "max"
    chart.gapWidth = 60
    chart.legend = None
    _axes(chart, fmt)
    return chart
