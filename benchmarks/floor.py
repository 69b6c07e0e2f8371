"""The floor: DuckDB alone reading the same generated files, with no validation and no report.

What a careful analyst would type to get the trajectories and the KWB tables into typed DuckDB tables: the file read
as text by DuckDB's own reader, dates parsed with `strptime` in both accepted forms, numbers cast, and the wide KWB
tables made long with `UNPIVOT`. The product's loaders do this and more (every rule of formats.md, a report naming
every rejected row); the benchmark reports each load as a multiple of this floor, measured in the same run.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from benchmarks.generate import read_manifest

# The trajectory columns in file order (the second file names them by their aliases, in the same order).
TRAJECT_COLUMNS = ("client_id", "wijk_code", "aanmelddatum", "toewijzingsdatum", "startdatum", "einddatum",
                   "productcategorie", "aanbieder", "verwijzer", "huishouden_id", "geboortejaar")
DATES = ("aanmelddatum", "toewijzingsdatum", "startdatum", "einddatum")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
# KWB identity columns: the rest of a KWB file are measures (their numbered suffixes shift per year).
KWB_KEYS = ("ID", "WijkenEnBuurten", "Gemeentenaam", "SoortRegio", "Codering")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _trajecten_select() -> str:
    parts = []
    for name in TRAJECT_COLUMNS:
        if name in DATES:
            parts.append(f"try_strptime({name}, $formats)::DATE AS {name}")
        elif name == "geboortejaar":
            parts.append(f"TRY_CAST({name} AS INTEGER) AS {name}")
        else:
            parts.append(f"trim({name}) AS {name}")
    return ", ".join(parts)


def load_trajecten(con: duckdb.DuckDBPyConnection, files: list[Path]) -> int:
    """All trajectory files into one typed table; returns the row count."""
    con.execute("CREATE OR REPLACE TABLE floor_trajecten AS SELECT " + _trajecten_select()
                + " FROM read_csv($file, all_varchar = true, header = true, delim = ';', names = $names)",
                {"file": str(files[0]), "names": list(TRAJECT_COLUMNS), "formats": DATE_FORMATS})
    for path in files[1:]:
        con.execute("INSERT INTO floor_trajecten SELECT " + _trajecten_select()
                    + " FROM read_csv($file, all_varchar = true, header = true, delim = ';', names = $names)",
                    {"file": str(path), "names": list(TRAJECT_COLUMNS), "formats": DATE_FORMATS})
    return con.execute("SELECT count(*) FROM floor_trajecten").fetchone()[0]


def _kwb_columns(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[str, list[str]]:
    """The region-code column and the measure columns of one KWB file, from its header."""
    names = [r[0] for r in con.execute(
        "DESCRIBE SELECT * FROM read_csv($file, all_varchar = true, header = true, delim = ';')",
        {"file": str(path)}).fetchall()]
    code = next(n for n in names if n.startswith("Codering"))
    return code, [n for n in names if not n.startswith(KWB_KEYS)]


def load_kwb(con: duckdb.DuckDBPyConnection, files: list[Path]) -> int:
    """Every KWB file long (region, measure, value) into one table; returns the number of values."""
    con.execute("CREATE OR REPLACE TABLE floor_kwb (bestand TEXT, regio_code TEXT, measure TEXT, waarde DOUBLE)")
    for path in files:
        code, measures = _kwb_columns(con, path)
        con.execute(
            f"""INSERT INTO floor_kwb
                SELECT $name, trim({_quote(code)}), measure, TRY_CAST(replace(trim(value), ',', '.') AS DOUBLE)
                FROM (UNPIVOT (SELECT * FROM read_csv($file, all_varchar = true, header = true, delim = ';'))
                      ON {', '.join(_quote(m) for m in measures)} INTO NAME measure VALUE value)""",
            {"file": str(path), "name": path.name})
    return con.execute("SELECT count(*) FROM floor_kwb").fetchone()[0]


def measure_floor(data: Path, db: Path) -> dict:
    """Time DuckDB alone on the trajectory and KWB files of `data`, into a fresh database file `db`."""
    manifest = read_manifest(data)
    by_kind: dict[str, list[Path]] = {}
    for entry in manifest["files"]:
        by_kind.setdefault(entry["kind"], []).append(data / entry["file"])
    for path in (db, db.with_name(db.name + ".wal")):
        path.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    out: dict[str, dict] = {}
    for kind, loader in (("trajecten", load_trajecten), ("cbs", load_kwb)):
        files = by_kind.get(kind, [])
        if not files:
            continue
        began = time.perf_counter()
        rows = loader(con, files)
        con.execute("CHECKPOINT")
        out[kind] = {"seconds": time.perf_counter() - began, "rows": rows, "files": len(files)}
    con.close()
    for path in (db, db.with_name(db.name + ".wal")):
        path.unlink(missing_ok=True)
    return out
