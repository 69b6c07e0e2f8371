"""Duiding notes: what the room in a duidingssessie said about one wijk's chart, with who wrote it and when."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd


def for_wijk(con: duckdb.DuckDBPyConnection, wijk: str) -> pd.DataFrame:
    """The notes of one wijk, newest first, with author and time of writing."""
    return con.cursor().execute(
        """SELECT id, wijk_code, indicator_id, jaar, datum, tekst, auteur, created_at FROM duiding
           WHERE wijk_code = ? ORDER BY datum DESC, id DESC""", [wijk]).df()


def save(con: duckdb.DuckDBPyConnection, wijk: str, indicator_id: str, jaar: int, datum: dt.date, tekst: str,
         auteur: str) -> None:
    """Store a note; the caller has checked that `auteur` may write notes."""
    con.cursor().execute(
        "INSERT INTO duiding (wijk_code, indicator_id, jaar, datum, tekst, auteur) VALUES (?, ?, ?, ?, ?, ?)",
        [wijk, indicator_id, jaar, datum, tekst.strip(), auteur])


def delete(con: duckdb.DuckDBPyConnection, note_id: int) -> None:
    """Remove one note; the caller has checked that the user may manage notes."""
    con.cursor().execute("DELETE FROM duiding WHERE id = ?", [note_id])
