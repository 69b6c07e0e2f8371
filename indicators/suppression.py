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


def primary(params: dict) -> tuple[str, str]:
    """SQL expressions (onderdrukt, reden) of primary and CBS suppression over a source's columns.

    Adds the parameters they use to `params`.
    """
    params.update({"cbs": REDEN_CBS, "prim": REDEN_PRIMAIR})
    onderdrukt = f"CASE WHEN cbs_reden IS NOT NULL THEN cbs_reden = 'geheim' ELSE eigen AND {_SMALL} END"
    reden = (f"CASE WHEN cbs_reden IS NOT NULL THEN replace($cbs, '{{reden}}', cbs_reden) "
             f"WHEN eigen AND {_SMALL} THEN replace($prim, '{{n}}', min_n::TEXT) END")
    return onderdrukt, reden


def apply(con: duckdb.DuckDBPyConnection, source: str, target: str) -> None:
    """Decide suppression: temp table `target` = every row of `source` plus `onderdrukt` and `reden`.

    `source` (table or view) has: indicator_id, regio_code, niveau, gemeente_code, periode, soort, teller,
    noemer, eigen (bool: own registration), min_n (threshold for the row) and cbs_reden (CBS missing reason or
    NULL). Values are left in place: whoever publishes must blank the suppressed rows.
    """
    for name in (source, target):
        if not name.isidentifier():
            raise ValueError(name)
    params: dict = {}
    onderdrukt, reden = primary(params)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT *, {onderdrukt} AS onderdrukt, {reden} AS reden "
        f"FROM {source}",
        params,
    )
    con.execute(f"CREATE OR REPLACE TEMP VIEW _iv_apply AS SELECT rowid AS row_id, * FROM {target}")
    secondary(con, "_iv_apply", "_iv_apply_aanvullend")
    con.execute(
        f"""
        UPDATE {target} t SET onderdrukt = true, reden = $sec
        FROM _iv_apply_aanvullend a WHERE t.rowid = a.row_id
        """,
        {"sec": REDEN_SECUNDAIR},
    )
    con.execute("DROP VIEW _iv_apply")
    con.execute("DROP TABLE _iv_apply_aanvullend")


# Families of indicators that split one published total (their common noemer) into parts: within a region and
# period a single suppressed part would follow from the total minus the other parts.
PARTITIONS = ("verwijzer_",)

# The own-registration rows with what the passes need, by number: `totaal` is the row_id of the row holding the
# gemeente total of a wijk row (same indicator, period and soort), `deel` numbers the group of a partition family
# member (same family, region, period and soort) by its smallest row_id.
_SEC = """
CREATE OR REPLACE TEMP TABLE _iv_sec0 AS
SELECT row_id AS id, indicator_id, regio_code, niveau, gemeente_code, periode, soort, min_n, cbs_reden,
       coalesce(teller, noemer, 0) AS grootte_wijk, coalesce(teller, 0) AS grootte_deel,
       {onderdrukt} AS onderdrukt, {familie} AS familie
FROM {source} WHERE eigen
"""
_SEC_NUMBERED = """
CREATE OR REPLACE TEMP TABLE _iv_sec AS
WITH deel AS (
    SELECT familie, regio_code, periode, soort, min(id) AS deel FROM _iv_sec0 WHERE familie IS NOT NULL GROUP BY ALL
)
SELECT s.* EXCLUDE (gemeente_code, periode, soort), gm.id AS totaal, d.deel, false AS aanvullend
FROM _iv_sec0 s
LEFT JOIN _iv_sec0 gm ON s.niveau = 'WK' AND gm.indicator_id = s.indicator_id AND gm.regio_code = s.gemeente_code
                     AND gm.periode = s.periode AND gm.soort = s.soort
LEFT JOIN deel d ON d.familie = s.familie AND d.regio_code = s.regio_code AND d.periode = s.periode
                AND d.soort = s.soort
"""

# Members of the groups a pass looks at: `grp` a group number, `grootte` what a member reveals.
_ACROSS_WIJKEN = """
WITH touched AS (
    SELECT DISTINCT totaal FROM _iv_sec WHERE niveau = 'WK' AND onderdrukt AND cbs_reden IS NULL
)
SELECT w.totaal AS grp, w.id, w.regio_code, w.indicator_id, w.grootte_wijk AS grootte, w.onderdrukt, w.min_n
FROM _iv_sec w
SEMI JOIN touched USING (totaal)
JOIN _iv_sec gm ON gm.id = w.totaal AND NOT gm.onderdrukt
WHERE w.niveau = 'WK' AND w.cbs_reden IS NULL
"""

_ACROSS_PARTS = """
SELECT w.deel AS grp, w.id, w.regio_code, w.indicator_id, w.grootte_deel AS grootte, w.onderdrukt, w.min_n
FROM _iv_sec w
WHERE w.familie = $familie
QUALIFY bool_or(NOT w.onderdrukt) OVER (PARTITION BY w.deel)
"""

# Per group with a suppressed member, the published members to suppress: the smallest ones (by grootte, then
# regio_code and indicator_id) until at least two members are suppressed and together reach the threshold. A
# group that already meets that (and has no negative sizes) needs nothing and is left out before ranking.
_EXTRA = """
CREATE OR REPLACE TEMP TABLE _iv_extra AS
WITH m AS ({members}),
groups AS (
    SELECT grp, any_value(min_n) AS min_n, count(*) FILTER (WHERE onderdrukt) AS n_onderdrukt,
           coalesce(sum(grootte) FILTER (WHERE onderdrukt), 0) AS som_onderdrukt,
           coalesce(min(grootte) FILTER (WHERE NOT onderdrukt), 0) AS kleinste_open
    FROM m GROUP BY grp
    HAVING count(*) FILTER (WHERE onderdrukt) > 0
), open AS (
    SELECT * FROM groups WHERE NOT (n_onderdrukt >= 2 AND som_onderdrukt >= min_n AND kleinste_open >= 0)
), ranked AS (
    SELECT m.id, g.n_onderdrukt, g.som_onderdrukt, g.min_n,
           row_number() OVER w AS rang, sum(m.grootte) OVER w - m.grootte AS som_kleiner
    FROM m JOIN open g USING (grp)
    WHERE NOT m.onderdrukt
    WINDOW w AS (PARTITION BY m.grp ORDER BY m.grootte, m.regio_code, m.indicator_id ROWS UNBOUNDED PRECEDING)
)
SELECT id FROM ranked
WHERE NOT (n_onderdrukt + rang - 1 >= 2 AND som_onderdrukt + som_kleiner >= min_n)
"""


def secondary(con: duckdb.DuckDBPyConnection, source: str, target: str) -> None:
    """Temp table `target(row_id)`: the rows of `source` suppressed in addition to the primary suppression.

    `source` has the columns `apply` describes plus a unique `row_id`. Suppresses the next smallest cells until no
    suppressed cell follows from a published total. Totals are the gemeente (across its wijken) and the common
    noemer of a partition family (across its parts); suppressing for one may expose the other, so the passes
    repeat until nothing changes.
    """
    for name in (source, target):
        if not name.isidentifier():
            raise ValueError(name)
    params = {f"f{i}": f for i, f in enumerate(PARTITIONS)}
    familie = "CASE " + " ".join(f"WHEN starts_with(indicator_id, $f{i}) THEN {i}"
                                 for i in range(len(PARTITIONS))) + " END"
    onderdrukt, _ = primary({})
    con.execute(_SEC.format(source=source, onderdrukt=onderdrukt, familie=familie), params)
    con.execute(_SEC_NUMBERED)
    con.execute("DROP TABLE _iv_sec0")
    passes = [(_ACROSS_WIJKEN, {})] + [(_ACROSS_PARTS, {"familie": i}) for i in range(len(PARTITIONS))]
    for _ in range(20):
        added = 0
        for members, pass_params in passes:
            con.execute(_EXTRA.format(members=members), pass_params)
            added += con.execute(
                "UPDATE _iv_sec t SET onderdrukt = true, aanvullend = true FROM _iv_extra e WHERE t.id = e.id"
            ).fetchone()[0]
        if not added:
            break
    con.execute(f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT id AS row_id FROM _iv_sec WHERE aanvullend")
    con.execute("DROP TABLE IF EXISTS _iv_extra")
    con.execute("DROP TABLE _iv_sec")
