"""Indicators from CBS tables: CBS's own values per region level, never recomputed from wijken.

Where several loaded tables give the same measure for a region and period, a present value wins over a missing
one and the later table over the earlier. A percentage column that lost its decimal comma
(`cbs_measures.percentage_invalid`) is never used.
"""

from __future__ import annotations

import re

import duckdb

from indicators.catalog import SOORT_CBS
from indicators.cbs_roles import register_roles, unregister_roles
from indicators.regions import NIVEAU_FROM_CODE

def params(sql: str) -> dict:
    """Named parameters of a CBS query, as used."""
    values = {"soort_cbs": SOORT_CBS}
    return {k: v for k, v in values.items() if re.search(rf"\${k}\b", sql)}


def _run(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    con.execute(sql, params(sql))


_LEVEL = NIVEAU_FROM_CODE.format(c="c.regio_code")

# One row per region, period and measure. Only measures that several tables give for the same period need the
# (costly) choice between rows, so the others pass straight through. What depends on the table and measure alone
# (usable, shared) and on the region alone (its level) is decided once per distinct value, not per row.
_CBS = f"""
CREATE OR REPLACE TEMP TABLE _iv_cbs AS
WITH triples AS (
    SELECT t.table_id, t.periode, t.measure, count(*) OVER (PARTITION BY t.periode, t.measure) > 1 AS shared,
           coalesce(m.percentage_invalid, false) AS invalid
    FROM (SELECT DISTINCT table_id, periode, measure FROM _iv_cbs_values) t
    LEFT JOIN cbs_measures m ON m.table_id = t.table_id AND m.measure = t.measure
), codes AS (
    SELECT c.regio_code
    FROM (SELECT DISTINCT regio_code FROM _iv_cbs_values) c LEFT JOIN regions r ON r.code = c.regio_code
    WHERE coalesce(r.niveau, {_LEVEL}) IN ('WK', 'GM', 'JZ', 'PV', 'NL')
), usable AS (
    SELECT v.table_id, v.regio_code, v.periode, v.jaar, v.measure, v.value, v.missing_reason, t.shared
    FROM _iv_cbs_values v
    JOIN triples t ON t.table_id = v.table_id AND t.periode = v.periode AND t.measure = v.measure AND NOT t.invalid
    SEMI JOIN codes c ON c.regio_code = v.regio_code
)
SELECT * EXCLUDE (shared) FROM usable WHERE NOT shared
UNION ALL
SELECT * EXCLUDE (shared) FROM usable WHERE shared
QUALIFY row_number() OVER (PARTITION BY regio_code, periode, measure ORDER BY (value IS NULL), table_id DESC) = 1
"""

# Measures passed through as `cbs_<stem>`: all but those with a role (`indicators.cbs_roles`) and unusable
# percentages. Needs `_iv_cbs_roles` registered on the connection; the loaded pairs come from `cbs_value_measures`
# (`store.summary`), not from a scan of every CBS value.
PASSTHROUGH_MEASURES_SQL = """
WITH present AS (
    SELECT v.table_id, v.measure FROM cbs_value_measures v
    LEFT JOIN cbs_measures m ON m.table_id = v.table_id AND m.measure = v.measure
    WHERE NOT coalesce(m.percentage_invalid, false)
      AND NOT EXISTS (SELECT 1 FROM _iv_cbs_roles u WHERE u.table_id = v.table_id AND u.measure = v.measure)
)
SELECT p.measure,
       max(coalesce(m1.title, m2.title || ' (' || substr(p.measure, length(split_part(p.measure, '|', 1)) + 2)
                                          || ')')) AS title,
       max(coalesce(m1.unit, m2.unit)) AS unit
FROM present p
LEFT JOIN cbs_measures m1 ON m1.table_id = p.table_id AND m1.measure = p.measure
LEFT JOIN cbs_measures m2 ON m2.table_id = p.table_id AND m2.measure = split_part(p.measure, '|', 1)
GROUP BY p.measure ORDER BY p.measure
"""


def passthrough_measures(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(measure, title, unit) of every measure passed through as `cbs_<stem>`."""
    register_roles(con)
    try:
        return con.execute(PASSTHROUGH_MEASURES_SQL).fetchall()
    finally:
        unregister_roles(con)


_BRON = "'CBS ' || {t}"


# One CBS value per role, region and period: a present value before a missing one, the later table first.
_ROLE_VALUES = """
CREATE OR REPLACE TEMP TABLE _iv_cbs_role AS
SELECT c.regio_code, c.periode, c.jaar, r.role, r.what, c.value, c.missing_reason, c.table_id
FROM _iv_cbs c JOIN _iv_cbs_roles r ON r.table_id = c.table_id AND r.measure = c.measure
QUALIFY row_number() OVER (
    PARTITION BY c.regio_code, c.periode, r.role, r.what ORDER BY (c.value IS NULL), c.table_id DESC
) = 1
"""


def _jeugdhulp(con: duckdb.DuckDBPyConnection) -> None:
    """jeugdhulp_pct: CBS's own percentage where usable, else CBS count / population 0-22; and the count."""
    _run(
        con,
        f"""
        INSERT INTO _iv_raw BY NAME
        WITH pct AS (SELECT * FROM _iv_cbs_role WHERE role = 'pct' AND what = 'jeugdhulp'),
        cnt AS (SELECT * FROM _iv_cbs_role WHERE role = 'aantal' AND what = 'jeugdhulp'),
        keys AS (SELECT regio_code, periode, jaar FROM pct UNION SELECT regio_code, periode, jaar FROM cnt)
        SELECT 'jeugdhulp_pct' AS indicator_id, k.regio_code, k.periode, k.jaar, true AS cbs,
               CASE WHEN pct.regio_code IS NOT NULL THEN pct.value ELSE 100.0 * cnt.value / pop.aantal END AS waarde,
               cnt.value AS teller,
               coalesce(pop.aantal, CASE WHEN pct.value > 0 THEN round(100.0 * cnt.value / pct.value) END) AS noemer,
               CASE WHEN pct.regio_code IS NOT NULL THEN pct.missing_reason ELSE cnt.missing_reason END
                   AS cbs_reden,
               CASE WHEN pct.regio_code IS NOT NULL THEN {_BRON.format(t="pct.table_id")}
                    ELSE {_BRON.format(t="cnt.table_id")} || ', bevolking' END AS bron
        FROM keys k
        LEFT JOIN pct USING (regio_code, periode)
        LEFT JOIN cnt USING (regio_code, periode)
        LEFT JOIN _iv_pop pop ON pop.regio_code = k.regio_code AND pop.jaar = k.jaar AND pop.tot_max = 22
        WHERE pct.regio_code IS NOT NULL OR pop.aantal > 0
        UNION ALL BY NAME
        SELECT 'jeugdhulp_aantal' AS indicator_id, regio_code, periode, jaar, true AS cbs, value AS waarde,
               value AS teller, missing_reason AS cbs_reden, {_BRON.format(t="table_id")} AS bron
        FROM cnt
        """,
    )


def _forms(con: duckdb.DuckDBPyConnection) -> None:
    """Per form of care other than the total: CBS's count, and count / population 0-22 where the population is
    known. A CBS percentage replaces the one from own registration for the same region and period."""
    _run(
        con,
        f"""
        CREATE OR REPLACE TEMP TABLE _iv_cbs_forms AS
        SELECT f.regio_code, f.periode, f.jaar, f.what || '_pct' AS indicator_id, f.value, f.missing_reason,
               f.table_id, pop.aantal AS bevolking
        FROM _iv_cbs_role f
        LEFT JOIN _iv_pop pop ON pop.regio_code = f.regio_code AND pop.jaar = f.jaar AND pop.tot_max = 22
        WHERE f.role = 'aantal' AND f.what <> 'jeugdhulp'
        """,
    )
    _run(
        con,
        """
        DELETE FROM _iv_raw r USING _iv_cbs_forms f
        WHERE r.indicator_id = f.indicator_id AND r.regio_code = f.regio_code AND f.bevolking > 0
          AND coalesce(r.periode, r.jaar::TEXT) = f.periode
        """
    )
    _run(
        con,
        f"""
        INSERT INTO _iv_raw BY NAME
        SELECT f.indicator_id, f.regio_code, f.periode, f.jaar, true AS cbs,
               100.0 * f.value / f.bevolking AS waarde, f.value AS teller, f.bevolking AS noemer,
               f.missing_reason AS cbs_reden, {_BRON.format(t="f.table_id")} || ', bevolking' AS bron
        FROM _iv_cbs_forms f WHERE f.bevolking > 0
        UNION ALL BY NAME
        SELECT replace(f.indicator_id, '_pct', '_aantal') AS indicator_id, f.regio_code, f.periode, f.jaar,
               true AS cbs, f.value AS waarde, f.value AS teller, f.missing_reason AS cbs_reden,
               {_BRON.format(t="f.table_id")} AS bron
        FROM _iv_cbs_forms f
        """
    )


def _verwijzers(con: duckdb.DuckDBPyConnection) -> None:
    """verwijzer_<code>_pct from the CBS wijk tables: trajectories per referrer / all trajectories in natura, under
    soort 'cbs' beside the shares from own registration."""
    _run(
        con,
        f"""
        INSERT INTO _iv_raw BY NAME
        SELECT 'verwijzer_' || v.what || '_pct' AS indicator_id, v.regio_code, v.periode, v.jaar,
               $soort_cbs AS soort, true AS cbs, 100.0 * v.value / t.value AS waarde, v.value AS teller,
               t.value AS noemer, coalesce(v.missing_reason, t.missing_reason) AS cbs_reden,
               {_BRON.format(t="v.table_id")} AS bron
        FROM _iv_cbs_role v
        JOIN _iv_cbs_role t ON t.role = 'trajecten' AND t.regio_code = v.regio_code AND t.periode = v.periode
                           AND t.table_id = v.table_id
        WHERE v.role = 'verwijzer' AND (t.value > 0 OR t.value IS NULL OR v.value IS NULL)
        """,
    )


def _passthrough(con: duckdb.DuckDBPyConnection) -> None:
    """`cbs_<stem>` rows; the indicator id and unit depend on the measure alone, so they are derived per measure."""
    _run(
        con,
        f"""
        INSERT INTO _iv_raw BY NAME
        WITH keep AS (
            SELECT measure, 'cbs_' || trim(regexp_replace(measure, '[^A-Za-z0-9]+', '_', 'g'), '_') AS indicator_id,
                   coalesce(nullif(trim(unit), ''),
                            CASE WHEN lower(measure) LIKE 'percentage%' THEN '%' ELSE 'aantal' END) AS eenheid
            FROM ({PASSTHROUGH_MEASURES_SQL})
        )
        SELECT k.indicator_id, c.regio_code, c.periode, c.jaar, true AS cbs, c.value AS waarde,
               c.missing_reason AS cbs_reden, {_BRON.format(t="c.table_id")} AS bron, k.eenheid
        FROM _iv_cbs c JOIN keep k USING (measure)
        """,
    )


def insert_all(con: duckdb.DuckDBPyConnection) -> None:
    """Append CBS-based indicators to `_iv_raw` (after the own-registration ones, which CBS forms replace)."""
    con.execute(_CBS)
    register_roles(con)
    try:
        con.execute(_ROLE_VALUES)
        _jeugdhulp(con)
        _forms(con)
        _verwijzers(con)
        _passthrough(con)
    finally:
        unregister_roles(con)

