"""Indicators from own trajectory registration, per wijk and gemeente (the gemeente from all its wijken' records).

Gemeente values come from the gemeente's own records (a client who moved between wijken is one client of the
gemeente), never from averages of wijken: statistics group by GROUPING SETS ((gemeente, wijk, year),
(gemeente, year)), distinct counts merge each person's years per gemeente and per wijk.

Wijken and gemeenten are numbered once per refresh (`_iv_ids`): the large groupings run on those integers and the
codes are joined back onto the small results (`_iv_rid`).
"""

from __future__ import annotations

import duckdb
import numpy as np

from indicators.catalog import CBS_FORM_CODES, TRAJECT_FORMS
from indicators.stats import median_ci_ranks

BRON = "Eigen registratie (trajecten)"

_FORMS = tuple(CBS_FORM_CODES.values())

# Working days as numpy.busday_count(a, s): Monday-Friday in [a, s). f(x) counts weekdays from Monday 1900-01-01
# up to x; the difference of f is the count between two dates.
_WEEKDAYS_BEFORE = (
    "((date_diff('day', DATE '1900-01-01', {d}) // 7) * 5 + least(date_diff('day', DATE '1900-01-01', {d}) % 7, 5))"
)
WERKDAGEN_SQL = f"({_WEEKDAYS_BEFORE.format(d='{s}')} - {_WEEKDAYS_BEFORE.format(d='{a}')})"


def werkdagen(a: str, s: str) -> str:
    """SQL expression: working days from date expression `a` to `s`, as numpy.busday_count."""
    return WERKDAGEN_SQL.replace("{a}", a).replace("{s}", s)


# Years are bits of an unsigned 64-bit mask (bit k = year `first + k`, first and last in temp table `_iv_span`):
# "active in which years" is one value per trajectory, and distinct clients per year follow from a single
# GROUP BY per client instead of one row per trajectory and year.
MAX_YEARS = 63


# The years the trajectories span: from the first request or start year to the last request, start or end year, at
# most MAX_YEARS (the last ones). Plain min/max of the date columns (least/greatest skip NULLs): no expression per row.
# Over every trajectory in the store, also when only some gemeenten are recomputed: an open trajectory counts as
# active up to the last year.
_SPAN = """
WITH r AS (
    SELECT year(least(min(aanmelddatum), min(startdatum))) AS lo,
           year(greatest(max(aanmelddatum), max(startdatum), max(einddatum))) AS hi
    FROM trajecten
)
SELECT greatest(lo, hi - $max + 1)::INTEGER AS first, hi::INTEGER AS last FROM r WHERE lo IS NOT NULL
"""


def span(con: duckdb.DuckDBPyConnection) -> list[int] | None:
    """[first, last] year of the trajectories' span, None without trajectories."""
    row = con.execute(_SPAN, {"max": MAX_YEARS}).fetchone()
    return list(row) if row else None


def _span(con: duckdb.DuckDBPyConnection) -> int:
    """Create `_iv_span(first, last)`; returns the number of years (0 without trajectories)."""
    con.execute("CREATE OR REPLACE TEMP TABLE _iv_span AS " + _SPAN, {"max": MAX_YEARS})
    row = con.execute("SELECT last - first + 1 FROM _iv_span").fetchone()
    return row[0] if row else 0


def _mask(lo: str, hi: str) -> str:
    """SQL: bits for the years lo..hi, clamped to the span (columns first and last); 0 when empty."""
    lo, hi = f"greatest({lo}, first)", f"least({hi}, last)"
    return (f"CASE WHEN {lo} > {hi} THEN 0::UBIGINT "
            f"ELSE (1::UBIGINT << ({hi} - first + 1)::UBIGINT) - (1::UBIGINT << ({lo} - first)::UBIGINT) END")


# w numbers the wijken, g the gemeenten. A region id `rid` is w for a wijk and -g for a gemeente, so that the result
# of GROUPING SETS ((g, w, ...), (g, ...)) finds its regio_code in `_iv_rid` through coalesce(w, -g). Each row also
# carries the span's first and last year, which the trajectories need with their wijk.
_IDS = """
CREATE OR REPLACE TEMP TABLE _iv_ids AS
SELECT row_number() OVER (ORDER BY wijk_code)::INTEGER AS w, wijk_code,
       dense_rank() OVER (ORDER BY gemeente_code)::INTEGER AS g, gemeente_code, s.first, s.last
FROM _iv_wijk_gm CROSS JOIN _iv_span s;
CREATE OR REPLACE TEMP TABLE _iv_rid AS
SELECT w AS rid, wijk_code AS regio_code FROM _iv_ids
UNION ALL
SELECT DISTINCT -g, gemeente_code FROM _iv_ids;
"""


# As year masks of ya (request), ys (start) and ye (end): active from the start year to the end year (or the last),
# waiting from the request year to the year before the start (on the list on 31 December).
_ACTIEF = f"CASE WHEN ys IS NULL THEN 0::UBIGINT ELSE {_mask('ys', 'coalesce(ye, last)')} END"
# actief <> 0, without computing the mask (a filter on actief itself would compute it twice).
_IS_ACTIEF = "ys IS NOT NULL AND greatest(ys, first) <= least(coalesce(ye, last), last)"
_WACHTEND = _mask("ya", "coalesce(ys - 1, last)")


def _traj(source: str) -> str:
    """SQL: the trajectories of `source` (trajecten or a subset) with their numbered wijk and gemeente, form number,
    years and year masks."""
    return f"""
        SELECT *, {_ACTIEF} AS actief, {_WACHTEND} AS wachtend
        FROM (
            SELECT i.g, i.w, i.first, i.last, t.client_id, t.huishouden_id, t.productcategorie, t.verwijzer,
                   t.aanmelddatum, t.startdatum, t.einddatum, f.vorm_nr, year(t.aanmelddatum) AS ya,
                   year(t.startdatum) AS ys, year(t.einddatum) AS ye
            FROM {source} t
            JOIN _iv_ids i USING (wijk_code)
            LEFT JOIN _iv_vormen f USING (productcategorie)
        )
    """


_SETS = "GROUPING SETS ((g, w, jaar), (g, jaar))"
_RID = "JOIN _iv_rid r ON r.rid = coalesce(a.w, -a.g)"


class _Packing:
    """Where each measure's year mask lives in the words p0, p1, ... of a person.

    Measure 0 is "active at all", measure 1 + i "active in form i". A mask takes `span` bits, so 64 // span masks
    share one UBIGINT word (all five in one word for spans up to 12 years): a person's masks merge in one bit_or
    per word instead of one per measure.
    """

    def __init__(self, span: int):
        self.span = span
        self.per_word = 64 // span
        self.measures = 1 + len(_FORMS)
        self.words = -(-self.measures // self.per_word)

    def _place(self, m: int) -> tuple[int, int]:
        return m // self.per_word, self.span * (m % self.per_word)

    def _word_sql(self, word: int) -> str:
        """SQL: word `word` of one trajectory (columns actief and vorm_nr)."""
        parts = []
        for m in range(self.measures):
            w, shift = self._place(m)
            if w == word:
                mask = "actief" if m == 0 else f"CASE WHEN vorm_nr = {m - 1} THEN actief ELSE 0::UBIGINT END"
                parts.append(f"({mask} << {shift})" if shift else mask)
        return " | ".join(parts)

    def words_sql(self) -> str:
        """SQL: the words p0, p1, ... of one trajectory."""
        return ", ".join(f"{self._word_sql(w)} AS p{w}" for w in range(self.words))

    def merged(self) -> str:
        """SQL: the aggregates p0, p1, ... merging the words of a person's trajectories."""
        return ", ".join(f"bit_or(p{w}) AS p{w}" for w in range(self.words))

    def columns(self) -> str:
        return ", ".join(f"p{w}" for w in range(self.words))

    def bit(self, m: int, year: str) -> str:
        """SQL: 1 where measure m is set in year number `year` (0 = the first year), else 0."""
        w, shift = self._place(m)
        return f"((p{w} >> ({shift} + {year})) & 1)"


# Persons (kind 1 = client, 2 = household) per gemeente with their merged masks. `wijken` holds the OR of the rows'
# wijk number w in its low 32 bits and the OR of NOT w in its high 32 bits: the halves share a bit exactly when two
# rows differ in that bit of w, so `wijken & (wijken >> 32) = 0` means "all rows in one wijk": the low half. The
# per-row values are computed once, before the rows fan out to the two groupings.
_KEYS = """
CREATE OR REPLACE TEMP TABLE _iv_keys AS
SELECT g, grouping(client_id, huishouden_id) AS kind, coalesce(client_id, huishouden_id) AS k,
       bit_or(wijk) AS wijken, {merged}
FROM (
    SELECT g, client_id, huishouden_id, w::UBIGINT | ((~w::UBIGINT & 4294967295::UBIGINT) << 32) AS wijk, {words}
    FROM _iv_traj WHERE {is_actief}
)
GROUP BY GROUPING SETS ((g, client_id), (g, huishouden_id))
"""

# Persons spread over several wijken, merged again per wijk (`mover` true: these rows count for their wijk only).
# Their few trajectories are picked out by key before anything is computed on them.
_MOVERS = """
SELECT NULL::INTEGER AS g, t.w, m.kind, true AS mover, {merged}
FROM (SELECT *, {words} FROM ({trajecten}) WHERE {is_actief}) t JOIN ({movers}) m ON m.g = t.g AND m.k = t.{key}
GROUP BY t.w, m.kind, m.k
"""
_MOVER_KEYS = "SELECT g, kind, k FROM _iv_keys WHERE kind = {kind} AND k IS NOT NULL AND wijken & (wijken >> 32) <> 0"

# Persons per region, year number y and `code` (bit i set: also active in form i). One count per (g, w) where w is
# the person's only wijk (NULL if several): a wijk takes its own persons and the movers' rows, a gemeente the sum
# over its (g, w) counts.
_PERSONS = """
CREATE OR REPLACE TEMP TABLE _iv_persons AS
WITH persons AS (
    SELECT g, CASE WHEN wijken & (wijken >> 32) = 0 THEN (wijken & 4294967295::UBIGINT)::INTEGER END AS w,
           kind, false AS mover, {columns}
    FROM _iv_keys WHERE k IS NOT NULL
    {movers}
), years AS (
    SELECT g, w, kind, mover, y, CASE WHEN kind = 1 THEN {code} ELSE 0 END AS code
    FROM (SELECT *, unnest(range({span}))::UBIGINT AS y FROM persons)
    WHERE {active} = 1
), counted AS (
    SELECT g, w, kind, mover, y, code, count(*) AS n FROM years GROUP BY ALL
)
SELECT w AS rid, kind, y, code, sum(n) AS n FROM counted WHERE w IS NOT NULL GROUP BY ALL
UNION ALL
SELECT -g, kind, y, code, sum(n) FROM counted WHERE NOT mover GROUP BY ALL
"""

# Trajectories (kind 3, active) and waiting requests (kind 4) add up: counted per wijk and (request, start, end)
# year first, so that the masks are computed on those counts rather than on every trajectory.
_TRAJECTS = f"""
CREATE OR REPLACE TEMP TABLE _iv_trajects AS
WITH years AS (
    SELECT g, w, first, last, ya, ys, ye, count(*) AS n FROM _iv_traj GROUP BY ALL
), masks AS (
    SELECT g, w, unnest([3, 4]) AS kind, unnest([{_ACTIEF}, {_WACHTEND}]) AS mask, n FROM years
)
SELECT coalesce(w, -g) AS rid, kind, y, sum(n) AS n
FROM (SELECT *, unnest(range({{span}}))::UBIGINT AS y FROM masks)
WHERE (mask >> y) & 1 = 1
GROUP BY GROUPING SETS ((g, w, kind, y), (g, kind, y))
"""


def _movers(con: duckdb.DuckDBPyConnection, packing: _Packing) -> str:
    """SQL to append to the persons: the movers' rows per wijk, for each kind of person that has movers."""
    sql = ""
    for kind, key in ((1, "client_id"), (2, "huishouden_id")):
        keys = _MOVER_KEYS.format(kind=kind)
        if con.execute(f"SELECT count(*) FROM ({keys})").fetchone()[0]:
            rows = _traj(f"(SELECT * FROM _iv_trajecten WHERE {key} IN (SELECT k FROM ({keys})))")
            sql += "UNION ALL BY NAME " + _MOVERS.format(merged=packing.merged(), words=packing.words_sql(),
                                                          trajecten=rows, movers=keys, key=key, is_actief=_IS_ACTIEF)
    return sql


def _count(con: duckdb.DuckDBPyConnection, span: int) -> None:
    """Temp table `_iv_counts(regio_code, jaar, clienten, v0.., huishoudens, trajecten, wachtend)`."""
    packing = _Packing(span)
    con.execute(_KEYS.format(merged=packing.merged(), words=packing.words_sql(), is_actief=_IS_ACTIEF))
    code = " | ".join(f"({packing.bit(1 + i, 'y')} << {i})" for i in range(len(_FORMS)))
    con.execute(_PERSONS.format(columns=packing.columns(), movers=_movers(con, packing), span=span, code=code,
                                active=packing.bit(0, "y")))
    con.execute(_TRAJECTS.format(span=span))
    forms = ", ".join(f"coalesce(sum(n) FILTER (WHERE kind = 1 AND (code >> {i}) & 1 = 1), 0)::BIGINT AS v{i}"
                      for i in range(len(_FORMS)))
    names = {1: "clienten", 2: "huishoudens", 3: "trajecten", 4: "wachtend"}
    totals = ", ".join(f"coalesce(sum(n) FILTER (WHERE kind = {k}), 0)::BIGINT AS {name}" for k, name in names.items())
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _iv_counts AS
        WITH n AS (
            SELECT rid, kind, y, code, n FROM _iv_persons
            UNION ALL
            SELECT rid, kind, y, 0, n FROM _iv_trajects
        )
        SELECT r.regio_code, (s.first + n.y)::INTEGER AS jaar, {totals}, {forms}
        FROM n JOIN _iv_rid r USING (rid) CROSS JOIN _iv_span s
        GROUP BY r.regio_code, n.y, s.first
        """
    )
    for name in ("_iv_keys", "_iv_persons", "_iv_trajects"):
        con.execute(f"DROP TABLE {name}")


def _insert_counts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        INSERT INTO _iv_raw BY NAME
        SELECT 'clienten_aantal' AS indicator_id, regio_code, jaar, clienten AS waarde, clienten AS teller,
               $bron AS bron
        FROM _iv_counts WHERE clienten > 0
        UNION ALL BY NAME
        SELECT 'huishoudens_aantal' AS indicator_id, regio_code, jaar, huishoudens AS waarde, huishoudens AS teller,
               $bron AS bron
        FROM _iv_counts WHERE huishoudens > 0
        UNION ALL BY NAME
        SELECT 'trajecten_per_client' AS indicator_id, regio_code, jaar, trajecten / clienten AS waarde,
               trajecten AS teller, clienten AS noemer, $bron AS bron
        FROM _iv_counts WHERE clienten > 0
        UNION ALL BY NAME
        SELECT 'wachtlijst_aantal' AS indicator_id, regio_code, jaar, wachtend AS waarde, wachtend AS teller,
               $bron AS bron
        FROM _iv_counts WHERE wachtend > 0
        """,
        {"bron": BRON},
    )
    form_rows = " UNION ALL ".join(
        f"SELECT regio_code, jaar, $f{i} AS vorm, v{i} AS n FROM _iv_counts WHERE v{i} > 0"
        for i in range(len(_FORMS))
    )
    con.execute(
        f"""
        INSERT INTO _iv_raw BY NAME
        WITH agg AS ({form_rows})
        SELECT agg.vorm || '_pct' AS indicator_id, agg.regio_code, agg.jaar,
               100.0 * agg.n / p.aantal AS waarde, agg.n AS teller, p.aantal AS noemer, $bron AS bron
        FROM agg JOIN _iv_pop p ON p.regio_code = agg.regio_code AND p.jaar = agg.jaar AND p.tot_max = 22
        WHERE p.aantal > 0
        """,
        {**{f"f{i}": v for i, v in enumerate(_FORMS)}, "bron": BRON + ", bevolking"},
    )


def _started(con: duckdb.DuckDBPyConnection) -> None:
    """Wait times, share within norm and referrer shares over trajectories started in the year."""
    # productcategorie as it appears in indicator ids (`catalog.slug`), worked out once per distinct value
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _iv_categorie AS
        SELECT productcategorie, coalesce(nullif(trim(regexp_replace(lower(trim(productcategorie)), '[^a-z0-9]+', '_',
                                                                    'g'), '_'), ''), 'onbekend') AS categorie
        FROM (SELECT DISTINCT productcategorie FROM _iv_trajecten)
        """)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW _iv_gestart AS
        SELECT t.g, t.w, t.verwijzer, year(t.startdatum) AS jaar, coalesce(c.categorie, 'onbekend') AS categorie,
               date_diff('day', t.aanmelddatum, t.startdatum) AS wacht,
               CASE WHEN n.soort_dagen = 'werkdagen' THEN {werkdagen('t.aanmelddatum', 't.startdatum')}
                    ELSE date_diff('day', t.aanmelddatum, t.startdatum) END <= n.norm_dagen AS binnen_norm
        FROM _iv_traj t LEFT JOIN normen n USING (productcategorie)
        LEFT JOIN _iv_categorie c ON c.productcategorie IS NOT DISTINCT FROM t.productcategorie
        WHERE t.startdatum IS NOT NULL
        """
    )
    _waits(con)
    # Counted per wijk and raw referrer value first (few distinct), each raw value normalised once, then rolled up.
    con.execute(
        f"""
        INSERT INTO _iv_raw BY NAME
        WITH per_wijk AS (
            SELECT verwijzer, g, w, jaar, count(*) AS n FROM _iv_gestart GROUP BY ALL
        ), codes AS (
            SELECT verwijzer,
                   coalesce(nullif(trim(regexp_replace(lower(trim(verwijzer)), '[^a-z0-9]+', '_', 'g'), '_'), ''),
                            'onbekend') AS code
            FROM (SELECT DISTINCT verwijzer FROM per_wijk)
        ), a AS (
            SELECT c.code, p.g, p.w, p.jaar, sum(p.n) AS n
            FROM per_wijk p JOIN codes c ON c.verwijzer IS NOT DISTINCT FROM p.verwijzer
            GROUP BY GROUPING SETS ((c.code, p.g, p.w, p.jaar), (c.code, p.g, p.jaar))
        ), agg AS (
            SELECT *, sum(n) OVER (PARTITION BY g, w, jaar) AS totaal FROM a
        )
        SELECT 'verwijzer_' || a.code || '_pct' AS indicator_id, r.regio_code, a.jaar, 100.0 * a.n / a.totaal AS waarde,
               a.n AS teller, a.totaal AS noemer, $bron AS bron
        FROM agg a {_RID}
        """,
        {"bron": BRON},
    )


def _quantile(q: float) -> str:
    """SQL: quantile q of the sorted list `gesorteerd` of `n` waits, interpolated as quantile_cont does (position
    (n - 1) * q between the two order statistics around it): read from the one sort the interval needs anyway."""
    pos = f"((n - 1)::DOUBLE * {q!r})"
    low = f"gesorteerd[floor({pos})::BIGINT + 1]::DOUBLE"
    high = f"gesorteerd[ceil({pos})::BIGINT + 1]::DOUBLE"
    return f"CASE WHEN floor({pos}) = ceil({pos}) THEN {low} ELSE {low} + ({pos} - floor({pos})) * ({high} - {low}) END"


# Per region and year, all productcategorieën together (alle = 1) and each one: the sorted waits (for the median,
# the P80 and the median's interval) and the share within its norm. The list is sorted once per group
# (list_sort), not gathered in order: an ordered aggregate costs twice as much.
_WAITS = f"""
CREATE OR REPLACE TEMP TABLE _iv_wacht AS
SELECT r.regio_code, a.* FROM (
    SELECT g, w, jaar, categorie, grouping(categorie) AS alle, count(*) AS n, list_sort(list(wacht)) AS gesorteerd,
           count(binnen_norm) AS n_norm, count_if(binnen_norm) AS binnen
    FROM _iv_gestart
    GROUP BY GROUPING SETS ((g, w, jaar), (g, jaar), (g, w, jaar, categorie), (g, jaar, categorie))
) a {_RID}
"""

_WAIT_ROWS = f"""
INSERT INTO _iv_raw BY NAME
WITH a AS (
    SELECT w.*, 'wachttijd' || CASE WHEN alle = 1 THEN '' ELSE '_' || categorie END AS stam,
           coalesce(k.l, 0) AS l
    FROM _iv_wacht w LEFT JOIN _iv_rangen k ON k.n = w.n
)
SELECT stam || '_mediaan_dagen' AS indicator_id, regio_code, jaar, {_quantile(0.5)} AS waarde, n AS noemer,
       $bron AS bron,
       CASE WHEN l > 0 THEN gesorteerd[l] END AS ci_laag, CASE WHEN l > 0 THEN gesorteerd[n + 1 - l] END AS ci_hoog
FROM a
UNION ALL BY NAME
SELECT stam || '_p80_dagen' AS indicator_id, regio_code, jaar, {_quantile(0.8)} AS waarde, n AS noemer,
       $bron AS bron
FROM a
UNION ALL BY NAME
SELECT stam || '_binnen_norm_pct' AS indicator_id, regio_code, jaar, 100.0 * binnen / n_norm AS waarde,
       binnen AS teller, n_norm AS noemer, $bron AS bron
FROM a WHERE n_norm > 0
"""


def _waits(con: duckdb.DuckDBPyConnection) -> None:
    """Wait-time indicators, all productcategorieën together and per productcategorie (each with its own norm);
    the median with its distribution-free 95% interval (`stats.median_ci_ranks`, once per group size present)."""
    con.execute(_WAITS)
    sizes = np.array([r[0] for r in con.execute("SELECT DISTINCT n FROM _iv_wacht").fetchall()], dtype=np.int64)
    low, _ = median_ci_ranks(sizes) if len(sizes) else (sizes, sizes)
    con.execute("CREATE OR REPLACE TEMP TABLE _iv_rangen AS SELECT unnest($n)::BIGINT AS n, unnest($l)::BIGINT AS l",
                {"n": sizes.tolist(), "l": np.asarray(low).tolist()})
    con.execute(_WAIT_ROWS, {"bron": BRON})
    con.execute("DROP TABLE _iv_wacht")
    con.execute("DROP TABLE _iv_rangen")


def _duration(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""
        INSERT INTO _iv_raw BY NAME
        WITH a AS (
            SELECT g, w, jaar, quantile_cont(duur, 0.5) AS q, count(*) AS n
            FROM (
                SELECT g, w, year(einddatum) AS jaar, date_diff('day', startdatum, einddatum) AS duur
                FROM _iv_traj WHERE einddatum IS NOT NULL AND startdatum IS NOT NULL
            )
            GROUP BY {_SETS}
        )
        SELECT 'trajectduur_mediaan_dagen' AS indicator_id, r.regio_code, a.jaar, a.q AS waarde, a.n AS noemer,
               $bron AS bron
        FROM a {_RID}
        """,
        {"bron": BRON},
    )


def insert_all(con: duckdb.DuckDBPyConnection) -> None:
    """Append every trajectory-based indicator to `_iv_raw`."""
    span = _span(con)
    if not span:
        return
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _iv_vormen AS SELECT unnest($c) AS productcategorie, unnest($v) AS vorm_nr",
        {"c": list(TRAJECT_FORMS), "v": [_FORMS.index(v) for v in TRAJECT_FORMS.values()]},
    )
    con.execute(_IDS)
    con.execute("CREATE OR REPLACE TEMP VIEW _iv_traj AS " + _traj("_iv_trajecten"))
    _count(con, span)
    _insert_counts(con)
    _started(con)
    _duration(con)
    for name in ("_iv_gestart", "_iv_traj"):
        con.execute(f"DROP VIEW {name}")
    for name in ("_iv_counts", "_iv_vormen", "_iv_span", "_iv_rid", "_iv_ids", "_iv_categorie"):
        con.execute(f"DROP TABLE {name}")
