"""The notes of duidingssessies (table `duiding`): what the room said about one wijk's chart in one year.

A note belongs to a wijk, a year and an indicator; the presentation shows the notes of the slide it is on, the
workbook those of the gemeente's wijken (`reports.data.duiding`).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd


def notes(con: duckdb.DuckDBPyConnection, wijk: str) -> pd.DataFrame:
    """Every note about one wijk, newest first (id, wijk_code, indicator_id, jaar, datum, tekst)."""
    return con.cursor().execute(
        """SELECT id, wijk_code, indicator_id, jaar, datum, tekst FROM duiding
           WHERE wijk_code = ? ORDER BY datum DESC, id DESC""", [wijk]).df()


def add(con: duckdb.DuckDBPyConnection, wijk: str, indicator_id: str, jaar: int, tekst: str,
        datum: dt.date | None = None) -> bool:
    """Store one note (trimmed); an empty text stores nothing. Returns whether a note was stored."""
    text = (tekst or "").strip()
    if not text:
        return False
    con.cursor().execute("INSERT INTO duiding (wijk_code, indicator_id, jaar, datum, tekst) VALUES (?, ?, ?, ?, ?)",
                         [wijk, indicator_id, int(jaar), datum or dt.date.today(), text])
    return True
