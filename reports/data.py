"""What the council workbook reads from the store: published indicator values and the context around them.

Figures come only from `indicator_values`, which holds published values with suppression already applied; nothing
here reads the raw tables, so the workbook cannot show a number the indicator layer withheld.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from indicators.regions import benchmark_codes

BENCHMARK_ORDER = ("GM", "JZ", "PV", "NL", "VG")


@dataclass(frozen=True)
class Region:
    code: str
    naam: str
    niveau: str


class ReportError(Exception):
    """A Dutch message for the user: unknown gemeente, no data, a year without figures."""


def gemeente(con: duckdb.DuckDBPyConnection, code: str) -> Region:
    """The gemeente by code; ReportError when the database does not know it."""
    row = con.cursor().execute(
        "SELECT code, coalesce(name, code) FROM regions WHERE code = ? AND niveau = 'GM'", [code]
    ).fetchone()
    if row is None:
        row = con.cursor().execute(
            "SELECT regio_code, any_value(coalesce(regio_naam, regio_code)) FROM indicator_values "
            "WHERE regio_code = ? AND niveau = 'GM' GROUP BY regio_code",
            [code],
        ).fetchone()
    if row is None:
        raise ReportError(f"Onbekende gemeente: {code}. Gebruik een code als GM0344 die in de database staat.")
    return Region(row[0], row[1], "GM")


def years(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> list[int]:
    """The years with published figures (or suppressed cells) for the gemeente or its wijken."""
    rows = con.cursor().execute(
        "SELECT DISTINCT jaar FROM indicator_values WHERE gemeente_code = ? AND periode = CAST(jaar AS VARCHAR) "
        "AND (waarde IS NOT NULL OR onderdrukt) ORDER BY jaar",
        [gemeente_code],
    ).fetchall()
    return [r[0] for r in rows]


def wijken(frame: pd.DataFrame) -> list[Region]:
    """The gemeente's wijken that have any figure in the report's period, by code."""
    rows = frame.loc[frame["niveau"] == "WK", ["regio_code", "regio_naam"]].drop_duplicates("regio_code")
    return [Region(r.regio_code, r.regio_naam, "WK") for r in rows.sort_values("regio_code").itertuples(index=False)]


def latest_year(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> int | None:
    """The default report year: the latest year with figures, not counting a budget for a year still to come."""
    return con.cursor().execute(
        "SELECT max(jaar) FROM indicator_values WHERE gemeente_code = ? AND periode = CAST(jaar AS VARCHAR) "
        "AND (waarde IS NOT NULL OR onderdrukt) AND soort <> 'begroting'",
        [gemeente_code],
    ).fetchone()[0]


def benchmark_regions(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> list[Region]:
    """The gemeente, its jeugdregio, province, the Netherlands and its comparison group, where they have figures."""
    codes = benchmark_codes(con.cursor(), gemeente_code)
    names = dict(
        con.cursor()
        .execute(
            "SELECT regio_code, any_value(coalesce(regio_naam, regio_code)) FROM indicator_values "
            "WHERE regio_code IN (SELECT unnest(?)) GROUP BY regio_code",
            [list(codes.values())],
        )
        .fetchall()
    )
    return [Region(codes[n], names[codes[n]], n) for n in BENCHMARK_ORDER if codes.get(n) in names]


def values(con: duckdb.DuckDBPyConnection, gemeente_code: str, regions: list[Region], jaar: int) -> pd.DataFrame:
    """Yearly published values of the gemeente's wijken and of `regions` (itself and its benchmarks), up to `jaar`.

    Suppressed cells are included (without values); rows without a value for another reason (CBS: onbekend) are
    left out, so they show as empty cells.
    """
    return (
        con.cursor()
        .execute(
            """
            SELECT indicator_id, regio_code, coalesce(regio_naam, regio_code) AS regio_naam, niveau, jaar, soort,
                   waarde, teller, noemer, ci_laag, ci_hoog, eenheid, onderdrukt, reden, bron
            FROM indicator_values
            WHERE periode = CAST(jaar AS VARCHAR) AND jaar <= ? AND (waarde IS NOT NULL OR onderdrukt)
              AND ((gemeente_code = ? AND niveau = 'WK') OR regio_code IN (SELECT unnest(?)))
            ORDER BY indicator_id, regio_code, soort, jaar
            """,
            [jaar, gemeente_code, [r.code for r in regions]],
        )
        .df()
    )


def sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """What was loaded, from load_log: the data sources and their load dates."""
    return (
        con.cursor()
        .execute(
            "SELECT file_name, kind, rows_accepted, loaded_at, is_demo FROM load_log ORDER BY loaded_at, load_id"
        )
        .df()
    )


def duiding(con: duckdb.DuckDBPyConnection, gemeente_code: str, jaar: int) -> pd.DataFrame:
    """Notes from duidingssessies about the gemeente's wijken, up to the report year."""
    return (
        con.cursor()
        .execute(
            """
            WITH wijken AS (
                SELECT DISTINCT regio_code AS code, regio_naam AS naam FROM indicator_values
                WHERE niveau = 'WK' AND gemeente_code = ?
            )
            SELECT d.wijk_code, coalesce(w.naam, r.name, d.wijk_code) AS wijk_naam, d.indicator_id, d.jaar,
                   d.datum, d.tekst, d.auteur, d.created_at
            FROM duiding d
            LEFT JOIN wijken w ON w.code = d.wijk_code
            LEFT JOIN regions r ON r.code = d.wijk_code
            WHERE d.jaar <= ? AND (
                w.code IS NOT NULL
                OR d.wijk_code IN (SELECT code FROM region_parents WHERE parent_code = ?)
                OR 'GM' || substr(d.wijk_code, 3, 4) = ?
            )
            ORDER BY wijk_naam, d.jaar DESC, d.datum DESC, d.id
            """,
            [gemeente_code, jaar, gemeente_code, gemeente_code],
        )
        .df()
    )


def streefwaarden(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> pd.DataFrame:
    """The gemeente's targets, as loaded."""
    return (
        con.cursor()
        .execute(
            "SELECT indicator_id, jaar, waarde, bron FROM streefwaarden WHERE regio_code = ? "
            "ORDER BY indicator_id, jaar",
            [gemeente_code],
        )
        .df()
    )
