"""Recompute every indicator for every region level and period, set-based in DuckDB, and publish them.

Stages: temp helper tables (wijk -> gemeente, population by exact age bands), raw values per source
(`_iv_raw`: value with teller and noemer, before suppression; `_iv_klassen`: the wait-time distribution),
comparison groups, region attributes, the catalogue (every non-CBS figure must have an entry: else nothing is
published), suppression (`indicators.suppression`: one decision per underlying count, `_iv_tel`), and finally the
rewrite of `indicator_values` and `wachttijd_verdeling` with withheld figures blanked, in one pass over each.

Restricted to some gemeenten (`gemeenten`, as `indicators.scope` decides after a load of own registration), the same
stages run over those gemeenten's wijken, trajectories and CBS values only, skip what is made from all gemeenten
(benchmark rows, the model), and replace only those gemeenten's published rows: suppression is decided within a
gemeente, so its decision is the one a full refresh makes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import duckdb

from indicators import (
    breaks, groups, impossible, queries_cbs, queries_other, queries_trajecten, scope, suppression, verdeling,
)
from indicators.catalog import STATIC, VERWACHT_ID, get
from indicators.models import verwacht
from indicators.population import build_population
from indicators.regions import REGIO_ATTRIBUTES, build_wijk_gemeente
from indicators.stats import wilson_sql
from store import summary
from store.figures import STALE
from store.memory import memory_cap

_RAW = """
CREATE OR REPLACE TEMP TABLE _iv_raw (
    indicator_id TEXT NOT NULL,
    regio_code TEXT NOT NULL,
    periode TEXT,
    jaar INTEGER NOT NULL,
    soort TEXT NOT NULL DEFAULT '',
    waarde DOUBLE,
    teller DOUBLE,
    noemer DOUBLE,
    eenheid TEXT,
    bron TEXT,
    cbs BOOLEAN NOT NULL DEFAULT false,
    cbs_reden TEXT,
    ci_laag DOUBLE,
    ci_hoog DOUBLE,
    ondergrens DOUBLE,
    bovengrens DOUBLE
)
"""

_CAT = """
CREATE OR REPLACE TEMP TABLE _iv_cat (
    indicator_id TEXT PRIMARY KEY, eenheid TEXT, eigen BOOLEAN, proportie BOOLEAN, min_n INTEGER,
    telling_teller TEXT, telling_noemer TEXT, telling_rest TEXT, statistiek BOOLEAN
)
"""

_VALUES = """
CREATE OR REPLACE TEMP VIEW _iv_values AS
SELECT r.rowid AS row_id, r.indicator_id, r.regio_code, g.regio_naam, g.niveau, g.gemeente_code,
       coalesce(r.periode, r.jaar::TEXT) AS periode, r.jaar, r.soort, r.waarde, r.teller, r.noemer,
       r.ci_laag, r.ci_hoog,
       coalesce(r.eenheid, c.eenheid, '') AS eenheid, r.bron, r.cbs_reden,
       r.ondergrens, r.bovengrens,
       NOT r.cbs AND coalesce(c.eigen, true) AS eigen, coalesce(c.proportie, false) AS proportie,
       coalesce(m.n, c.min_n, m.d) AS min_n, c.telling_teller, c.telling_noemer, c.telling_rest,
       coalesce(c.statistiek, false) AS statistiek
FROM _iv_raw r
CROSS JOIN _iv_min_n m
JOIN _iv_regio g ON g.code = r.regio_code
LEFT JOIN _iv_cat c USING (indicator_id)
"""

_CI_LO, _CI_HI = wilson_sql("teller", "noemer")


def _publish_sql() -> str:
    """SQL: the published rows in the columns of indicator_values.

    An own figure's teller and noemer are shown wherever their count is published, also beside a withheld value
    (a count is published or withheld once, wherever it appears).

    Ordered by gemeente, so that the zonemaps of the few row groups holding a gemeente's rows let a query for one
    gemeente skip the others (a finer order gains nothing: a gemeente's rows fit in one row group).
    """
    return f"""
        WITH d AS (
            SELECT v.*, {suppression.published_sql()}, b.breuk AS indelingsbreuk
            FROM _iv_values v {suppression.cell_join("tt", "telling_teller")} {suppression.cell_join("tn", "telling_noemer")}
            LEFT JOIN _iv_breuken b ON b.code = v.regio_code AND b.jaar = v.jaar
        )
        SELECT indicator_id, regio_code, regio_naam, niveau, gemeente_code, periode, jaar, soort,
               CASE WHEN NOT onderdrukt THEN waarde END,
               CASE WHEN eigen THEN CASE WHEN teller_open THEN teller END
                    WHEN NOT onderdrukt AND waarde IS NOT NULL THEN teller END,
               CASE WHEN eigen THEN CASE WHEN noemer_open THEN noemer END
                    WHEN NOT onderdrukt AND waarde IS NOT NULL THEN noemer END,
               CASE WHEN onderdrukt OR waarde IS NULL THEN NULL
                    WHEN proportie THEN CASE WHEN teller_open AND noemer_open THEN {_CI_LO} END ELSE ci_laag END,
               CASE WHEN onderdrukt OR waarde IS NULL THEN NULL
                    WHEN proportie THEN CASE WHEN teller_open AND noemer_open THEN {_CI_HI} END ELSE ci_hoog END,
               eenheid, onderdrukt, reden, bron,
               CASE WHEN NOT onderdrukt AND waarde IS NOT NULL THEN ondergrens END,
               CASE WHEN NOT onderdrukt AND waarde IS NOT NULL THEN bovengrens END,
               indelingsbreuk
        FROM d
        ORDER BY gemeente_code
    """


_TEMP_TABLES = (
    "_iv_in_scope", "_iv_raw", "_iv_cat", "_iv_min_n", "_iv_tel", "_iv_klassen", "_iv_regio", "_iv_wijk_gm", "_iv_pop",
    "_iv_cbs", "_iv_cbs_forms", "_iv_cbs_role", "_iv_members", "_iv_breuken",
)


def _catalog_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_CAT)
    static = {i.id for i in STATIC}
    dynamic = [r[0] for r in con.execute(
        "SELECT DISTINCT indicator_id FROM _iv_raw WHERE indicator_id LIKE 'verwijzer%' OR indicator_id LIKE 'wachttijd%'"
    ).fetchall() if r[0] not in static]
    rows = [(i.id, i.eenheid, i.eigen_registratie, i.proportie, i.min_n, i.telling_teller, i.telling_noemer,
             i.telling_rest, i.statistiek)
            for i in list(STATIC) + [get(None, v) for v in dynamic]]
    con.executemany("INSERT INTO _iv_cat VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    # Fail closed: a figure of ours the catalogue does not know, or an own indicator without its counts, would be
    # published without suppression.
    unknown = con.execute(
        "SELECT DISTINCT indicator_id FROM _iv_raw r ANTI JOIN _iv_cat c USING (indicator_id) WHERE NOT r.cbs "
        "ORDER BY 1 LIMIT 5"
    ).fetchall()
    uncounted = con.execute(
        "SELECT indicator_id FROM _iv_cat WHERE eigen AND telling_teller IS NULL AND telling_noemer IS NULL"
    ).fetchall()
    if unknown or uncounted:
        ids = ", ".join(r[0] for r in unknown + uncounted)
        raise suppression.OnderdrukkingsFout(
            f"Interne fout: indicator(en) {ids} staan niet (volledig) in de catalogus; er is niets gepubliceerd.")


# Published rows that a refresh restricted to some gemeenten does not make and keeps: the model of expected use is
# fitted over all wijken from CBS values alone (`indicators.scope`).
_KEPT_IN_SCOPE = (VERWACHT_ID,)


def build(con: duckdb.DuckDBPyConnection, min_n: int | None = None,
          gemeenten: Sequence[str] | None = None) -> None:
    """Compute all indicators into view `_iv_values` and the wait classes into `_iv_klassen`; temp table `_iv_tel`
    holds the suppression decision of every underlying count (`suppression.decide`).

    `min_n` is the configured threshold (see `suppression.threshold`); None leaves each indicator's own.
    `gemeenten`: only the rows of these gemeenten (their wijken and themselves); None: everything.
    """
    min_n = suppression.threshold(min_n)
    _raw(con, min_n, gemeenten)
    _decide(con, min_n, gemeenten is not None)


def _sources(con: duckdb.DuckDBPyConnection, gemeenten: Sequence[str] | None) -> None:
    """`_iv_wijk_gm` and the inputs the queries read: `_iv_trajecten` and `_iv_cbs_values`, the whole tables or
    (restricted) the rows of the gemeenten's wijken and of the gemeenten themselves (`_iv_in_scope`)."""
    build_wijk_gemeente(con)
    if gemeenten is None:
        con.execute("CREATE OR REPLACE TEMP VIEW _iv_trajecten AS SELECT * FROM trajecten")
        con.execute("CREATE OR REPLACE TEMP VIEW _iv_cbs_values AS SELECT * FROM cbs_values")
        summary.rebuild_cbs(con)  # the CBS measures present: only a full compute can find them changed
        return
    con.execute("DELETE FROM _iv_wijk_gm WHERE NOT list_contains($g, gemeente_code)", {"g": list(gemeenten)})
    con.execute("CREATE OR REPLACE TEMP TABLE _iv_in_scope AS SELECT wijk_code AS code FROM _iv_wijk_gm "
                "UNION SELECT unnest($g::TEXT[])", {"g": list(gemeenten)})
    # The gemeenten's trajectories: their row numbers first (a scan of one column), then the rows within that range
    # of row numbers only. A gemeente's reloaded export lies together at the end of the table, so the second scan
    # skips the rest of the country.
    lo, hi = con.execute("SELECT coalesce(min(t.rowid), 0), coalesce(max(t.rowid), -1) FROM trajecten t "
                         "SEMI JOIN _iv_wijk_gm g USING (wijk_code)").fetchall()[0]
    con.execute("CREATE OR REPLACE TEMP TABLE _iv_trajecten AS SELECT t.* FROM trajecten t "
                "SEMI JOIN _iv_wijk_gm g USING (wijk_code) WHERE t.rowid BETWEEN $lo AND $hi", {"lo": lo, "hi": hi})
    # wijken and gemeenten apart; the wijken's codes as a range too, so that the scan skips other regions' row groups
    lo, hi = con.execute("SELECT min(wijk_code), max(wijk_code) FROM _iv_wijk_gm").fetchall()[0]
    con.execute("CREATE OR REPLACE TEMP TABLE _iv_cbs_values AS "
                "SELECT v.* FROM cbs_values v SEMI JOIN _iv_wijk_gm s ON s.wijk_code = v.regio_code "
                "WHERE v.regio_code BETWEEN $lo AND $hi "
                "UNION ALL SELECT v.* FROM cbs_values v WHERE v.regio_code IN (SELECT unnest($g::TEXT[]))",
                {"g": list(gemeenten), "lo": lo or "", "hi": hi or ""})


def _raw(con: duckdb.DuckDBPyConnection, min_n: int | None, gemeenten: Sequence[str] | None = None) -> None:
    """Every figure before suppression: `_iv_raw`, `_iv_klassen` and their helper tables."""
    scoped = gemeenten is not None
    _sources(con, gemeenten)
    build_population(con)
    con.execute(_RAW)
    queries_trajecten.insert_all(con)
    queries_other.insert_bereik(con)
    queries_other.insert_budget(con)
    queries_cbs.insert_all(con)
    if scoped:
        con.execute("DELETE FROM _iv_raw WHERE regio_code NOT IN (SELECT code FROM _iv_in_scope)")
    else:
        verwacht.insert(con)
    verdeling.build_klassen(con)
    con.execute("CREATE OR REPLACE TEMP TABLE _iv_min_n AS SELECT $n::INTEGER AS n, $d::INTEGER AS d",
                {"n": min_n, "d": suppression.DEFAULT_MIN_N})


def _decide(con: duckdb.DuckDBPyConnection, min_n: int | None, scoped: bool = False) -> None:
    """The catalogue (fail closed), impossible figures out, the zero rows, `_iv_values` and the decision `_iv_tel`."""
    _catalog_table(con)
    impossible.withhold_impossible(con)
    if not scoped:
        groups.insert_benchmarks(con)
    suppression.add_zero_rows(con)
    con.execute(REGIO_ATTRIBUTES)
    breaks.build_breaks(con)
    con.execute(_VALUES)
    suppression.decide(con, "_iv_values", min_n or suppression.DEFAULT_MIN_N)


def _write(con: duckdb.DuckDBPyConnection, gemeenten: Sequence[str] | None) -> None:
    """Replace the published rows (all, or the gemeenten's but those `_KEPT_IN_SCOPE`) by the new ones (the table has
    no key index to maintain)."""
    if gemeenten is None:
        con.execute("DELETE FROM indicator_values")
    else:
        # a join on the gemeenten (not a list test per row) lets the scan skip the row groups of other gemeenten
        con.execute("DELETE FROM indicator_values WHERE gemeente_code IN (SELECT unnest($g::TEXT[])) "
                    "AND NOT list_contains($kept, indicator_id)", {"g": list(gemeenten), "kept": list(_KEPT_IN_SCOPE)})
    con.execute("INSERT INTO indicator_values " + _publish_sql(), suppression.params())
    verdeling.publish(con, gemeenten)
    summary.rebuild(con, gemeenten)


def drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP VIEW IF EXISTS _iv_values")
    for name in _TEMP_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {name}")
    for name in ("_iv_trajecten", "_iv_cbs_values"):  # a view, or a table when restricted
        kind = con.execute("SELECT any_value(table_type) FROM information_schema.tables WHERE table_name = ? "
                           "AND table_catalog = 'temp'", [name]).fetchone()[0]
        if kind:
            con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} {name}")


log = logging.getLogger(__name__)


class NietsGepubliceerd(RuntimeError):
    """Inputs are present but the refresh published nothing: an error, never a silent success."""


# What feeds indicators; read only when a refresh published nothing, to tell an empty store from a failure.
_INPUTS = """
SELECT (SELECT count(*) FROM trajecten) AS trajecten,
       (SELECT count(*) FROM bereik_aantallen) + (SELECT count(*) FROM bereik_deelnemers) AS bereik,
       (SELECT count(*) FROM budget WHERE categorie <> '') AS budget,
       (SELECT count(*) FROM cbs_values WHERE left(regio_code, 2) IN ('WK', 'GM', 'JZ', 'PV', 'NL')) AS cbs
"""
_INPUT_WORDS = {"trajecten": "trajecten", "bereik": "bereikregels", "budget": "budgetregels", "cbs": "CBS-waarden"}


def _check_published(con: duckdb.DuckDBPyConnection, count: int) -> None:
    """Raise NietsGepubliceerd (Dutch message, cause logged) when inputs are present but nothing was published."""
    if count:
        return
    cur = con.execute(_INPUTS)
    inputs = dict(zip([d[0] for d in cur.description], cur.fetchone()))
    present = {k: v for k, v in inputs.items() if v}
    if not present:
        return
    raw = con.execute("SELECT count(*) FROM _iv_raw").fetchone()[0]
    regio = con.execute("SELECT count(*) FROM _iv_regio").fetchone()[0]
    log.error("indicator refresh published 0 rows from inputs %s: %d computed rows (_iv_raw), %d regions "
              "(_iv_regio); DuckDB %s", present, raw, regio, duckdb.__version__)
    shown = ", ".join(f"{_INPUT_WORDS[k]}: {v:,}".replace(",", ".") for k, v in present.items())
    raise NietsGepubliceerd(
        f"De indicatoren zijn niet bijgewerkt: er zijn gegevens geladen ({shown}), maar de berekening leverde "
        "geen enkele indicatorwaarde op. De vorige indicatoren blijven staan; de oorzaak staat in het logboek."
    )


def refresh(con: duckdb.DuckDBPyConnection, min_n: int | None = None, *, own_transaction: bool = True,
            gemeenten: Sequence[str] | None = None) -> int:
    """Recompute every indicator and rewrite `indicator_values` (published values only); returns the row count.

    `gemeenten`: recompute and replace only the rows of these gemeenten (see `indicators.scope`).
    Runs in one transaction of its own; a caller that already holds a transaction on `con` passes
    `own_transaction=False` and the rewrite becomes part of the caller's transaction. Inputs present but nothing
    published raises NietsGepubliceerd and (in its own transaction) leaves the previous values in place.
    DuckDB's memory is capped meanwhile (`store.memory`): at national scale the joins spill to disk instead of
    taking 3,8 GB.
    """
    threshold = suppression.threshold(min_n)
    with memory_cap(con):
        return _refresh(con, threshold, own_transaction, gemeenten)


def _refresh(con: duckdb.DuckDBPyConnection, threshold: int | None, own_transaction: bool,
             gemeenten: Sequence[str] | None) -> int:
    if own_transaction:
        con.execute("BEGIN TRANSACTION")
    try:
        build(con, threshold, gemeenten)
        _write(con, gemeenten)
        scope.record_basis(con, threshold)
        if gemeenten is None:  # every figure belongs to the data now
            con.execute("DELETE FROM meta WHERE key = ?", [STALE])
        count = con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
        _check_published(con, count)
        drop_temp(con)
        if own_transaction:
            con.execute("COMMIT")
    except BaseException as exc:
        if own_transaction:
            con.execute("ROLLBACK")
        if isinstance(exc, suppression.OnderdrukkingsFout):
            log.error("suppression refused to publish: %s", exc)
            raise NietsGepubliceerd(
                f"De indicatoren zijn niet bijgewerkt: {exc} De vorige indicatoren blijven staan.") from exc
        raise
    return count
