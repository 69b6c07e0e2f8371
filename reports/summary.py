"""The summary sheet: headline indicators this year and last year, the change, NL, the target and whether the
gemeente is on track to reach it."""

from __future__ import annotations

import pandas as pd

import indicators
from common import nl
from reports import data
from reports.cells import CHANGE_FORMATS, RELATIVE_FORMAT, SUPPRESSED, YEAR_FORMAT, number_format, unit_key
from reports.sheet import Book, Col

BETTER = {"hoger is beter": 1, "lager is beter": -1}


def write(book: Book, con, gemeente: data.Region, jaar: int, headline: list, frame: pd.DataFrame) -> str:
    """Write the sheet and return its name."""
    targets = data.streefwaarden(con, gemeente.code)
    rows, formats = [], []
    for ind in headline:
        soorten = sorted(frame.loc[frame["indicator_id"] == ind.id, "soort"].unique(), key=lambda s: s != "realisatie")
        for soort in soorten:
            rows.append(_row(con, ind, soort, gemeente.code, jaar, frame, targets))
            fmt, change_fmt = number_format(ind.eenheid), CHANGE_FORMATS[unit_key(ind.eenheid)]
            formats.append([None, None, fmt, fmt, change_fmt, None, fmt, fmt, None, None, None])
    sheet = book.sheet("Samenvatting")
    sheet.title(f"Samenvatting {jaar}: {gemeente.naam}")
    sheet.notice()
    sheet.text(
        f"Kernindicatoren van de gemeente in {jaar} en {jaar - 1}. Verandering: het verschil met {jaar - 1} in de "
        "eenheid van de indicator (bij percentages in procentpunten), en dat verschil als percentage van de "
        f"waarde in {jaar - 1}. Op koers: haalt de gemeente de streefwaarde van dit jaar, of bij gelijkblijvende "
        "ontwikkeling de eerstvolgende streefwaarde?",
        span=10,
    )
    if any(value is SUPPRESSED for row in rows for value in row):
        sheet.text(nl.MARKER_LEGEND, italic=True)
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


def _row(con, ind, soort: str, gemeente: str, jaar: int, frame: pd.DataFrame, targets: pd.DataFrame) -> list:
    periode = str(jaar)
    now = _cell(frame, ind.id, gemeente, soort, jaar)
    before = _cell(frame, ind.id, gemeente, soort, jaar - 1)
    delta = indicators.change(con, ind.id, gemeente, periode, soort)
    levels = indicators.benchmarks(con, ind.id, gemeente, periode, soort)
    nl_row = levels.get("NL")
    nl_value = None if nl_row is None else (SUPPRESSED if nl_row["onderdrukt"] else nl_row["waarde"])
    target, target_year, koers, uitleg = _target(con, ind, gemeente, jaar, now, before, targets)
    if now is None:
        reden = (levels.get("GM") or {}).get("reden")
        uitleg = f"geen cijfer voor {jaar}" + (f" ({reden})" if reden else "") + f"; {uitleg}"
    name = f"{ind.naam} ({soort})" if soort else ind.naam
    return [name, nl.UNIT_LABELS.get(ind.eenheid, ind.eenheid), before, now, delta["verschil"], delta["verschil_pct"],
            nl_value, target, target_year, koers, uitleg]


def _meets(value: float, target: float, ind) -> bool:
    """Whether a value reaches a target in the indicator's direction, as shown (rounded like the workbook shows it)."""
    decimals = 1 if ind.eenheid in ("%", "ratio") else 0
    return BETTER[ind.richting] * (round(value, decimals) - round(target, decimals)) >= 0


def _target(con, ind, gemeente: str, jaar: int, now, before, targets: pd.DataFrame):
    """(streefwaarde, streefjaar, op koers 'ja'/'nee'/'–', toelichting) for the report year."""
    own = targets[targets["indicator_id"] == ind.id]
    if own.empty:
        return None, None, nl.MISSING, "geen streefwaarde geladen"
    path = indicators.target_path(con, ind.id, gemeente, [jaar])
    value = now if isinstance(now, float) else None
    comparable = value is not None and ind.richting in BETTER
    if not path.empty:
        target = float(path["streefwaarde"].iloc[0])
        label = "streefwaarde" if bool(path["vastgesteld"].iloc[0]) else "streefpad (lineair tussen streefwaarden)"
        text = f"{label} {jaar}: {nl.by_unit(target, ind.eenheid)}"
        if not comparable:
            return target, jaar, nl.MISSING, text
        return target, jaar, "ja" if _meets(value, target, ind) else "nee", text
    later = own[own["jaar"] > jaar]
    if later.empty:
        return None, None, nl.MISSING, f"de laatste streefwaarde gold voor {int(own['jaar'].max())}"
    goal_year, goal = int(later["jaar"].iloc[0]), float(later["waarde"].iloc[0])
    if not comparable:
        return goal, goal_year, nl.MISSING, f"streefwaarde {goal_year}: {nl.by_unit(goal, ind.eenheid)}"
    return goal, goal_year, *_projection(ind, jaar, value, before, goal_year, goal)


def _projection(ind, jaar: int, now: float, before, goal_year: int, goal: float) -> tuple[str, str]:
    """On track for a later target: already there, or there by then at the rate of change of the last year."""
    if _meets(now, goal, ind):
        return "ja", f"de streefwaarde voor {goal_year} is al bereikt"
    if not isinstance(before, float):
        return nl.MISSING, f"geen cijfer voor {jaar - 1} om de ontwikkeling te bepalen"
    projected = now + (now - before) * (goal_year - jaar)
    text = (f"bij dezelfde ontwikkeling als in {jaar} is de waarde in {goal_year} "
            f"{nl.by_unit(projected, ind.eenheid)} (streefwaarde {nl.by_unit(goal, ind.eenheid)})")
    return ("ja" if _meets(projected, goal, ind) else "nee"), text
