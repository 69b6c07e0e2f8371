"""What a load changes, and so what its recompute must cover: the one rule for incremental recompute.

Per table, which published figures depend on it:
- Own registration (`OWN_TABLES`: trajecten, bereik, budget) is per wijk and gemeente: a changed row changes the
  figures of its own gemeente only (its wijken and the gemeente, their suppression, their wait-time distribution).
  Nothing else reads these rows: the jeugdregio, province, NL and comparison-group rows are made from CBS values
  (`indicators.groups`), and the model of expected use from CBS KWB values.
- Tables no figure reads (`UNREAD_TABLES`) change nothing.
- Every other table (CBS values and measures, population, regions and their parents, years and breaks, norms, the
  taakveld mapping) feeds figures of many gemeenten at once: the benchmark rows, the model fitted over all wijken,
  every wait within a norm. A change there recomputes everything.

Own figures of different gemeenten share two things: the years the trajectories span (an open trajectory counts as
active up to the last year any trajectory reaches) and the suppression threshold. The refresh records both
(`record_basis`); when a load changes either, everything is recomputed.

A load notes what it is about to write (`note_rows` for a replace by key, `note_table` for any other write) in
temp tables of its own connection; `decide` turns the notes into a `Scope` inside the same transaction. Rows that a
load replaces by identical rows (the same file again under another name) are no change: such a load recomputes
nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import duckdb

from indicators.regions import WIJK_GEMEENTE

OWN_TABLES = {"trajecten": "wijk_code", "bereik_aantallen": "wijk_code", "bereik_deelnemers": "wijk_code",
              "budget": "regio_code"}
UNREAD_TABLES = frozenset({"streefwaarden", "region_boundaries", "duiding", "load_log"})

BASIS = "figures_basis"
_NOTES = "_load_changes"         # (tabel, code): code NULL = the table changed (not per region)
_PRINTS = "_load_fingerprints"   # (tabel, fp): a table's content before the load first wrote it
REPLACED = "_load_replaced"      # (rid, ...): rowids of the rows the last `note_rows` found replaced


@dataclass(frozen=True)
class Scope:
    """What to recompute: everything, the figures of some gemeenten, or (neither) nothing."""
    everything: bool = False
    gemeenten: tuple[str, ...] = ()

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.gemeenten


EVERYTHING = Scope(everything=True)
NOTHING = Scope()


def _ensure(cur: duckdb.DuckDBPyConnection) -> None:
    cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_NOTES} (tabel TEXT NOT NULL, code TEXT)")
    cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_PRINTS} (tabel TEXT PRIMARY KEY, fp UBIGINT)")


def _fingerprint(cur: duckdb.DuckDBPyConnection, table: str) -> int:
    """A hash of the table's rows (order-free, without load_id). Only for the small tables written other than by key."""
    columns = [r[0] for r in cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main' "
        "ORDER BY ordinal_position", [table]).fetchall() if r[0] != "load_id"]
    row = ", ".join(columns)
    return cur.execute(f"SELECT coalesce(bit_xor(hash({row})), 0) FROM {table}").fetchone()[0]


def note_table(cur: duckdb.DuckDBPyConnection, table: str) -> None:
    """Before a write of `table` other than a replace by key: keep its fingerprint (once per load)."""
    _ensure(cur)
    if table in UNREAD_TABLES:
        return
    if not cur.execute(f"SELECT count(*) FROM {_PRINTS} WHERE tabel = ?", [table]).fetchone()[0]:
        cur.execute(f"INSERT INTO {_PRINTS} VALUES (?, ?)", [table, _fingerprint(cur, table)])


def note_rows(cur: duckdb.DuckDBPyConnection, table: str, source: str, keys: tuple[str, ...],
              columns: list[str], fresh: bool = False) -> int:
    """Before `table`'s rows with the keys of `source` (a relation on `cur` with `columns`) are replaced by those of
    `source`: note what differs, and find the rows replaced, in one join of the new rows to the old ones by key.
    For an own table the region codes of the rows added or changed (old and new code), else whether any row is
    added or changed. Returns how many rows of `table` are replaced; their rowids are in the temp table `REPLACED`
    (`rid`) for the caller's delete. `fresh`: the caller knows no row of `table` shares a key with `source`, so
    every row of `source` is new. Table, source and column names are ours."""
    _ensure(cur)
    code = OWN_TABLES.get(table)
    if fresh:
        if table in UNREAD_TABLES:
            return 0
        if code:
            cur.execute(f"INSERT INTO {_NOTES} SELECT DISTINCT $t, {code} FROM {source}", {"t": table})
        elif _any(cur, source):
            cur.execute(f"INSERT INTO {_NOTES} VALUES (?, NULL)", [table])
        return 0
    match = " AND ".join(f"t.{k} = f.{k}" for k in keys)
    differs = " OR ".join(f"t.{c} IS DISTINCT FROM f.{c}" for c in columns if c not in keys) or "false"
    codes = f", f.{code} AS new_code, t.{code} AS old_code" if code else ""
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {REPLACED} AS SELECT t.rowid AS rid, ({differs}) AS changed{codes} "
                f"FROM {source} f JOIN {table} t ON {match}")
    replaced = cur.execute(f"SELECT count(*) FROM {REPLACED}").fetchall()[0][0]
    if table in UNREAD_TABLES:
        return replaced
    # Rows of `source` no old row matches are new: all of them when none matched (no second join), none when all
    # did (keys are unique in `table`: every write replaces by key), else those the anti-join finds.
    added = f"SELECT f.* FROM {source} f ANTI JOIN {table} t ON {match}"
    if replaced == 0:
        added = f"SELECT * FROM {source}"
    elif cur.execute(f"SELECT count(*) FROM {source}").fetchall()[0][0] <= replaced:
        added = None
    if code:
        cur.execute(f"INSERT INTO {_NOTES} SELECT DISTINCT $t, c FROM (SELECT unnest([new_code, old_code]) AS c "
                    f"FROM {REPLACED} WHERE changed) WHERE c IS NOT NULL", {"t": table})
        if added is not None:
            cur.execute(f"INSERT INTO {_NOTES} SELECT DISTINCT $t, {code} FROM ({added}) WHERE {code} IS NOT NULL",
                        {"t": table})
    elif (added is not None and _any(cur, f"({added})")) or _any(cur, f"(SELECT * FROM {REPLACED} WHERE changed)"):
        cur.execute(f"INSERT INTO {_NOTES} VALUES (?, NULL)", [table])
    return replaced


def _any(cur: duckdb.DuckDBPyConnection, source: str) -> bool:
    return bool(cur.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source} LIMIT 1)").fetchall()[0][0])


def _changed_tables(cur: duckdb.DuckDBPyConnection) -> set[str]:
    tables = {r[0] for r in cur.execute(f"SELECT DISTINCT tabel FROM {_NOTES}").fetchall()}
    for table, fp in cur.execute(f"SELECT tabel, fp FROM {_PRINTS}").fetchall():
        if _fingerprint(cur, table) != fp:
            tables.add(table)
    return tables


# The gemeente of every noted region code of own tables (NULL: a code of another level, such as a jeugdregio).
_TOUCHED = f"""
WITH codes AS (SELECT DISTINCT n.code, coalesce(r.niveau, upper(left(n.code, 2))) AS niveau
               FROM {_NOTES} n LEFT JOIN regions r ON r.code = n.code WHERE n.code IS NOT NULL),
wijken AS ({WIJK_GEMEENTE.format(codes="SELECT code FROM codes WHERE niveau = 'WK'")})
SELECT DISTINCT CASE WHEN c.niveau = 'GM' THEN c.code WHEN c.niveau = 'WK' THEN w.gemeente_code END
FROM codes c LEFT JOIN wijken w ON w.wijk_code = c.code
"""


def touched_gemeenten(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """The gemeenten whose own-registration rows the writes noted on this connection added, replaced or deleted
    (codes of another level, such as a jeugdregio, are left out)."""
    if not cur.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [_NOTES]
                       ).fetchall()[0][0]:
        return []
    return sorted(r[0] for r in cur.execute(_TOUCHED).fetchall() if r[0] is not None)


def decide(cur: duckdb.DuckDBPyConnection, min_n: int | None) -> Scope:
    """What the noted writes change (EVERYTHING when nothing was noted on this connection: an unknown writer).

    `min_n` is the threshold the recompute will use (`suppression.threshold`)."""
    if not cur.execute(f"SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = '{_NOTES}'"
                       ).fetchone()[0]:
        return EVERYTHING
    tables = _changed_tables(cur) - UNREAD_TABLES
    if not tables:
        return NOTHING
    if tables - set(OWN_TABLES):
        return EVERYTHING
    gemeenten = [r[0] for r in cur.execute(_TOUCHED).fetchall()]
    if not gemeenten:
        return NOTHING
    if None in gemeenten or published_basis(cur) != basis(cur, min_n):
        return EVERYTHING
    return Scope(gemeenten=tuple(sorted(gemeenten)))


def forget(cur: duckdb.DuckDBPyConnection) -> None:
    """Drop the notes (after the recompute, or when the load leaves it for later)."""
    for name in (_NOTES, _PRINTS):
        cur.execute(f"DROP TABLE IF EXISTS {name}")


def basis(cur: duckdb.DuckDBPyConnection, min_n: int | None) -> str:
    """What own figures of every gemeente share: the trajectories' year span and the threshold, as text."""
    from indicators.queries_trajecten import span

    return json.dumps({"span": span(cur), "min_n": min_n})


def published_basis(cur: duckdb.DuckDBPyConnection) -> str | None:
    row = cur.execute("SELECT value FROM meta WHERE key = ?", [BASIS]).fetchone()
    return row[0] if row else None


def record_basis(cur: duckdb.DuckDBPyConnection, min_n: int | None) -> None:
    cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [BASIS, basis(cur, min_n)])


_TARGET = re.compile(r"^\s*(?:DELETE\s+FROM|UPDATE|INSERT\s+(?:OR\s+\w+\s+)?INTO)\s+(\w+)", re.IGNORECASE)


def note_sql(cur: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Before a statement that writes one table: note that table; a statement we cannot read counts as a change."""
    m = _TARGET.match(sql)
    if m:
        note_table(cur, m.group(1))
    else:
        _ensure(cur)
        cur.execute(f"INSERT INTO {_NOTES} VALUES ('?', NULL)")
