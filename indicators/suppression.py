"""The one place where suppression is decided: once per underlying count, for everything published together.

Figures from own registration concern children. Every such figure rests on underlying counts (clients, started
trajectories, households, waiting, ended, participants, the started trajectories per referrer or per wait class),
which the catalogue declares per indicator (`telling_teller`, `telling_noemer`, `telling_rest`). The same count of
the same wijk and period is published or withheld once, wherever it appears:

- Cells: every count of every region and period (`_iv_tel`). Within a gemeente and period, every wijk with own
  figures has every count the gemeente has, a true zero included, and a row for every own indicator the gemeente
  has (`add_zero_rows`), so that a withheld cell never differs from a zero.
- Primary: a cell under the threshold (default 10; `$JEUGDMONITOR_MIN_N` or the `min_n` argument; else the
  indicator's min_n) is withheld, zeros included.
- Relations an attacker can use (`_iv_lid`): a count of the gemeente is the sum of its wijken' (for persons at most
  that sum: a person can live in two wijken); within a region, the started trajectories are the sum of those per
  referrer, the sum of those per productcategorie and wait class, and the sum of those with a norm and the wait
  classes of the categories without one; those with a norm are the sum of the wait classes of the categories with
  a norm and of those within and outside the norm. Secondary: in every relation with a
  withheld member, the smallest published parts (then the total) are withheld as well until at least two members
  are withheld and the withheld parts together reach the threshold; this repeats until no relation changes.
- Publication: a count or a share is published only when every count it rests on is; a non-additive statistic
  (median, percentile) keeps its value when its own n reaches the threshold, and then only its n is withheld.
- Readers see one marker and one text for every withheld own figure (`REDEN`), never why.

CBS figures are not suppressed again (CBS protected them); a CBS value CBS kept secret stays suppressed, and any
other missing CBS value stays missing, with its reason.
"""

from __future__ import annotations

import os

import duckdb

DEFAULT_MIN_N = 10
ENV = "JEUGDMONITOR_MIN_N"

REDEN = "niet gepubliceerd (privacy)"
REDEN_CBS = "CBS: {reden}"

# Counts of persons: a person active in two wijken counts in both, and once in the gemeente.
PERSONEN = ("clienten", "huishoudens", "deelnemers")

# The started trajectories of a wait class: `gestart|<productcategorie>|<klasse>`.
KLASSE = "gestart|"
VERWIJZER = "gestart_verwijzer_"
GESTART = "gestart"
MET_NORM = "gestart_met_norm"


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


def is_person_count(telling: str) -> bool:
    return telling.startswith(PERSONEN)


def count_withheld(indicator_id: str, column: str, row) -> bool:
    """True when the teller or noemer (`column`) of a published own figure is empty because its count is withheld
    (a median whose n is withheld), not because the indicator has none."""
    from indicators.catalog import get

    value = row.get(column)
    if value is not None and value == value:
        return False
    if row.get("onderdrukt") or "Eigen registratie" not in str(row.get("bron") or ""):
        return False
    try:
        ind = get(None, indicator_id)
    except KeyError:
        return False
    return (ind.telling_teller if column == "teller" else ind.telling_noemer) is not None


class OnderdrukkingsFout(RuntimeError):
    """Our own figures contradict each other or lack their catalogue entry: nothing is published (the cause is in
    the message; `indicators.compute.refresh` reports it as NietsGepubliceerd)."""


# Wijken with own figures per gemeente and period: each gets every count its gemeente has.
_GRID_WIJKEN = """
CREATE OR REPLACE TEMP TABLE _iv_grid AS
SELECT DISTINCT w.gemeente_code, coalesce(r.periode, r.jaar::TEXT) AS periode, r.regio_code AS wijk_code
FROM _iv_raw r JOIN _iv_cat c USING (indicator_id) JOIN _iv_wijk_gm w ON w.wijk_code = r.regio_code
WHERE c.eigen AND NOT r.cbs
"""

# The rows of own indicators that the gemeente has and a wijk of the grid lacks: a zero teller, nothing else.
_ZERO_ROWS = """
INSERT INTO _iv_raw BY NAME
WITH own AS (
    SELECT r.indicator_id, r.regio_code, r.periode, r.jaar, r.soort, r.bron, c.telling_teller
    FROM _iv_raw r JOIN _iv_cat c USING (indicator_id)
    WHERE c.eigen AND NOT r.cbs
)
SELECT o.indicator_id, g.wijk_code AS regio_code, o.periode, o.jaar, o.soort, o.bron,
       CASE WHEN o.telling_teller IS NOT NULL THEN 0 END AS teller
FROM own o JOIN _iv_grid g ON g.gemeente_code = o.regio_code AND g.periode = coalesce(o.periode, o.jaar::TEXT)
ANTI JOIN own x ON x.indicator_id = o.indicator_id AND x.regio_code = g.wijk_code
               AND x.periode IS NOT DISTINCT FROM o.periode AND x.jaar = o.jaar AND x.soort = o.soort
"""

def add_zero_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Complete the own figures in `_iv_raw` with a row for every wijk of the grid that lacks one (shown withheld)."""
    con.execute(_GRID_WIJKEN)
    con.execute(_ZERO_ROWS)
    con.execute("DROP TABLE _iv_grid")


# Every cell: a count of a region, period and soort, from every row that shows it (teller, noemer and their
# difference, in one pass over the rows), with its threshold and whether it is under it; `id` names it.
_CELLS = """
CREATE OR REPLACE TEMP TABLE _iv_tel AS
WITH c AS (
    SELECT x.telling, regio_code, niveau, gemeente_code, periode, soort, x.n, min_n
    FROM (
        SELECT regio_code, niveau, gemeente_code, periode, soort, min_n,
               unnest([{{'telling': telling_teller, 'n': teller}}, {{'telling': telling_noemer, 'n': noemer}},
                       {{'telling': telling_rest, 'n': noemer - teller}}]) AS x
        FROM {values} WHERE eigen
    )
    WHERE x.telling IS NOT NULL AND x.n IS NOT NULL
    UNION ALL
    SELECT $klasse || productcategorie || '|' || klasse, regio_code, niveau, gemeente_code, periode, '', n, $min_n
    FROM _iv_klassen
)
SELECT row_number() OVER ()::INTEGER AS id, *, n < min_n AS onderdrukt
FROM (
    SELECT telling, regio_code, any_value(niveau) AS niveau, any_value(gemeente_code) AS gemeente_code, periode,
           soort, max(n) AS n, min(n) AS n_anders, max(min_n) AS min_n
    FROM c GROUP BY telling, regio_code, periode, soort
)
"""

# Every count the gemeente has, for every wijk with own figures in that period: zero where the wijk has none
# (added to the cells, not a copy of them).
_ZERO_CELLS = """
INSERT INTO _iv_tel
WITH grid AS (
    SELECT DISTINCT gemeente_code, periode, regio_code FROM {values} WHERE eigen AND niveau = 'WK'
)
SELECT (SELECT max(id) FROM _iv_tel) + row_number() OVER (), t.telling, g.regio_code, 'WK', t.gemeente_code,
       t.periode, t.soort, 0, 0, t.min_n, 0 < t.min_n
FROM _iv_tel t JOIN grid g ON g.gemeente_code = t.regio_code AND g.periode = t.periode
ANTI JOIN _iv_tel x ON x.telling = t.telling AND x.regio_code = g.regio_code AND x.periode = t.periode
                    AND x.soort = t.soort
WHERE t.niveau = 'GM'
"""

# Relations within a region: (relatie, totaal, deel) for every part count present.
_RELATIONS = """
CREATE OR REPLACE TEMP TABLE _iv_rel AS
WITH tellingen AS (SELECT DISTINCT telling FROM _iv_tel)
SELECT 'verwijzer' AS relatie, $gestart AS totaal, telling AS deel FROM tellingen WHERE starts_with(telling, $verwijzer)
UNION ALL
SELECT 'klasse', $gestart, telling FROM tellingen WHERE starts_with(telling, $klasse)
UNION ALL
SELECT 'klasse_norm', $met_norm, t.telling FROM tellingen t
SEMI JOIN normen n ON starts_with(t.telling, $klasse || n.productcategorie || '|')
UNION ALL
SELECT 'norm', $gestart, $met_norm
UNION ALL
SELECT 'norm', $gestart, t.telling FROM tellingen t
ANTI JOIN normen n ON starts_with(t.telling, $klasse || n.productcategorie || '|')
WHERE starts_with(t.telling, $klasse)
UNION ALL
SELECT DISTINCT 'rest_' || telling_noemer, telling_noemer, unnest([telling_teller, telling_rest])
FROM _iv_cat WHERE telling_rest IS NOT NULL
"""

# Members of every relation: `grp` numbers it, `totaal` marks its total. Across wijken: a count of the gemeente and
# the same count of its wijken. Within a region: a relation of _iv_rel whose total is present. Only relations with a
# total count, each found by joining its members to that total (no grouping of the members): the relation is
# numbered after its total's cell and the relatie.
_MEMBERS = """
CREATE OR REPLACE TEMP TABLE _iv_lid AS
WITH r AS (
    SELECT relatie, totaal, deel, dense_rank() OVER (ORDER BY relatie) AS nr
    FROM (SELECT relatie, totaal, deel FROM _iv_rel UNION SELECT relatie, totaal, totaal FROM _iv_rel)
), k AS (
    SELECT count(DISTINCT relatie) + 1 AS k FROM _iv_rel
)
SELECT g.id * k.k AS grp, t.id, t.niveau = 'GM' AS totaal
FROM _iv_tel t CROSS JOIN k
JOIN _iv_tel g ON g.niveau = 'GM' AND g.gemeente_code = t.gemeente_code AND g.telling = t.telling
              AND g.periode = t.periode AND g.soort = t.soort
WHERE t.niveau IN ('GM', 'WK')
UNION ALL
SELECT g.id * k.k + r.nr, t.id, t.telling = r.totaal
FROM _iv_tel t CROSS JOIN k
JOIN r ON r.deel = t.telling
JOIN (SELECT * FROM _iv_tel SEMI JOIN r ON r.totaal = telling) g
  ON g.telling = r.totaal AND g.regio_code = t.regio_code AND g.periode = t.periode AND g.soort = t.soort
"""

# Per relation: its threshold and its withheld members so far (their number, the sum of the withheld parts).
_GROUPS = """
CREATE OR REPLACE TEMP TABLE _iv_grp AS
SELECT l.grp, max(t.min_n) AS min_n, count(*) FILTER (WHERE t.onderdrukt) AS n_onderdrukt,
       coalesce(sum(t.n) FILTER (WHERE t.onderdrukt AND NOT l.totaal), 0) AS som_onderdrukt
FROM _iv_lid l JOIN _iv_tel t USING (id) GROUP BY l.grp
"""

# Per relation with a withheld member and not yet protected, the published members to withhold: the smallest parts
# (then the total) until at least two members are withheld and the withheld parts together reach the threshold.
# Parts that already sit in other relations with a withheld member come first (the most such relations first):
# withholding them closes a cycle instead of opening a new one elsewhere.
# Only the relations in `_iv_changed` are looked at: all of them in the first round, then those that the previous
# round withheld a member of. Any other relation is unchanged since the previous round, so it is protected, without
# a withheld member, or had no published member left: it withholds nothing now either.
_EXTRA = """
CREATE OR REPLACE TEMP TABLE _iv_extra AS
WITH open AS (
    SELECT g.* FROM _iv_grp g SEMI JOIN _iv_changed c USING (grp)
    WHERE g.n_onderdrukt > 0 AND NOT (g.n_onderdrukt >= 2 AND g.som_onderdrukt >= g.min_n)
), m AS (
    SELECT l.grp, l.totaal, t.id, t.n, t.telling, t.regio_code
    FROM _iv_lid l SEMI JOIN open USING (grp) JOIN _iv_tel t USING (id)
    WHERE NOT t.onderdrukt
), heet AS (
    SELECT l.id, count(*) AS heet
    FROM _iv_lid l SEMI JOIN m USING (id) JOIN _iv_grp g USING (grp)
    WHERE g.n_onderdrukt > 0 GROUP BY l.id
), ranked AS (
    SELECT m.id, g.n_onderdrukt, g.som_onderdrukt, g.min_n, row_number() OVER w AS rang,
           sum(CASE WHEN m.totaal THEN 0 ELSE m.n END) OVER w - CASE WHEN m.totaal THEN 0 ELSE m.n END AS som_kleiner
    FROM m JOIN open g USING (grp) JOIN heet h USING (id)
    WINDOW w AS (PARTITION BY m.grp ORDER BY m.totaal, h.heet DESC, m.n, m.telling, m.regio_code
                 ROWS UNBOUNDED PRECEDING)
)
SELECT DISTINCT id FROM ranked
WHERE NOT (n_onderdrukt + rang - 1 >= 2 AND som_onderdrukt + som_kleiner >= min_n)
"""

# The relations of the members just withheld, with what those add to their withheld members.
_CHANGED = """
CREATE OR REPLACE TEMP TABLE _iv_changed AS
SELECT l.grp, count(*) AS n, coalesce(sum(t.n) FILTER (WHERE NOT l.totaal), 0) AS som
FROM _iv_lid l SEMI JOIN _iv_extra e USING (id) JOIN _iv_tel t USING (id) GROUP BY l.grp
"""


def decide(con: duckdb.DuckDBPyConnection, values: str, min_n: int) -> None:
    """Temp table `_iv_tel`: every cell with `onderdrukt`, decided once for all that is published.

    `values` (table or view) has the own rows with indicator_id, regio_code, niveau, gemeente_code, periode, soort,
    teller, noemer, eigen, min_n and the catalogue's telling_teller, telling_noemer, telling_rest; temp tables
    `_iv_klassen` (wait classes) and `_iv_cat` (the catalogue) exist. `min_n` is the threshold of the wait classes.
    """
    if not values.isidentifier():
        raise ValueError(values)
    con.execute(_CELLS.format(values=values), {"klasse": KLASSE, "min_n": min_n})
    con.execute(_ZERO_CELLS.format(values=values))
    clash = con.execute("SELECT telling, regio_code, periode, n_anders, n FROM _iv_tel WHERE n <> n_anders LIMIT 1"
                        ).fetchone()
    if clash:
        raise OnderdrukkingsFout(
            "Interne fout: de telling '{}' van {} in {} heeft twee waarden ({:g} en {:g}); er is niets "
            "gepubliceerd.".format(*clash))
    con.execute(_RELATIONS, {"gestart": GESTART, "verwijzer": VERWIJZER, "klasse": KLASSE, "met_norm": MET_NORM})
    con.execute(_MEMBERS)
    con.execute(_GROUPS)
    con.execute("CREATE OR REPLACE TEMP TABLE _iv_changed AS SELECT grp FROM _iv_grp")
    while True:
        con.execute(_EXTRA)
        added = con.execute("UPDATE _iv_tel t SET onderdrukt = true FROM _iv_extra e WHERE t.id = e.id").fetchone()[0]
        if not added:
            break
        con.execute(_CHANGED)
        con.execute("UPDATE _iv_grp g SET n_onderdrukt = g.n_onderdrukt + c.n, "
                    "som_onderdrukt = g.som_onderdrukt + c.som FROM _iv_changed c WHERE g.grp = c.grp")
    for name in ("_iv_extra", "_iv_changed", "_iv_grp", "_iv_lid", "_iv_rel"):
        con.execute(f"DROP TABLE {name}")


def cell_join(alias: str, telling: str, row: str = "v") -> str:
    """SQL: LEFT JOIN of the cell `telling` (a column of `row` and of the catalogue `_iv_cat`, such as
    telling_teller) of the row's region, period and soort. Only the cells of such tellings are looked up: a smaller
    hash table (the wait classes' cells, 40% of all, are never among them)."""
    return (f"LEFT JOIN (SELECT * FROM _iv_tel x SEMI JOIN _iv_cat c ON c.{telling} = x.telling) {alias} "
            f"ON {alias}.telling = {row}.{telling} AND {alias}.regio_code = {row}.regio_code "
            f"AND {alias}.periode = {row}.periode AND {alias}.soort = {row}.soort")


def published_sql() -> str:
    """SQL columns over a row `v` of `decide`'s `values` joined with cells `tt` (its teller) and `tn` (its noemer):
    `teller_open`, `noemer_open` (the count may be shown) and `onderdrukt`, `reden` (the value is withheld)."""
    teller_open = "(v.telling_teller IS NULL OR NOT coalesce(tt.onderdrukt, true))"
    noemer_open = "(v.telling_noemer IS NULL OR NOT coalesce(tn.onderdrukt, true))"
    small = "(coalesce(v.teller < v.min_n, false) OR coalesce(v.noemer < v.min_n, false))"
    waarde_open = (f"CASE WHEN v.statistiek THEN coalesce(v.noemer >= v.min_n, false) "
                   f"ELSE {teller_open} AND {noemer_open} AND NOT {small} END")
    onderdrukt = (f"CASE WHEN v.cbs_reden IS NOT NULL THEN v.cbs_reden = 'geheim' "
                  f"WHEN v.eigen THEN NOT ({waarde_open}) ELSE false END")
    reden = (f"CASE WHEN v.cbs_reden IS NOT NULL THEN replace($cbs, '{{reden}}', v.cbs_reden) "
             f"WHEN v.eigen AND NOT ({waarde_open}) THEN $reden END")
    return (f"{teller_open} AS teller_open, {noemer_open} AS noemer_open, {onderdrukt} AS onderdrukt, "
            f"{reden} AS reden")


def params() -> dict:
    """The parameters `published_sql` uses."""
    return {"cbs": REDEN_CBS, "reden": REDEN}
