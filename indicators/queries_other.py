"""Reach of preventive offers (own registration) and the youth budget (budget lines, taakveld mapping)."""

from __future__ import annotations

import duckdb
import pandas as pd

BRON_BEREIK = "Eigen registratie (bereik), bevolking"
BRON_BUDGET = "Budgetregels (begroting/realisatie)"
PREVENTIEF = ("preventief", "collectief")

_SETS = "GROUPING SETS ((gemeente_code, wijk_code, jaar), (gemeente_code, jaar))"


def insert_bereik(con: duckdb.DuckDBPyConnection) -> None:
    """Unique participants / population 0-17.

    Per wijk, year and offer, one-row-per-person data wins over aggregated counts of the same offer; persons are
    counted once per wijk and once per gemeente across offers, aggregated counts are added as they are.
    """
    con.execute(
        f"""
        INSERT INTO _iv_raw BY NAME
        WITH pers AS (
            SELECT d.jaar, d.wijk_code, g.gemeente_code, d.client_id
            FROM bereik_deelnemers d JOIN _iv_wijk_gm g USING (wijk_code)
        ), agg AS (
            SELECT a.jaar, a.wijk_code, g.gemeente_code, a.deelnemers
            FROM bereik_aantallen a JOIN _iv_wijk_gm g USING (wijk_code)
            WHERE NOT EXISTS (
                SELECT 1 FROM bereik_deelnemers d
                WHERE d.jaar = a.jaar AND d.wijk_code = a.wijk_code AND d.aanbod = a.aanbod AND d.soort = a.soort
            )
        ), p AS (
            SELECT coalesce(wijk_code, gemeente_code) AS regio_code, jaar, count(DISTINCT client_id) AS n
            FROM pers GROUP BY {_SETS}
        ), a AS (
            SELECT coalesce(wijk_code, gemeente_code) AS regio_code, jaar, sum(deelnemers) AS n
            FROM agg GROUP BY {_SETS}
        ), tot AS (
            SELECT regio_code, jaar, coalesce(p.n, 0) + coalesce(a.n, 0) AS n
            FROM p FULL JOIN a USING (regio_code, jaar)
        )
        SELECT 'bereik_preventief_pct' AS indicator_id, tot.regio_code, tot.jaar,
               100.0 * tot.n / pop.aantal AS waarde, tot.n AS teller, pop.aantal AS noemer, $bron AS bron
        FROM tot JOIN _iv_pop pop ON pop.regio_code = tot.regio_code AND pop.jaar = tot.jaar AND pop.tot_max = 17
        WHERE pop.aantal > 0 AND tot.n > 0
        """,
        {"bron": BRON_BEREIK},
    )


# Budget lines with their category: the line's own, else the taakveld mapping whose year range holds the year
# (the latest-starting range where ranges overlap). categorie NULL = unmapped.
BUDGET_LINES = """
SELECT b.jaar, b.regio_code, b.soort, b.taakveld, b.bedrag,
       coalesce(nullif(b.categorie, ''), m.categorie) AS categorie
FROM budget b
LEFT JOIN taakveld_mapping m
  ON coalesce(b.categorie, '') = '' AND m.taakveld = b.taakveld AND b.jaar BETWEEN m.jaar_van AND m.jaar_tot
QUALIFY row_number() OVER (
    PARTITION BY b.jaar, b.regio_code, b.soort, b.taakveld, b.categorie ORDER BY m.jaar_van DESC NULLS LAST
) = 1
"""


# Budget lines with the wijk and gemeente they belong to; categorie NULL: a taakveld without a category that year.
_ALL_PLACED_LINES = f"""
SELECT b.*, CASE WHEN b.regio_code LIKE 'WK%' THEN b.regio_code END AS wijk_code,
       CASE WHEN b.regio_code LIKE 'WK%' THEN coalesce(
           (SELECT min(p.parent_code) FROM region_parents p WHERE p.code = b.regio_code AND p.parent_code LIKE 'GM%'),
           'GM' || substr(b.regio_code, 3, 4)) ELSE b.regio_code END AS gemeente_code
FROM ({BUDGET_LINES}) b
"""

# The lines that count: those with a category.
_PLACED_LINES = f"SELECT * FROM ({_ALL_PLACED_LINES}) WHERE categorie IS NOT NULL"

# The lines that make up a gemeente's budget: its own (GM-booked) lines where it books any for that year and soort,
# else the sum of its wijken's lines. Wijk lines are a breakdown of the gemeente's budget, never added to it.
GEMEENTE_BUDGET_LINES = f"""
SELECT * EXCLUDE (boekt_zelf) FROM (
    SELECT l.*, bool_or(l.wijk_code IS NULL) OVER (PARTITION BY l.gemeente_code, l.jaar, l.soort) AS boekt_zelf
    FROM ({_PLACED_LINES}) l
) WHERE wijk_code IS NULL OR NOT boekt_zelf
"""


def insert_budget(con: duckdb.DuckDBPyConnection) -> None:
    """Budget share and total per soort, per gemeente (see GEMEENTE_BUDGET_LINES) and per booked wijk."""
    con.execute(
        f"""
        INSERT INTO _iv_raw BY NAME
        WITH agg AS (
            SELECT wijk_code AS regio_code, jaar, soort,
                   round(sum(bedrag) FILTER (WHERE list_contains($prev, categorie)), 2) AS preventief,
                   round(sum(bedrag), 2) AS totaal
            FROM ({_PLACED_LINES}) WHERE wijk_code IS NOT NULL GROUP BY ALL
            UNION ALL
            SELECT gemeente_code AS regio_code, jaar, soort,
                   round(sum(bedrag) FILTER (WHERE list_contains($prev, categorie)), 2) AS preventief,
                   round(sum(bedrag), 2) AS totaal
            FROM ({GEMEENTE_BUDGET_LINES}) GROUP BY ALL
        )
        SELECT 'preventief_budget_aandeel_pct' AS indicator_id, regio_code, jaar, soort,
               100.0 * coalesce(preventief, 0) / totaal AS waarde, coalesce(preventief, 0) AS teller,
               totaal AS noemer, $bron AS bron
        FROM agg WHERE totaal > 0
        UNION ALL BY NAME
        SELECT 'jeugdbudget_totaal_eur' AS indicator_id, regio_code, jaar, soort, totaal AS waarde,
               totaal AS teller, $bron AS bron
        FROM agg
        """,
        {"prev": list(PREVENTIEF), "bron": BRON_BUDGET},
    )


def unmapped_taakvelden(con: duckdb.DuckDBPyConnection, gemeente: str | None = None) -> pd.DataFrame:
    """Budget lines whose taakveld has no category for their year: reported, not guessed, not counted. With
    `gemeente`: only the lines of that gemeente and its wijken (a page shows one gemeente)."""
    return con.cursor().execute(
        f"""
        SELECT taakveld, jaar, regio_code, soort, sum(bedrag) AS bedrag, count(*) AS regels
        FROM ({_ALL_PLACED_LINES}) WHERE categorie IS NULL AND ($g::TEXT IS NULL OR gemeente_code = $g)
        GROUP BY taakveld, jaar, regio_code, soort ORDER BY taakveld, jaar, regio_code, soort
        """, {"g": gemeente}
    ).df()
