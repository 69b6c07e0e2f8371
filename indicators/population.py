"""Population of an age range from `bevolking` bands that exactly cover it, never a guess.

Bands may come in any partition (single years, 0-3/4-11/12-17, one band 0-22) and several partitions may be
loaded side by side; any chain of adjacent bands from 0 to the upper age counts. A range no chain covers (for
instance KWB's 15-24 band for 0-22) gives no population, so the indicator that needs it gives no row.
"""

from __future__ import annotations

import duckdb

# Upper ages (inclusive) the indicators need: 0-17 for reach of prevention, 0-22 for jeugdhulp.
RANGES = (17, 22)

_POP = """
CREATE OR REPLACE TEMP TABLE _iv_pop AS
WITH RECURSIVE lim(tot_max) AS (SELECT unnest($limits)),
bands AS (
    SELECT b.regio_code, b.jaar, b.leeftijd_van, b.leeftijd_tot, b.aantal, l.tot_max
    FROM bevolking b JOIN lim l ON b.leeftijd_tot <= l.tot_max AND b.leeftijd_van >= 0
),
walk(regio_code, jaar, tot_max, reached, aantal) USING KEY (regio_code, jaar, tot_max, reached) AS (
    SELECT regio_code, jaar, tot_max, leeftijd_tot, aantal FROM bands WHERE leeftijd_van = 0
    UNION
    SELECT w.regio_code, w.jaar, w.tot_max, b.leeftijd_tot, w.aantal + b.aantal
    FROM walk w JOIN bands b
      ON b.regio_code = w.regio_code AND b.jaar = w.jaar AND b.tot_max = w.tot_max
     AND b.leeftijd_van = w.reached + 1
)
SELECT regio_code, jaar, tot_max, aantal FROM walk WHERE reached = tot_max
"""


def build_population(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table `_iv_pop(regio_code, jaar, tot_max, aantal)`: population aged 0..tot_max."""
    con.execute(_POP, {"limits": list(RANGES)})
