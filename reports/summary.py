"""The summary sheet: headline indicators this year and last year, the change, NL, the target and whether the
gemeente is on track to reach it."""

from __future__ import annotations

import pandas as pd

import indicators
from indicators import targets
from common import nl
from reports import data
from reports.cells import CHANGE_FORMATS, MISSING_LEGEND, RELATIVE_FORMAT, SUPPRESSED, YEAR_FORMAT, number_format, unit_key
from reports.sheet import Book, Col

def write(book: Book, con, gemeente: data.Region, jaar: int, headline: list, frame: pd.DataFrame) -> str:
    """Write the sheet and return its name."""
    rows, formats = [], []
    for ind in headline:
        soorten = sorted(frame.loc[frame["indicator_id"] == ind.id, "soort"].unique(), key=lambda s: s != "realisatie")
        for soort in soorten:
            rows.append(_row(con, ind, soort, gemeente.code, jaar, frame))
            fmt, change_fmt = number_format(ind.eenheid), CHANGE_FORMATS[unit_key(ind.eenheid)]
            formats.append([None, None, fmt, fmt, change_fmt, None, fmt, fmt, None, None, None])
    sheet = book.sheet("Samenvatting")
    sheet.title(f"Samenvatting {jaar}: {gemeente.naam}")
    sheet.notice()
    sheet.text(
        f"Kernindicatoren van de gemeente in {jaar} en {jaar - 1}. Verandering: het verschil met {jaar - 1} in de "
        "eenheid van de indicator (bij percentages in procentpunten), en dat verschil als percentage van de "
        f"waarde in {jaar - 1}. {targets.ON_TRACK_HELP}",
        span=10,
    )
    if any(value is SUPPRESSED for row in rows for value in row):
        sheet.text(nl.MARKER_LEGEND, italic=True)
    sheet.text(MISSING_LEGEND, italic=True)
    sheet.skip()
    cols = [Col("Indicator"), Col("Eenheid"), Col(str(jaar - 1), numeric=True), Col(str(jaar), numeric=True),
            Col(f"Verandering t.o.v. {jaar - 1}", numeric=True), Col("Verandering (%)", RELATIVE_FORMAT),
            Col(f"Nederland {jaar}", numeric=True), Col("Streefwaarde", numeric=True), Col("Streefjaar", YEAR_FORMAT),
            Col("Op koers", center=True), Col("Toelichting", wrap=True, max_width=45)]
    if rows:
        sheet.table("Samenvatting", cols, rows, formats)
    else:
        sheet.text(f"Er zijn geen kernindicatoren met cijfers voor {gemeente.naam}.", italic=True)
    sheet.finish()
    return sheet.ws.title


def _cell(frame: pd.DataFrame, indicator_id: str, regio_code: str, soort: str, jaar: int):
    """The published value of one cell, the marker object when suppressed, None when there is no figure."""
    hit = frame[(frame["indicator_id"] == indicator_id) & (frame["regio_code"] == regio_code)
                & (frame["soort"] == soort) & (frame["jaar"] == jaar)]
    if hit.empty:
        return None
    row = hit.iloc[0]
    if row["onderdrukt"]:
        return SUPPRESSED
    return None if pd.isna(row["waarde"]) else float(row["waarde"])


def _row(con, ind, soort: str, gemeente: str, jaar: int, frame: pd.DataFrame) -> list:
    periode = str(jaar)
    now = _cell(frame, ind.id, gemeente, soort, jaar)
    before = _cell(frame, ind.id, gemeente, soort, jaar - 1)
    delta = indicators.change(con, ind.id, gemeente, periode, soort)
    levels = indicators.benchmarks(con, ind.id, gemeente, periode, soort)
    nl_row = levels.get("NL")
    nl_value = None if nl_row is None else (SUPPRESSED if nl_row["onderdrukt"] else nl_row["waarde"])
    target, target_year, koers, uitleg = _target(con, ind, gemeente, jaar, now, before)
    if now is None:
        reden = (levels.get("GM") or {}).get("reden")
        uitleg = f"geen cijfer voor {jaar}" + (f" ({reden})" if reden else "") + f"; {uitleg}"
    name = f"{ind.naam} ({soort})" if soort else ind.naam
    return [name, nl.UNIT_LABELS.get(ind.eenheid, ind.eenheid), before, now, delta["verschil"], delta["verschil_pct"],
            nl_value, target, target_year, koers, uitleg]


def _target(con, ind, gemeente: str, jaar: int, now, before):
    """(streefwaarde, streefjaar, op koers 'ja'/'nee'/'–', toelichting): the rule of `indicators.targets`."""
    found = targets.verdict(con, ind, gemeente, jaar, now if isinstance(now, float) else None,
                            before if isinstance(before, float) else None)
    if found is None:
        return None, None, nl.MISSING, "geen streefwaarde voor dit jaar of later geladen"
    koers = {True: "ja", False: "nee", None: nl.MISSING}[found.op_koers]
    return found.streefwaarde, found.streefjaar, koers, found.toelichting
