"""Print set-up of a sheet: A4 landscape fitted to the page width, header and footer, and page breaks that keep
a block of charts on one page.

Excel decides the page breaks itself; what it cannot know is that a chart should not be cut in two. So the
pagination is simulated here at the scale fit-to-width will use, and a manual break goes before a block that would
otherwise straddle two pages.
"""

from __future__ import annotations

from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from common import nl

NOTICE_COLOUR = "7F6000"
LINE_HEIGHT = 15  # points: Excel's default row height
MARGIN_SIDE, MARGIN_TOP = 0.5, 0.75  # inches
# Printable area of landscape A4 inside those margins, in pixels at 96 dpi.
PAGE_WIDTH_PX = (11.69 - 2 * MARGIN_SIDE) * 96
PAGE_HEIGHT_PX = (8.27 - 2 * MARGIN_TOP) * 96
SAFETY = 0.95  # use a little less than the page, as renderers differ


def page_setup(ws: Worksheet, gemeente_naam: str, demo: bool) -> None:
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    margins = ws.page_margins
    margins.left = margins.right = MARGIN_SIDE
    margins.top = margins.bottom = MARGIN_TOP
    if demo:
        ws.oddHeader.center.text = nl.DEMO_NOTICE
        ws.oddHeader.center.size = 9
        ws.oddHeader.center.color = NOTICE_COLOUR
    ws.oddFooter.left.text = f"Jeugdmonitor – {gemeente_naam.replace('&', '&&')} – &A"  # '&' starts a code
    ws.oddFooter.left.size = 9
    ws.oddFooter.right.text = "Pagina &P van &N"
    ws.oddFooter.right.size = 9


def column_px(width: float) -> float:
    """Pixels of a column `width` characters wide (Excel: 7 pixels a character plus 5 of padding)."""
    return width * 7 + 5


def keep_blocks_together(ws: Worksheet, content_px: float, blocks: list[tuple[int, int]],
                         repeated: int | None) -> None:
    """Put a manual page break before every block (first row, last row) that would be cut by a page end.

    `content_px` is the printed width of the sheet, which sets the fit-to-width scale; `repeated` is the print-title
    row that comes back at the top of every page.
    """
    if not blocks:
        return
    usable = PAGE_HEIGHT_PX / min(1.0, PAGE_WIDTH_PX / content_px) * SAFETY
    title = _row_px(ws, repeated) if repeated else 0.0
    ends = dict(blocks)
    fill = 0.0
    for row in range(1, max(ws.max_row, *ends.values()) + 1):
        if row in ends:
            block = sum(_row_px(ws, r) for r in range(row, ends[row] + 1))
            if fill + block > usable and fill > title:
                ws.row_breaks.append(Break(id=row - 1))
                fill = title
        height = _row_px(ws, row)
        fill = (title if fill + height > usable else fill) + height


def _row_px(ws: Worksheet, row: int) -> float:
    dims = ws.row_dimensions.get(row)
    return ((dims.height if dims is not None and dims.height else None) or LINE_HEIGHT) * 96 / 72
