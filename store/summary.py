"""A small summary of the published figures per gemeente, so that a page need not scan the national table.

`published_gemeenten` has one row per `gemeente_code` of `indicator_values` (NULL: the rows of no gemeente, the
jeugdregio, province, NL and comparison-group figures): the name on the gemeente's own rows, how many own rows,
wijken and wijk rows it has, its indicator ids and its first and last year. The gemeente list, the indicator ids
with figures and the years of the figures are read from it (`ui.data`, `indicators.regions.data_years`): a few
hundred rows instead of millions, and in an export one small file instead of every gemeente's partition.

It is written with `indicator_values`, in the same transaction (`indicators.compute._write` calls `rebuild`): all
of it after a full refresh, the rows of the recomputed gemeenten (and of no gemeente) after an incremental one.

`cbs_value_measures` holds the (table_id, measure) pairs of `cbs_values` (millions of rows nationally), which the
catalogue names the passed-through CBS indicators after (`indicators.cbs_roles`, `queries_cbs`). Every full
compute writes it anew before it reads it (`indicators.compute._sources`); a change of the CBS values always
recomputes everything (`indicators.scope`), so an incremental one finds it as it was.
"""

from __future__ import annotations

from typing import Sequence

import duckdb

TABLE = "published_gemeenten"

CREATE = f"""
CREATE TABLE {TABLE} (
    gemeente_code TEXT,       -- NULL: the rows of no gemeente (jeugdregio, province, NL, comparison groups)
    naam TEXT,                -- regio_naam of the gemeente's own rows
    eigen_rijen BIGINT NOT NULL,
    wijken BIGINT NOT NULL,
    wijk_rijen BIGINT NOT NULL,
    indicatoren TEXT[] NOT NULL,
    jaar_min INTEGER,
    jaar_max INTEGER
);
"""

_SELECT = """
SELECT gemeente_code,
       any_value(regio_naam) FILTER (WHERE niveau = 'GM' AND regio_code = gemeente_code),
       count(*) FILTER (WHERE niveau = 'GM' AND regio_code = gemeente_code),
       count(DISTINCT regio_code) FILTER (WHERE niveau = 'WK'),
       count(*) FILTER (WHERE niveau = 'WK'),
       list(DISTINCT indicator_id ORDER BY indicator_id),
       min(jaar), max(jaar)
FROM indicator_values
"""

# For the schema migration, which runs plain SQL: the summary of what is there.
FILL = f"INSERT INTO {TABLE} {_SELECT} GROUP BY gemeente_code;"


def rebuild(con: duckdb.DuckDBPyConnection, gemeenten: Sequence[str] | None = None) -> None:
    """Write the summary anew from `indicator_values`: all of it, or the rows of `gemeenten` and of no gemeente.

    Restricted, the scan reads only those gemeenten's row groups (a join, not a list test per row)."""
    if gemeenten is None:
        con.execute(f"DELETE FROM {TABLE}")
        con.execute(FILL)
        return
    params = {"g": list(gemeenten)}
    con.execute(f"DELETE FROM {TABLE} WHERE gemeente_code IN (SELECT unnest($g::TEXT[])) OR gemeente_code IS NULL",
                params)
    # two scans, not one with OR: each filter alone lets the zonemaps skip the other gemeenten's row groups
    con.execute(f"INSERT INTO {TABLE} {_SELECT} WHERE gemeente_code IN (SELECT unnest($g::TEXT[])) "
                f"GROUP BY gemeente_code UNION ALL {_SELECT} WHERE gemeente_code IS NULL GROUP BY gemeente_code",
                params)


CBS_TABLE = "cbs_value_measures"
CREATE_CBS = f"CREATE TABLE {CBS_TABLE} (table_id TEXT NOT NULL, measure TEXT NOT NULL);\n"
FILL_CBS = f"INSERT INTO {CBS_TABLE} SELECT DISTINCT table_id, measure FROM cbs_values;\n"


def rebuild_cbs(con: duckdb.DuckDBPyConnection) -> None:
    """Write the (table_id, measure) pairs of `cbs_values` anew."""
    con.execute(f"DELETE FROM {CBS_TABLE}")
    con.execute(FILL_CBS)
