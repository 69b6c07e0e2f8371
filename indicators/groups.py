"""Benchmark rows made from gemeenten: comparison groups (VG) and, where CBS gives none, jeugdregio and province.

Both read `_iv_members` (`indicators.regions.build_members`): which gemeenten belong to which jeugdregio, province
and comparison group in each year.

- VG: the unweighted mean of the CBS-based values of the group's gemeenten that have one, when at least two do (a
  group of one is no comparison). The source says how many of how many: "Ongewogen gemiddelde van 23 van de 58
  gemeenten (CBS)".
- JZ/PV: only where no CBS table gives the region itself, and only when every gemeente of the region in that year
  has a value: counts (eenheid `aantal`) are summed, percentages with teller and noemer are sum/sum. Other
  figures (averages, percentages without their base) cannot be added up and get no regional value.
"""

from __future__ import annotations

import duckdb

from indicators.regions import build_members

_VG = """
INSERT INTO _iv_raw BY NAME
WITH size AS (SELECT vg, jaar, count(*) AS n FROM _iv_members WHERE vg IS NOT NULL AND bestaat GROUP BY vg, jaar)
SELECT r.indicator_id, m.vg AS regio_code, r.periode, r.jaar, r.soort, true AS cbs,
       avg(r.waarde) AS waarde, any_value(r.eenheid) AS eenheid,
       'Ongewogen gemiddelde van ' || count(*) || ' van de ' || any_value(s.n) || ' gemeenten (CBS)' AS bron
FROM _iv_raw r
JOIN _iv_members m ON m.code = r.regio_code AND m.jaar = r.jaar AND m.bestaat
JOIN size s ON s.vg = m.vg AND s.jaar = m.jaar
WHERE r.cbs AND r.waarde IS NOT NULL
GROUP BY r.indicator_id, m.vg, r.periode, r.jaar, r.soort
HAVING count(*) >= 2
"""

_REGIONAL = """
INSERT INTO _iv_raw BY NAME
WITH parents AS (
    SELECT code, jaar, jz AS parent FROM _iv_members WHERE jz IS NOT NULL AND bestaat
    UNION ALL SELECT code, jaar, pv FROM _iv_members WHERE pv IS NOT NULL AND bestaat
), size AS (SELECT parent, jaar, count(*) AS n FROM parents GROUP BY parent, jaar),
own AS (SELECT DISTINCT indicator_id, regio_code, periode, soort FROM _iv_raw WHERE regio_code IN (SELECT parent FROM size)),
agg AS (
    SELECT r.indicator_id, p.parent, r.periode, r.jaar, r.soort, coalesce(r.eenheid, c.eenheid) AS eenheid,
           count(*) AS k, count(r.teller) AS kt, count(r.noemer) AS kn,
           sum(r.waarde) AS som, sum(r.teller) AS teller, sum(r.noemer) AS noemer
    FROM _iv_raw r
    JOIN parents p ON p.code = r.regio_code AND p.jaar = r.jaar
    LEFT JOIN _iv_cat c USING (indicator_id)
    WHERE r.cbs AND r.waarde IS NOT NULL
    GROUP BY ALL
)
SELECT a.indicator_id, a.parent AS regio_code, a.periode, a.jaar, a.soort, true AS cbs, a.eenheid,
       CASE WHEN a.eenheid = 'aantal' THEN a.som ELSE 100.0 * a.teller / a.noemer END AS waarde,
       CASE WHEN a.eenheid = 'aantal' AND a.kt < a.k THEN NULL ELSE a.teller END AS teller,
       CASE WHEN a.eenheid = 'aantal' AND a.kn < a.k THEN NULL ELSE a.noemer END AS noemer,
       'Som van ' || a.k || CASE WHEN a.k = 1 THEN ' gemeente' ELSE ' gemeenten' END || ' (CBS)' AS bron
FROM agg a JOIN size s ON s.parent = a.parent AND s.jaar = a.jaar
WHERE a.k = s.n
  AND (a.eenheid = 'aantal' OR (a.eenheid = '%' AND a.kt = a.k AND a.kn = a.k AND a.noemer > 0))
  AND NOT EXISTS (SELECT 1 FROM own o WHERE o.indicator_id = a.indicator_id AND o.regio_code = a.parent
                  AND o.periode IS NOT DISTINCT FROM a.periode AND o.soort = a.soort)
"""


# KWB calls the Netherlands NL00, the other CBS tables NL01: one country, one code (NL01 wins where both are given).
_NL00 = """
DELETE FROM _iv_raw r WHERE r.regio_code = 'NL00' AND EXISTS (
    SELECT 1 FROM _iv_raw n WHERE n.regio_code = 'NL01' AND n.indicator_id = r.indicator_id
      AND n.periode IS NOT DISTINCT FROM r.periode AND n.soort = r.soort);
UPDATE _iv_raw SET regio_code = 'NL01' WHERE regio_code = 'NL00';
"""


def insert_benchmarks(con: duckdb.DuckDBPyConnection) -> None:
    """Add VG rows, and JZ/PV rows that CBS does not give, to `_iv_raw` (needs `_iv_cat`); NL00 becomes NL01."""
    con.execute(_NL00)
    build_members(con)
    con.execute(_REGIONAL)
    con.execute(_VG)
