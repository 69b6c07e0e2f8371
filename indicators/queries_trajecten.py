"""Indicators from own trajectory registration, per wijk and gemeente (the gemeente from all its wijken' records).

Gemeente values come from the gemeente's own records (a client who moved between wijken is one client of the
gemeente), never from averages of wijken: statistics group by GROUPING SETS ((gemeente, wijk, year),
(gemeente, year)), distinct counts merge each person's years per gemeente and per wijk.
"""

from __future__ import annotations

import duckdb

from indicators.catalog import CBS_FORM_CODES, TRAJECT_FORMS

BRON = "Eigen registratie (trajecten)"

_TRAJ = "(SELECT t.*, g.gemeente_code FROM trajecten t JOIN _iv_wijk_gm g USING (wijk_code))"
_REGIO = "coalesce(wijk_code, gemeente_code)"
_SETS = "GROUPING SETS ((gemeente_code, wijk_code, jaar), (gemeente_code, jaar))"
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


def _span(con: duckdb.DuckDBPyConnection) -> int:
    """Create `_iv_span(first, last)`; returns the number of years (0 without trajectories)."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _iv_span AS
        WITH r AS (
            SELECT min(least(year(aanmelddatum), coalesce(year(startdatum), 9999))) AS lo,
                   max(greatest(year(aanmelddatum), coalesce(year(startdatum), 0), coalesce(year(einddatum), 0)))
                       AS hi
            FROM trajecten
        )
        SELECT greatest(lo, hi - $max + 1)::INTEGER AS first, hi::INTEGER AS last FROM r WHERE lo IS NOT NULL
        """,
        {"max": MAX_YEARS},
    )
    row = con.execute("SELECT last - first + 1 FROM _iv_span").fetchone()
    return row[0] if row else 0


def _mask(lo: str, hi: str) -> str:
    """SQL: bits for the years lo..hi, clamped to the span; 0 when empty."""
    lo, hi = f"greatest({lo}, s.first)", f"least({hi}, s.last)"
    return (f"CASE WHEN {lo} > {hi} THEN 0::UBIGINT "
            f"ELSE (1::UBIGINT << ({hi} - s.first + 1)) - (1::UBIGINT << ({lo} - s.first)) END")


_BASE = f"""
CREATE OR REPLACE TEMP TABLE _iv_t AS
SELECT t.client_id, t.huishouden_id, t.wijk_code, g.gemeente_code, f.vorm_nr,
       CASE WHEN t.startdatum IS NULL THEN 0::UBIGINT
            ELSE {_mask("year(t.startdatum)", "coalesce(year(t.einddatum), s.last)")} END AS actief,
       {_mask("year(t.aanmelddatum)", "coalesce(year(t.startdatum) - 1, s.last)")} AS wachtend
FROM trajecten t
CROSS JOIN _iv_span s
JOIN _iv_wijk_gm g USING (wijk_code)
LEFT JOIN _iv_vormen f USING (productcategorie)
"""


def _per_year(counts: str, names: list[str]) -> str:
    """SQL: from `counts(regio_code, what, mask, n)` (n rows with that year mask, for measure number `what`) to
    one row per region and year with a column per name. Masks take few distinct values, so this stays small."""
    cols = ", ".join(f"coalesce(sum(c.n) FILTER (WHERE c.what = {i}), 0)::BIGINT AS {n}" for i, n in enumerate(names))
    return f"""
        WITH counts AS ({counts}),
        years AS (SELECT unnest(range(first, last + 1)) AS jaar, first FROM _iv_span)
        SELECT c.regio_code, y.jaar, {cols}
        FROM counts c JOIN years y ON (c.mask >> (y.jaar - y.first)::INTEGER) & 1 = 1
        GROUP BY c.regio_code, y.jaar
    """


def _distinct_per_year(con: duckdb.DuckDBPyConnection, key: str, masks: dict[str, str], target: str) -> None:
    """Distinct `key` values per region and year for each named mask expression, into temp table `target`.

    One GROUP BY (gemeente, key) merges each person's (or household's) years; a person whose rows lie in one
    wijk counts there directly, only those spread over several wijken are grouped again per wijk.
    """
    per_key = ", ".join(f"bit_or({expr}) AS {name}" for name, expr in masks.items())
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _iv_k AS
        SELECT gemeente_code, {key} AS k, min(wijk_code) AS wk_min, max(wijk_code) AS wk_max, {per_key}
        FROM _iv_t WHERE {key} IS NOT NULL AND actief <> 0 GROUP BY gemeente_code, {key}
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _iv_movers AS
        SELECT t.wijk_code, {per_key}
        FROM _iv_t t
        WHERE t.actief <> 0
          AND (t.gemeente_code, t.{key}) IN (SELECT gemeente_code, k FROM _iv_k WHERE wk_min <> wk_max)
        GROUP BY t.wijk_code, t.{key}
        """
    )
    branches = []
    for i, name in enumerate(masks):
        branches += [
            f"SELECT gemeente_code AS regio_code, {i} AS what, {name} AS mask, count(*) AS n FROM _iv_k GROUP BY ALL",
            f"SELECT wk_min, {i}, {name}, count(*) FROM _iv_k WHERE wk_min = wk_max GROUP BY ALL",
            f"SELECT wijk_code, {i}, {name}, count(*) FROM _iv_movers GROUP BY ALL",
        ]
    con.execute(f"CREATE OR REPLACE TEMP TABLE {target} AS {_per_year(' UNION ALL '.join(branches), list(masks))}")
    con.execute("DROP TABLE _iv_k")
    con.execute("DROP TABLE _iv_movers")


def _counts(con: duckdb.DuckDBPyConnection) -> None:
    forms = {f"v{i}": f"CASE WHEN vorm_nr = {i} THEN actief ELSE 0::UBIGINT END" for i in range(len(_FORMS))}
    _distinct_per_year(con, "client_id", {"clienten": "actief", **forms}, "_iv_clienten")
    _distinct_per_year(con, "huishouden_id", {"huishoudens": "actief"}, "_iv_huishoudens")
    # Trajectory counts add up: count per wijk once, then sum the (small) result per gemeente.
    per_wijk = " UNION ALL ".join(
        f"SELECT gemeente_code, wijk_code, {i} AS what, {m} AS mask, count(*) AS n "
        f"FROM _iv_t WHERE {m} <> 0 GROUP BY ALL"
        for i, m in enumerate(("actief", "wachtend"))
    )
    counts = (f"SELECT coalesce(wijk_code, gemeente_code) AS regio_code, what, mask, sum(n) AS n FROM ({per_wijk}) "
              "GROUP BY GROUPING SETS ((gemeente_code, wijk_code, what, mask), (gemeente_code, what, mask))")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _iv_trajecten AS {_per_year(counts, ['trajecten', 'wachtend'])}")
    con.execute(
        """
        INSERT INTO _iv_raw BY NAME
        SELECT 'clienten_aantal' AS indicator_id, regio_code, jaar, clienten AS waarde, clienten AS teller
        FROM _iv_clienten WHERE clienten > 0
        UNION ALL BY NAME
        SELECT 'huishoudens_aantal' AS indicator_id, regio_code, jaar, huishoudens AS waarde, huishoudens AS teller
        FROM _iv_huishoudens WHERE huishoudens > 0
        UNION ALL BY NAME
        SELECT 'trajecten_per_client' AS indicator_id, t.regio_code, t.jaar, t.trajecten / c.clienten AS waarde,
               t.trajecten AS teller, c.clienten AS noemer
        FROM _iv_trajecten t JOIN _iv_clienten c USING (regio_code, jaar) WHERE c.clienten > 0
        UNION ALL BY NAME
        SELECT 'wachtlijst_aantal' AS indicator_id, regio_code, jaar, wachtend AS waarde, wachtend AS teller
        FROM _iv_trajecten WHERE wachtend > 0
        """
    )
    form_rows = " UNION ALL ".join(
        f"SELECT regio_code, jaar, $f{i} AS vorm, v{i} AS n FROM _iv_clienten WHERE v{i} > 0"
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
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW _iv_gestart AS
        SELECT t.wijk_code, t.gemeente_code, t.verwijzer, year(t.startdatum) AS jaar,
               date_diff('day', t.aanmelddatum, t.startdatum) AS wacht,
               CASE WHEN n.soort_dagen = 'werkdagen' THEN {werkdagen('t.aanmelddatum', 't.startdatum')}
                    ELSE date_diff('day', t.aanmelddatum, t.startdatum) END <= n.norm_dagen AS binnen_norm
        FROM {_TRAJ} t LEFT JOIN normen n USING (productcategorie)
        WHERE t.startdatum IS NOT NULL
        """
    )
    con.execute(
        f"""
        INSERT INTO _iv_raw BY NAME
        WITH agg AS (
            SELECT {_REGIO} AS regio_code, jaar, count(*) AS n, quantile_cont(wacht, [0.5, 0.8]) AS q,
                   count(binnen_norm) AS n_norm, count_if(binnen_norm) AS binnen
            FROM _iv_gestart GROUP BY {_SETS}
        )
        SELECT 'wachttijd_mediaan_dagen' AS indicator_id, regio_code, jaar, q[1] AS waarde, n AS noemer FROM agg
        UNION ALL BY NAME
        SELECT 'wachttijd_p80_dagen' AS indicator_id, regio_code, jaar, q[2] AS waarde, n AS noemer FROM agg
        UNION ALL BY NAME
        SELECT 'wachttijd_binnen_norm_pct' AS indicator_id, regio_code, jaar, 100.0 * binnen / n_norm AS waarde,
               binnen AS teller, n_norm AS noemer
        FROM agg WHERE n_norm > 0
        """
    )
    # Counted per wijk and raw referrer value first (few distinct), then rolled up and normalised.
    con.execute(
        f"""
        INSERT INTO _iv_raw BY NAME
        WITH per_wijk AS (
            SELECT verwijzer, gemeente_code, wijk_code, jaar, count(*) AS n FROM _iv_gestart GROUP BY ALL
        ), raw AS (
            SELECT verwijzer, {_REGIO} AS regio_code, jaar, sum(n) AS n
            FROM per_wijk
            GROUP BY GROUPING SETS ((verwijzer, gemeente_code, wijk_code, jaar), (verwijzer, gemeente_code, jaar))
        ), agg AS (
            SELECT coalesce(nullif(trim(regexp_replace(lower(trim(verwijzer)), '[^a-z0-9]+', '_', 'g'), '_'), ''),
                            'onbekend') AS code, regio_code, jaar, sum(n) AS n
            FROM raw GROUP BY ALL
        )
        SELECT 'verwijzer_' || code || '_pct' AS indicator_id, regio_code, jaar,
               100.0 * n / sum(n) OVER (PARTITION BY regio_code, jaar) AS waarde, n AS teller,
               sum(n) OVER (PARTITION BY regio_code, jaar) AS noemer
        FROM agg
        """
    )


def _duration(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""
        INSERT INTO _iv_raw BY NAME
        WITH afgesloten AS (
            SELECT wijk_code, gemeente_code, year(einddatum) AS jaar,
                   date_diff('day', startdatum, einddatum) AS duur
            FROM {_TRAJ} WHERE einddatum IS NOT NULL AND startdatum IS NOT NULL
        )
        SELECT 'trajectduur_mediaan_dagen' AS indicator_id, {_REGIO} AS regio_code, jaar,
               quantile_cont(duur, 0.5) AS waarde, count(*) AS noemer
        FROM afgesloten GROUP BY {_SETS}
        """
    )


def insert_all(con: duckdb.DuckDBPyConnection) -> None:
    """Append every trajectory-based indicator to `_iv_raw`."""
    if not _span(con):
        return
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _iv_vormen AS SELECT unnest($c) AS productcategorie, unnest($v) AS vorm_nr",
        {"c": list(TRAJECT_FORMS), "v": [_FORMS.index(v) for v in TRAJECT_FORMS.values()]},
    )
    con.execute(_BASE)
    _counts(con)
    _started(con)
    _duration(con)
    con.execute("UPDATE _iv_raw SET bron = $b WHERE bron IS NULL", {"b": BRON})
    for name in ("_iv_clienten", "_iv_huishoudens", "_iv_trajecten", "_iv_vormen", "_iv_span"):
        con.execute(f"DROP TABLE {name}")
    con.execute("DROP VIEW _iv_gestart")
    con.execute("DROP TABLE _iv_t")
