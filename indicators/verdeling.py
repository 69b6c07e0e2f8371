"""Wait-time distribution per wijk and productcategorie for the Toegang page.

Computed with every indicator (`build_klassen`, during `indicators.compute.build`), suppressed in the same decision
as them (its cells add up to the started trajectories that the wait-time indicators and referrer shares publish),
and published in `wachttijd_verdeling` (`publish`), which `wachttijd_verdeling()` reads.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from indicators import suppression
from indicators.regions import require_gemeente

# Classes of calendar days: (label, lowest day in the class).
KLASSEN = (("0-5", 0), ("6-10", 6), ("11-20", 11), ("21-40", 21), ("41-60", 41), ("61-90", 61), (">90", 91))

_KLASSEN = """
CREATE OR REPLACE TEMP TABLE _iv_klassen AS
WITH gestart AS (
    SELECT t.wijk_code, g.gemeente_code, t.productcategorie, year(t.startdatum) AS jaar,
           {klasse} AS klasse
    FROM _iv_trajecten t JOIN _iv_wijk_gm g USING (wijk_code)
    WHERE t.startdatum IS NOT NULL
)
SELECT coalesce(wijk_code, gemeente_code) AS regio_code, CASE WHEN wijk_code IS NULL THEN 'GM' ELSE 'WK' END
       AS niveau, gemeente_code, jaar::TEXT AS periode, jaar, productcategorie, klasse, count(*) AS n
FROM gestart
WHERE klasse IS NOT NULL
GROUP BY GROUPING SETS ((gemeente_code, wijk_code, jaar, productcategorie, klasse),
                        (gemeente_code, jaar, productcategorie, klasse))
"""


def _klasse_sql(days: str) -> str:
    """SQL: the class of a wait of `days` (NULL below the first class), highest class first; a CASE, not a list
    filter per row. Parameters $lo<i> and $label<i>."""
    whens = " ".join(f"WHEN {days} >= $lo{i} THEN $label{i}" for i in reversed(range(len(KLASSEN))))
    return f"CASE {whens} END"


def build_klassen(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table `_iv_klassen`: trajectories started per wijk (and gemeente), year, productcategorie and class."""
    params = {f"lo{i}": lo for i, (_, lo) in enumerate(KLASSEN)} | {f"label{i}": k for i, (k, _) in enumerate(KLASSEN)}
    con.execute(_KLASSEN.format(klasse=_klasse_sql("date_diff('day', t.aanmelddatum, t.startdatum)")), params)


def publish(con: duckdb.DuckDBPyConnection, gemeenten: Sequence[str] | None = None) -> None:
    """Rewrite `wachttijd_verdeling` (all of it, or the rows of `gemeenten`) from the wait-class cells of `_iv_tel`
    (zeros of the grid included), withheld cells blanked."""
    if gemeenten is None:
        con.execute("DELETE FROM wachttijd_verdeling")
    else:
        con.execute("DELETE FROM wachttijd_verdeling WHERE gemeente_code IN (SELECT unnest($g::TEXT[]))",
                    {"g": list(gemeenten)})
    con.execute(
        """
        INSERT INTO wachttijd_verdeling
        SELECT regio_code, niveau, gemeente_code, periode, periode::INTEGER,
               telling[length($klasse) + 1:length(telling) - length(klasse) - 1], klasse,
               CASE WHEN NOT onderdrukt THEN n END, onderdrukt, CASE WHEN onderdrukt THEN $reden END
        FROM (SELECT *, regexp_extract(telling, '[^|]*$') AS klasse FROM _iv_tel WHERE starts_with(telling, $klasse))
        ORDER BY gemeente_code
        """,
        {"reden": suppression.REDEN, "klasse": suppression.KLASSE},
    )


def wachttijd_verdeling(con: duckdb.DuckDBPyConnection, gemeente: str, jaar: int) -> pd.DataFrame:
    """Counts of trajectories started in `jaar` per wijk (and the gemeente), productcategorie and wait class.

    Classes in calendar days: 0-5, 6-10, 11-20, 21-40, 41-60, 61-90, >90. Within a productcategorie and class that
    the gemeente has, every wijk has a cell; withheld cells (zeros among them) have `aantal` empty and
    `onderdrukt` true.
    """
    cur = con.cursor()
    require_gemeente(cur, gemeente)
    return cur.execute(
        """
        SELECT v.regio_code, coalesce(r.name, v.regio_code) AS regio_naam, v.niveau, v.productcategorie, v.klasse,
               v.aantal, v.onderdrukt, v.reden
        FROM wachttijd_verdeling v LEFT JOIN regions r ON r.code = v.regio_code
        WHERE v.gemeente_code = $g AND v.jaar = $jaar
        ORDER BY v.niveau DESC, v.regio_code, v.productcategorie, list_position($labels, v.klasse)
        """,
        {"g": gemeente, "jaar": int(jaar), "labels": [k for k, _ in KLASSEN]},
    ).df()
