"""Wait-time distribution per wijk and productcategorie for the Toegang page, suppressed like every figure."""

from __future__ import annotations

import duckdb
import pandas as pd

from indicators import suppression
from indicators.regions import build_wijk_gemeente, require_gemeente

# Classes of calendar days: (label, lowest day in the class).
KLASSEN = (("0-5", 0), ("6-10", 6), ("11-20", 11), ("21-40", 21), ("41-60", 41), ("61-90", 61), (">90", 91))

_WORK = """
CREATE OR REPLACE TEMP TABLE _iv_verdeling_in AS
WITH gestart AS (
    SELECT t.wijk_code, g.gemeente_code, t.productcategorie,
           $labels[len(list_filter($lows, lambda x: x <= date_diff('day', t.aanmelddatum, t.startdatum)))] AS klasse
    FROM trajecten t JOIN _iv_wijk_gm g USING (wijk_code)
    WHERE g.gemeente_code = $g AND year(t.startdatum) = $jaar
), agg AS (
    SELECT coalesce(wijk_code, gemeente_code) AS regio_code, CASE WHEN wijk_code IS NULL THEN 'GM' ELSE 'WK' END
           AS niveau, gemeente_code, productcategorie, klasse, count(*) AS aantal
    FROM gestart
    GROUP BY GROUPING SETS ((gemeente_code, wijk_code, productcategorie, klasse),
                            (gemeente_code, productcategorie, klasse))
)
SELECT productcategorie || '|' || klasse AS indicator_id, regio_code, niveau, gemeente_code,
       $jaar::TEXT AS periode, '' AS soort, aantal::DOUBLE AS teller, NULL::DOUBLE AS noemer, true AS eigen,
       $min_n AS min_n, NULL::TEXT AS cbs_reden, productcategorie, klasse, aantal
FROM agg
"""


def wachttijd_verdeling(con: duckdb.DuckDBPyConnection, gemeente: str, jaar: int,
                        min_n: int | None = None) -> pd.DataFrame:
    """Counts of trajectories started in `jaar` per wijk (and the gemeente), productcategorie and wait class.

    Classes in calendar days: 0-5, 6-10, 11-20, 21-40, 41-60, 61-90, >90. Cells under the threshold, and cells
    that would reveal them, have `aantal` empty and `onderdrukt` true.
    """
    cur = con.cursor()
    require_gemeente(cur, gemeente)
    build_wijk_gemeente(cur)
    threshold = suppression.threshold(min_n) or suppression.DEFAULT_MIN_N
    cur.execute(_WORK, {"labels": [k for k, _ in KLASSEN], "lows": [lo for _, lo in KLASSEN], "g": gemeente,
                        "jaar": int(jaar), "min_n": threshold})
    suppression.apply(cur, "_iv_verdeling_in", "_iv_verdeling")
    frame = cur.execute(
        """
        SELECT v.regio_code, coalesce(r.name, v.regio_code) AS regio_naam, v.niveau, v.productcategorie, v.klasse,
               CASE WHEN NOT v.onderdrukt THEN v.aantal END AS aantal, v.onderdrukt, v.reden
        FROM _iv_verdeling v LEFT JOIN regions r ON r.code = v.regio_code
        ORDER BY v.niveau DESC, v.regio_code, v.productcategorie, list_position($labels, v.klasse)
        """,
        {"labels": [k for k, _ in KLASSEN]},
    ).df()
    cur.execute("DROP TABLE _iv_verdeling")
    cur.execute("DROP TABLE _iv_verdeling_in")
    cur.execute("DROP TABLE _iv_wijk_gm")
    return frame
