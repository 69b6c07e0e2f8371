"""The built-in Dutch region reference, derived from CBS open data (CC BY 4.0, bron: CBS); see README.md here.

`ensure(con)` runs on every connect (from `store.schema.migrate`): it loads the shipped CSVs into the `ref_*` tables
when they changed (a checksum in `meta`), and adds what `regions` and `region_years` lack: the names of NL, every
province, jeugdregio, landsdeel, COROP-gebied, gemeente and wijk, and per year the name CBS used then. It never
replaces what a loaded file wrote (its rows carry load_id 0) (a `regios` file overrides the reference), so it is idempotent and, when nothing is
missing, only two counting queries.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

HERE = Path(__file__).resolve().parent
FILES = {"ref_gemeenten": "gemeenten.csv", "ref_regios": "regios.csv", "ref_wijken": "wijken.csv"}
BRON = "CBS open data, CC BY 4.0, bron: CBS (Gebieden in Nederland 2019-2024, wijkkaart 2023)"
# The load_id of the rows the reference adds to regions and region_years (no load in load_log has it).
LOAD_ID = 0
# Levels whose names go into `regions` (GR/ST are the size and urbanisation classes, not regions).
NAMED_LEVELS = ("NL", "PV", "JZ", "LD", "CR", "GM")

_NAMES = f"""
SELECT code, any_value(niveau) AS niveau, arg_max(naam, jaar_tot) AS naam FROM ref_regios
WHERE list_contains({list(NAMED_LEVELS)!r}, niveau) GROUP BY code
UNION ALL
SELECT wijk_code, 'WK', arg_max(wijk_naam, jaar) FROM ref_wijken GROUP BY wijk_code
"""
_YEARS = f"""
SELECT code, unnest(range(jaar_van, jaar_tot + 1)) AS jaar, naam FROM ref_regios
WHERE list_contains({list(NAMED_LEVELS)!r}, niveau)
UNION ALL
SELECT wijk_code, jaar, wijk_naam FROM ref_wijken
"""
_MISSING = f"""
SELECT (SELECT count(*) FROM ({_NAMES}) n ANTI JOIN regions r ON r.code = n.code AND r.name IS NOT NULL)
     + (SELECT count(*) FROM ({_YEARS}) y
        ANTI JOIN region_years r ON r.code = y.code AND r.jaar = y.jaar AND r.naam IS NOT NULL)
"""


@cache
def checksum() -> str:
    digest = hashlib.sha256()
    for name in FILES.values():
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()


def _load(cur: duckdb.DuckDBPyConnection) -> None:
    """Replace the ref_* tables by the shipped CSVs."""
    for table, name in FILES.items():
        frame = pd.read_csv(HERE / name, dtype={"gemeente_code": str, "code": str})
        cur.execute(f"DELETE FROM {table}")
        cur.register("ref_frame", frame)
        try:
            cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM ref_frame")
        finally:
            cur.unregister("ref_frame")
    cur.execute("INSERT OR REPLACE INTO meta VALUES ('referentie', ?)", [checksum()])


def fill(cur: duckdb.DuckDBPyConnection) -> None:
    """Add the reference's names to `regions` and `region_years` where a loaded file gave none (no transaction)."""
    cur.execute(f"""
        INSERT INTO regions (code, name, niveau, load_id) SELECT code, naam, niveau, {LOAD_ID} FROM ({_NAMES})
        ON CONFLICT (code) DO UPDATE SET name = coalesce(regions.name, excluded.name)""")
    cur.execute(f"""
        INSERT INTO region_years (code, jaar, naam, load_id) SELECT code, jaar, naam, {LOAD_ID} FROM ({_YEARS})
        ON CONFLICT (code, jaar) DO UPDATE SET naam = coalesce(region_years.naam, excluded.naam)""")


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    """Load the reference if it changed and fill what `regions`/`region_years` lack; nothing when all is there."""
    cur = con.cursor()
    row = cur.execute("SELECT value FROM meta WHERE key = 'referentie'").fetchone()
    stale = not row or row[0] != checksum()
    if not stale and not cur.execute(_MISSING).fetchone()[0]:
        return
    cur.execute("BEGIN TRANSACTION")
    done = False
    try:
        if stale:
            _load(cur)
        fill(cur)
        done = True
    finally:
        cur.execute("COMMIT" if done else "ROLLBACK")
