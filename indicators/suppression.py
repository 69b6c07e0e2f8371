"""The one place where suppression is decided.

Primary: a figure from own registration (children) is suppressed when its count, the teller or noemer of its
percentage or ratio, or the number of records behind its statistic is under the threshold (default 10; env
`JEUGDMONITOR_MIN_N`, or the `min_n` argument). Secondary: per indicator, gemeente, period and soort, as long as
the suppressed wijken could be recovered from the published gemeente total minus the published wijken (a single
suppressed wijk, or suppressed wijken that together are under the threshold), the next smallest wijk (by teller,
else by number of records) is suppressed too. The gemeente itself stays published. The same holds within a
region for indicators that split one published total into parts (the referrer shares).

The threshold of a row is the configured one (argument or environment) where given, else the indicator's min_n.

CBS figures are not suppressed again (CBS protected them); a CBS value CBS kept secret stays suppressed, and any
other missing CBS value stays missing, with its reason.
"""

from __future__ import annotations

import os

import duckdb

DEFAULT_MIN_N = 10
ENV = "JEUGDMONITOR_MIN_N"

REDEN_PRIMAIR = "minder dan {n} waarnemingen"
REDEN_SECUNDAIR = "aanvullend onderdrukt"
REDEN_CBS = "CBS: {reden}"

_SMALL = "(coalesce(teller < min_n, false) OR coalesce(noemer < min_n, false))"


def threshold(min_n: int | None = None) -> int | None:
    """The configured threshold: the argument, else $JEUGDMONITOR_MIN_N, else None (each indicator's min_n)."""
    if min_n is None:
        env = os.environ.get(ENV, "").strip()
        if not env:
            return None
        try:
            min_n = int(env)
        except ValueError as exc:
            raise ValueError(f"{ENV} moet een geheel getal zijn, niet '{env}'.") from exc
    if min_n < 1:
        raise ValueError(f"De drempel voor onderdrukking moet minstens 1 zijn, niet {min_n}.")
    return min_n


def apply(con: duckdb.DuckDBPyConnection, source: str, target: str) -> None:
    """Decide suppression: temp table `target` = every row of `source` plus `onderdrukt` and `reden`.

    `source` (table or view) has: indicator_id, regio_code, niveau, gemeente_code, periode, soort, teller,
    noemer, eigen (bool: own registration), min_n (threshold for the row) and cbs_reden (CBS missing reason or
    NULL). Values are left in place: whoever publishes must blank the suppressed rows.
    """
    for name in (source, target):
        if not name.isidentifier():
            raise ValueError(name)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {target} AS
        SELECT *,
               CASE WHEN cbs_reden IS NOT NULL THEN cbs_reden = 'geheim' ELSE eigen AND {_SMALL} END AS onderdrukt,
               CASE WHEN cbs_reden IS NOT NULL THEN replace($cbs, '{{reden}}', cbs_reden)
                    WHEN eigen AND {_SMALL} THEN replace($prim, '{{n}}', min_n::TEXT) END AS reden
        FROM {source}
        """,
        {"cbs": REDEN_CBS, "prim": REDEN_PRIMAIR},
    )
    _secondary(con, target)


# Families of indicators that split one published total (their common noemer) into parts: within a region and
# period a single suppressed part would follow from the total minus the other parts.
PARTITIONS = ("verwijzer_",)

_ACROSS_WIJKEN = """
WITH touched AS (
    SELECT DISTINCT indicator_id, gemeente_code, periode, soort FROM {t}
    WHERE niveau = 'WK' AND onderdrukt AND cbs_reden IS NULL
)
SELECT struct_pack(i := w.indicator_id, g := w.gemeente_code, p := w.periode, s := w.soort) AS grp,
       w.indicator_id, w.regio_code, w.periode, w.soort, coalesce(w.teller, w.noemer, 0) AS grootte,
       w.onderdrukt, w.min_n
FROM {t} w
SEMI JOIN touched USING (indicator_id, gemeente_code, periode, soort)
JOIN {t} gm ON gm.indicator_id = w.indicator_id AND gm.regio_code = w.gemeente_code AND gm.periode = w.periode
           AND gm.soort = w.soort AND NOT gm.onderdrukt
WHERE w.niveau = 'WK' AND w.cbs_reden IS NULL
"""

_ACROSS_PARTS = """
SELECT struct_pack(f := $family, r := w.regio_code, p := w.periode, s := w.soort) AS grp,
       w.indicator_id, w.regio_code, w.periode, w.soort, coalesce(w.teller, 0) AS grootte, w.onderdrukt, w.min_n
FROM {t} w
WHERE w.eigen AND starts_with(w.indicator_id, $family)
QUALIFY bool_or(NOT w.onderdrukt) OVER (PARTITION BY w.regio_code, w.periode, w.soort)
"""

_EXTRA = """
CREATE OR REPLACE TEMP TABLE _iv_extra AS
WITH m AS ({members}),
groups AS (
    SELECT grp, any_value(min_n) AS min_n, count(*) FILTER (WHERE onderdrukt) AS n_onderdrukt,
           coalesce(sum(grootte) FILTER (WHERE onderdrukt), 0) AS som_onderdrukt
    FROM m GROUP BY grp HAVING count(*) FILTER (WHERE onderdrukt) > 0
), ranked AS (
    SELECT m.indicator_id, m.regio_code, m.periode, m.soort, g.n_onderdrukt, g.som_onderdrukt, g.min_n,
           row_number() OVER w AS rang, sum(m.grootte) OVER w - m.grootte AS som_kleiner
    FROM m JOIN groups g USING (grp)
    WHERE NOT m.onderdrukt
    WINDOW w AS (PARTITION BY m.grp ORDER BY m.grootte, m.regio_code, m.indicator_id ROWS UNBOUNDED PRECEDING)
)
SELECT indicator_id, regio_code, periode, soort FROM ranked
WHERE NOT (n_onderdrukt + rang - 1 >= 2 AND som_onderdrukt + som_kleiner >= min_n)
"""


def _secondary(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Suppress the next smallest cells until no suppressed cell follows from a published total.

    Totals are the gemeente (across its wijken) and the common noemer of a partition family (across its parts);
    suppressing for one may expose the other, so the passes repeat until nothing changes.
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _iv_sec AS
        SELECT indicator_id, regio_code, niveau, gemeente_code, periode, soort, teller, noemer, min_n, eigen,
               cbs_reden, onderdrukt, false AS aanvullend
        FROM {table} WHERE eigen
        """
    )
    passes = [(_ACROSS_WIJKEN, {})] + [(_ACROSS_PARTS, {"family": f}) for f in PARTITIONS]
    for _ in range(20):
        added = 0
        for members, params in passes:
            con.execute(_EXTRA.format(members=members.format(t="_iv_sec")), params)
            added += con.execute(
                """
                UPDATE _iv_sec t SET onderdrukt = true, aanvullend = true
                FROM _iv_extra e
                WHERE t.indicator_id = e.indicator_id AND t.regio_code = e.regio_code AND t.periode = e.periode
                  AND t.soort = e.soort
                """
            ).fetchone()[0]
        if not added:
            break
    con.execute(
        f"""
        UPDATE {table} t SET onderdrukt = true, reden = $sec
        FROM _iv_sec e
        WHERE e.aanvullend AND t.indicator_id = e.indicator_id AND t.regio_code = e.regio_code
          AND t.periode = e.periode AND t.soort = e.soort
        """,
        {"sec": REDEN_SECUNDAIR},
    )
    con.execute("DROP TABLE IF EXISTS _iv_extra")
    con.execute("DROP TABLE _iv_sec")
