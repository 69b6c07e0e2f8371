"""The council report workbook: `build_workbook(con, gemeente, jaar) -> bytes` (.xlsx).

A beleidsadviseur pastes its tables and charts into a raadsvoorstel, so it must be usable as it comes out: Dutch
sheet names and labels, numbers as numbers with Dutch-readable formats, tables, frozen headers, print set-up.
Figures come only from the published (already suppressed) `indicator_values`.
"""

from __future__ import annotations

import datetime as dt
import io

import duckdb
from openpyxl import Workbook

import store
import indicators
from indicators import catalog, suppression
from reports import cover, data, indicator_sheet, reference, summary, verwacht
from reports.data import ReportError
from reports.sheet import Book

__all__ = ["ReportError", "build_workbook"]


def build_workbook(con: duckdb.DuckDBPyConnection, gemeente: str, jaar: int | None = None) -> bytes:
    """The workbook for one gemeente; `jaar` defaults to the latest year with data. Raises ReportError (Dutch)."""
    region = data.gemeente(con, gemeente.strip().upper())
    years = data.years(con, region.code)
    if not years:
        raise ReportError(f"Er zijn geen cijfers voor {region.naam} ({region.code}). Laad eerst gegevens.")
    if jaar is None:
        jaar = data.latest_year(con, region.code) or years[-1]
    elif jaar not in years:
        raise ReportError(
            f"Er zijn geen cijfers voor {region.naam} in {jaar}; er zijn cijfers voor {years[0]} t/m {years[-1]}."
        )
    book = Book(Workbook(), region.naam, store.is_demo(con))
    book.wb.remove(book.wb.active)
    _fill(book, con, region, jaar, [y for y in years if y <= jaar])
    book.wb.properties.title = f"Jeugdmonitor raadsrapportage {region.naam} {jaar}"
    book.wb.properties.creator = "Jeugdmonitor"
    out = io.BytesIO()
    book.wb.save(out)
    return out.getvalue()


def _fill(book: Book, con, region: data.Region, jaar: int, years: list[int]) -> None:
    cover_sheet = cover.start(book)
    regions = data.benchmark_regions(con, region.code)
    frame = data.values(con, region.code, regions, jaar)
    catalogue = catalog.all_indicators(con)
    summary_name = summary.write(book, con, region, jaar, [i for i in catalogue if i.headline], frame)
    sheets, suppressed = _indicator_sheets(book, con, region, years, frame, regions, catalogue)
    model_sheets = verwacht.write(book, con, region.code, region.naam, jaar)
    definitions = reference.definitions(book, catalogue, sheets)
    names = {ind.id: ind.naam for ind in catalogue}
    duiding = reference.duiding(book, data.duiding(con, region.code, jaar), names)
    privacy = reference.privacy(book, suppression.threshold() or suppression.DEFAULT_MIN_N, suppressed)
    contents = [(summary_name, f"Kernindicatoren {jaar} en {jaar - 1}, verandering, Nederland, streefwaarde")]
    contents += [(sheets[i.id], i.naam) for i in catalogue if i.id in sheets]
    contents += model_sheets
    contents += [
        (definitions, "Beschrijving, teller, noemer, eenheid en bron van elke indicator"),
        (duiding, "Notities uit duidingssessies per wijk"),
        (privacy, "Hoe en waarom cijfers zijn onderdrukt"),
    ]
    cover.fill(cover_sheet, region, jaar, years, dt.date.today(), data.sources(con), contents)


def _indicator_sheets(book: Book, con, region: data.Region, years: list[int], frame, regions, catalogue):
    """A sheet per indicator with figures; returns {indicator id: sheet name} and the suppressed cells."""
    wijken = data.wijken(frame)
    with_target = set(data.streefwaarden(con, region.code)["indicator_id"])
    sheets: dict[str, str] = {}
    suppressed: list[tuple[str, str, int, str]] = []
    for ind in catalogue:
        part = frame[frame["indicator_id"] == ind.id]
        if part.empty:
            continue
        targets = _targets(con, ind.id, region.code, years) if ind.id in with_target else {}
        result = indicator_sheet.write(book, ind, part, wijken, regions, targets)
        sheets[ind.id] = result.name
        suppressed += [(ind.naam, naam, year, reden) for naam, year, reden in result.suppressed]
    return sheets, suppressed


def _targets(con, indicator_id: str, gemeente: str, years: list[int]) -> dict[int, float]:
    """The gemeente's target path over the report's years (only within the span of its loaded targets)."""
    path = indicators.target_path(con, indicator_id, gemeente, years)
    return dict(zip(path["jaar"].astype(int), path["streefwaarde"].astype(float)))
