"""Breaks in a region's series: where the figures of a wijk or gemeente before and after are not comparable.

Three signs, one rule (`BREAKS`), used by the refresh to fill `indicator_values.indelingsbreuk`:
- CBS says so: `region_breaks` from the `Indelingswijziging…` columns (2 = new code, same area; 3 = area changed);
- a wijk code comes back under another name (Almere's WK003401 'Wijk 01 Almere Haven' in 2019 and 2021, 'Centrum
  Almere Haven' in 2023), unless CBS already marked a break in between; names are compared without the 'Wijk NN '
  prefix of the CBS wijk tables, and a name equal to the gemeente's (a file that names only gemeenten) is no name;
- the set of wijken of a gemeente differs from the previous loaded year (a new wijkindeling): every wijk that year.
Only what loaded files say counts, not the built-in reference (`store.reference`, load_id 0).
"""

from __future__ import annotations

import duckdb

from store.reference import LOAD_ID as REFERENCE

_NORM = "trim(regexp_replace(lower({c}), '^wijk [0-9]+ ', ''))"

BREAKS = f"""
WITH parents AS (
    SELECT code, min(parent_code) AS gm FROM region_parents WHERE parent_code LIKE 'GM%' GROUP BY code
), loaded AS (
    SELECT y.code, y.jaar, nullif(trim(y.naam), '') AS naam,
           CASE WHEN y.code LIKE 'WK%' THEN coalesce(p.gm, 'GM' || substr(y.code, 3, 4)) ELSE y.code END AS gm
    FROM region_years y LEFT JOIN parents p USING (code)
    WHERE y.load_id IS DISTINCT FROM {REFERENCE} AND (y.code LIKE 'WK%' OR y.code LIKE 'GM%')
), cbs AS (
    SELECT code, jaar,
           CASE WHEN wijziging = 3 THEN 'grens gewijzigd' ELSE 'nieuwe code, zelfde gebied' END || ' (CBS)' AS reden
    FROM region_breaks WHERE code LIKE 'WK%' OR code LIKE 'GM%'
), named AS (
    SELECT l.code, l.jaar, l.naam, lag(l.naam) OVER w AS vorige, lag(l.jaar) OVER w AS vorig_jaar
    FROM loaded l LEFT JOIN regions g ON g.code = l.gm
    WHERE l.code LIKE 'WK%' AND l.naam IS NOT NULL
      AND {_NORM.format(c="l.naam")} <> {_NORM.format(c="coalesce(g.name, '')")}
    WINDOW w AS (PARTITION BY l.code ORDER BY l.jaar)
), renamed AS (
    SELECT n.code, n.jaar, 'zelfde code, andere naam (' || n.vorig_jaar || ': ' || n.vorige || ')' AS reden
    FROM named n
    WHERE n.vorige IS NOT NULL AND {_NORM.format(c="n.naam")} <> {_NORM.format(c="n.vorige")}
      AND NOT EXISTS (SELECT 1 FROM cbs c WHERE c.code = n.code AND c.jaar > n.vorig_jaar AND c.jaar <= n.jaar)
), sets AS (
    SELECT gm, jaar, list(code ORDER BY code) AS wijken FROM loaded WHERE code LIKE 'WK%' GROUP BY gm, jaar
), changed AS (
    SELECT gm, jaar FROM (
        SELECT gm, jaar, wijken, lag(wijken) OVER (PARTITION BY gm ORDER BY jaar) AS vorige FROM sets
    ) WHERE vorige IS NOT NULL AND wijken <> vorige
), new_set AS (
    SELECT l.code, c.jaar, 'nieuwe wijkindeling van de gemeente' AS reden
    FROM changed c JOIN loaded l ON l.gm = c.gm AND l.jaar = c.jaar AND l.code LIKE 'WK%'
), every AS (SELECT * FROM cbs UNION ALL SELECT * FROM renamed UNION ALL SELECT * FROM new_set)
SELECT e.code, e.jaar, string_agg(DISTINCT e.reden, '; ' ORDER BY e.reden) AS reden,
       CASE WHEN e.code LIKE 'WK%' THEN coalesce(p.gm, 'GM' || substr(e.code, 3, 4)) ELSE e.code END AS gemeente_code
FROM every e LEFT JOIN parents p USING (code)
GROUP BY e.code, e.jaar, p.gm
"""


def build_breaks(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table `_iv_breuken(code, jaar, breuk)`: every break the loaded files show, with its reason."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _iv_breuken AS SELECT code, jaar, reden AS breuk FROM ({BREAKS})")


def regio_breaks(con: duckdb.DuckDBPyConnection, gemeente: str) -> list[int]:
    """Years in which a wijk of the gemeente has a break (a new wijkindeling, a changed boundary or code, a code
    reused under another name), e.g. Almere 2022."""
    rows = con.cursor().execute(
        f"SELECT DISTINCT jaar FROM ({BREAKS}) WHERE gemeente_code = ? AND code LIKE 'WK%' ORDER BY jaar",
        [gemeente],
    ).fetchall()
    return [r[0] for r in rows]
