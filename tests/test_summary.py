"""`store.summary`: the small tables the pages read instead of scanning the national ones, checked against those.

The incremental refresh keeps them as a full one would (`benchmarks.incremental.differences` compares them too,
tests/test_incremental.py); here their content is compared with the tables they summarise, on the demo and after
a schema migration of a database written before they existed.
"""

from __future__ import annotations

import shutil

import duckdb

import store
from store.schema import SCHEMA_VERSION

# What the summary per gemeente says, computed the long way over every published row.
_DIRECT = """
SELECT g.regio_code, any_value(g.regio_naam), count(*),
       (SELECT count(DISTINCT w.regio_code) FROM indicator_values w WHERE w.niveau = 'WK' AND w.gemeente_code = g.regio_code),
       (SELECT count(*) FROM indicator_values w WHERE w.niveau = 'WK' AND w.gemeente_code = g.regio_code)
FROM indicator_values g WHERE g.niveau = 'GM' GROUP BY g.regio_code ORDER BY 1
"""


def _check(con: duckdb.DuckDBPyConnection) -> None:
    own = con.execute("SELECT gemeente_code, naam, eigen_rijen, wijken, wijk_rijen FROM published_gemeenten "
                      "WHERE eigen_rijen > 0 ORDER BY 1").fetchall()
    assert own and own == con.execute(_DIRECT).fetchall()
    ids = con.execute("SELECT DISTINCT unnest(indicatoren) FROM published_gemeenten ORDER BY 1").fetchall()
    assert ids == con.execute("SELECT DISTINCT indicator_id FROM indicator_values ORDER BY 1").fetchall()
    years = con.execute("SELECT min(jaar_min), max(jaar_max) FROM published_gemeenten").fetchall()
    assert years == con.execute("SELECT min(jaar), max(jaar) FROM indicator_values").fetchall()
    # the rows of no gemeente (jeugdregio, province, NL, comparison groups) have their own summary row
    loose = con.execute("SELECT indicatoren FROM published_gemeenten WHERE gemeente_code IS NULL").fetchall()
    assert loose == [(sorted({r[0] for r in con.execute(
        "SELECT indicator_id FROM indicator_values WHERE gemeente_code IS NULL").fetchall()}),)]
    pairs = con.execute("SELECT table_id, measure FROM cbs_value_measures ORDER BY ALL").fetchall()
    assert pairs and pairs == con.execute("SELECT DISTINCT table_id, measure FROM cbs_values ORDER BY ALL").fetchall()


def test_the_summaries_say_what_the_tables_hold(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        _check(con)


def test_a_database_from_before_the_summaries_gets_them_filled_on_opening(demo_db, tmp_path):
    db = tmp_path / "oud.duckdb"
    shutil.copy(demo_db, db)
    with duckdb.connect(str(db)) as con:  # as schema version 8 left it
        con.execute("DROP TABLE published_gemeenten")
        con.execute("DROP TABLE cbs_value_measures")
        con.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    with store.reading(db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
        _check(con)
