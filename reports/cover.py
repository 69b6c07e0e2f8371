"""The cover sheet: which gemeente and period, when made, from which sources, and what is in the workbook."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from common import nl
from reports.cells import COUNT_FORMAT, DATETIME_FORMAT, link
from reports.sheet import Book, Col, SheetWriter
from store.reference import BRON as REFERENCE_SOURCE

KIND_LABELS = {
    "cbs": "CBS-tabel",
    "cbs-long": "CBS-tabel (lang)",
    "trajecten": "trajecten (eigen registratie)",
    "bereik": "bereik preventief en collectief aanbod",
    "bevolking": "bevolking",
    "budget": "begroting en realisatie",
    "streefwaarden": "streefwaarden",
    "normen": "wachttijdnormen",
    "regios": "regio's",
    "geo": "wijkgrenzen",
    "demo": "demodata",
}


def start(book: Book) -> SheetWriter:
    """Create the cover first, so it is the first sheet; it is filled in when the rest is known."""
    return book.sheet("Voorblad")


def fill(sheet: SheetWriter, gemeente, jaar: int, years: list[int], made: dt.date, sources: pd.DataFrame,
         contents: list[tuple[str, str]]) -> None:
    sheet.title("Jeugdmonitor: raadsrapportage jeugdhulp per wijk")
    sheet.notice()
    sheet.skip()
    sheet.label("Gemeente", f"{gemeente.naam} ({gemeente.code})")
    sheet.label("Verslagjaar", str(jaar))
    sheet.label("Periode", f"{years[0]} t/m {years[-1]}" if len(years) > 1 else str(years[0]))
    sheet.label("Gemaakt op", nl.date(made))
    sheet.label("Onderdrukte cijfers", nl.MARKER_LEGEND)
    sheet.skip()
    sheet.text("Bronnen en laaddatum", bold=True)
    if sources.empty:
        sheet.text("Er is nog niets geladen.", italic=True)
    else:
        cols = [Col("Bestand"), Col("Soort"), Col("Rijen", COUNT_FORMAT),
                Col("Geladen op", DATETIME_FORMAT, center=True), Col("Demodata", center=True)]
        rows = [[s.file_name, KIND_LABELS.get(s.kind, s.kind), int(s.rows_accepted),
                 pd.Timestamp(s.loaded_at).to_pydatetime(), "ja" if s.is_demo else "nee"]
                for s in sources.itertuples(index=False)]
        sheet.table("Bronnen", cols, rows)
    sheet.text(f"Regio-indeling (ingebouwd): {REFERENCE_SOURCE}.", italic=True)
    sheet.text("Inhoud", bold=True)
    ref = sheet.table("Inhoud", [Col("Blad"), Col("Wat staat erin")], [list(c) for c in contents])
    for i, (name, _) in enumerate(contents):
        link(sheet.ws.cell(ref.first_row + i, 1), name)
    sheet.finish(freeze=False)
