"""Indicators from CBS tables: CBS's own values per region level, never recomputed from wijken.

Where several loaded tables give the same measure for a region and period, a present value wins over a missing
one and the later table over the earlier. A percentage column that lost its decimal comma
(`cbs_measures.percentage_invalid`) is never used.
"""

from __future__ import annotations

import re

import duckdb

from indicators.catalog import CBS_FORM_CODES, CBS_JEUGDZORG_AANTAL, CBS_JEUGDZORG_PCT
from indicators.regions import NIVEAU_FROM_CODE

# Long-format measures `<MeasureId>|<Dim>=<code>` whose only dimension is a form of care. Per table and form
# the measure counting young people (title mentions 'jongeren', not a percentage) is the one used.
FORM_MEASURES = """
WITH cand AS (
    SELECT DISTINCT v.table_id, v.measure, split_part(v.measure, '|', 1) AS measure_id,
           regexp_extract(v.measure, '=([^|=]+)$', 1) AS code
    FROM cbs_values v
    WHERE regexp_full_match(v.measure, '[^|]+[|][^|=]+=[^|=]+')
), titled AS (
    SELECT c.*, coalesce(m1.title, m2.title, '') AS title, coalesce(m1.unit, m2.unit, '') AS unit,
           coalesce(m1.percentage_invalid, m2.percentage_invalid, false) AS invalid
    FROM cand c
    LEFT JOIN cbs_measures m1 ON m1.table_id = c.table_id AND m1.measure = c.measure
    LEFT JOIN cbs_measures m2 ON m2.table_id = c.table_id AND m2.measure = c.measure_id
)
SELECT table_id, measure, $form_names[list_position($form_codes, code)] AS vorm
FROM titled
WHERE list_contains($form_codes, code) AND NOT invalid
QUALIFY row_number() OVER (
    PARTITION BY table_id, code
    ORDER BY (title ILIKE '%jongeren%') DESC, (unit ILIKE '%procent%' OR contains(unit, '%')) ASC, measure_id
) = 1
"""


def params(sql: str) -> dict:
    """Named parameters of a CBS query: the form codes and the measures feeding named indicators, as used."""
    values = {
        "form_codes": list(CBS_FORM_CODES),
        "form_names": list(CBS_FORM_CODES.values()),
        "pct": CBS_JEUGDZORG_PCT,
        "cnt": CBS_JEUGDZORG_AANTAL,
    }
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
    FROM (SELECT DISTINCT table_id, periode, measure FROM cbs_values) t
    LEFT JOIN cbs_measures m ON m.table_id = t.table_id AND m.measure = t.measure
), codes AS (
    SELECT c.regio_code
    FROM (SELECT DISTINCT regio_code FROM cbs_values) c LEFT JOIN regions r ON r.code = c.regio_code
    WHERE coalesce(r.niveau, {_LEVEL}) IN ('WK', 'GM', 'JZ', 'PV', 'NL')
), usable AS (
    SELECT v.table_id, v.regio_code, v.periode, v.jaar, v.measure, v.value, v.missing_reason, t.shared
    FROM cbs_values v
    JOIN triples t ON t.table_id = v.table_id AND t.periode = v.periode AND t.measure = v.measure AND NOT t.invalid
    SEMI JOIN codes c ON c.regio_code = v.regio_code
)
SELECT * EXCLUDE (shared) FROM usable WHERE NOT shared
UNION ALL
SELECT * EXCLUDE (shared) FROM usable WHERE shared
QUALIFY row_number() OVER (PARTITION BY regio_code, periode, measure ORDER BY (value IS NULL), table_id DESC) = 1
"""

# Measures passed through as `cbs_<stem>`: all but those feeding named indicators and unusable percentages.
PASSTHROUGH_MEASURES_SQL = f"""
WITH used AS ({FORM_MEASURES}),
present AS (
    SELECT v.table_id, v.measure FROM (SELECT DISTINCT table_id, measure FROM cbs_values) v
    LEFT JOIN cbs_measures m ON m.table_id = v.table_id AND m.measure = v.measure
    WHERE NOT coalesce(m.percentage_invalid, false)
      AND v.measure NOT IN ($cnt, $pct)
      AND NOT EXISTS (SELECT 1 FROM used u WHERE u.measure = v.measure)
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

_BRON = "'CBS ' || {t}"


def _jeugdhulp(con: duckdb.DuckDBPyConnection) -> None:
    """jeugdhulp_pct: CBS's own percentage where usable, else CBS count / population 0-22; and the count."""
    _run(
        con,
        f"""
        INSERT INTO _iv_raw BY NAME
        WITH pct AS (SELECT * FROM _iv_cbs WHERE measure = $pct),
        cnt AS (SELECT * FROM _iv_cbs WHERE measure = $cnt),
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
    """Per-form percentages from CBS long tables (count / population 0-22); they replace own-registration rows.

    Without such tables (no form measures) there is nothing to replace or add.
    """
    _run(con, f"CREATE OR REPLACE TEMP TABLE _iv_form_measures AS {FORM_MEASURES}")
    if not con.execute("SELECT count(*) FROM _iv_form_measures").fetchone()[0]:
        con.execute("DROP TABLE _iv_form_measures")
        return
    _run(
        con,
        """
        CREATE OR REPLACE TEMP TABLE _iv_cbs_forms AS
        SELECT c.regio_code, c.periode, c.jaar, f.vorm || '_pct' AS indicator_id, c.value, c.missing_reason,
               c.table_id
        FROM _iv_cbs c JOIN _iv_form_measures f ON f.table_id = c.table_id AND f.measure = c.measure
        QUALIFY row_number() OVER (
            PARTITION BY c.regio_code, c.periode, f.vorm ORDER BY (c.value IS NULL), c.table_id DESC
        ) = 1
        """,
    )
    _run(
        con,
        """
        DELETE FROM _iv_raw r USING _iv_cbs_forms f
        WHERE r.indicator_id = f.indicator_id AND r.regio_code = f.regio_code
          AND coalesce(r.periode, r.jaar::TEXT) = f.periode
        """
    )
    _run(
        con,
        f"""
        INSERT INTO _iv_raw BY NAME
        SELECT f.indicator_id, f.regio_code, f.periode, f.jaar, true AS cbs,
               100.0 * f.value / pop.aantal AS waarde, f.value AS teller, pop.aantal AS noemer,
               f.missing_reason AS cbs_reden, {_BRON.format(t="f.table_id")} || ', bevolking' AS bron
        FROM _iv_cbs_forms f
        LEFT JOIN _iv_pop pop ON pop.regio_code = f.regio_code AND pop.jaar = f.jaar AND pop.tot_max = 22
        WHERE pop.aantal > 0
        """
    )
    con.execute("DROP TABLE _iv_form_measures")


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
    _jeugdhulp(con)
    _forms(con)
    _passthrough(con)

