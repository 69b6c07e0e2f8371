"""One way in for data: read, detect the kind, validate lazily, then write in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
import hashlib
import re
import time
from pathlib import Path
from typing import Callable, Iterator

import duckdb
import pandas as pd

from loaders import cbs, cbs_shape, limits, mixing, registry, stage
from loaders.columns import LoadContext, Prepared
from loaders.read import RawTable, Source, open_source, source_chunks
from common import nl
from loaders.report import FileRefused, LoadOptions, LoadReport, Problem
from indicators import scope
from store import disk_full, figures, is_disk_full
from store.memory import memory_cap
from store.testing import pause_for_test

PREPARE: dict[str, Callable] = {k.name: k.prepare for k in registry.KIND_LIST}
DETECTION = registry.detection()
KINDS = registry.KIND_NAMES

Progress = Callable[[str], None]


def detect_kind(raw: RawTable | Source, display: str) -> str:
    if raw.fmt == "geojson":
        return "geo"
    columns = raw.columns if isinstance(raw, Source) else list(raw.frame.columns)
    lower = {c.lower() for c in columns}
    lower |= {cbs.stem(c) for c in lower} | {cbs_shape.squash(c) for c in lower}
    if any(c.endswith("(code)") for c in lower):
        lower.add("codering")  # a StatLine web download: `Regiocode (gemeente, wijk, buurt) (code)`
    for kind, groups in DETECTION:
        if all(any(alias in lower for alias in group) for group in groups):
            return kind
    shown = ", ".join(columns[:8])
    raise FileRefused(
        f"{display}: de soort bestand is niet te herkennen aan de kolommen ({shown}); geef de soort op met --kind "
        f"({', '.join(KINDS)})."
    )


# Frame kinds whose files are validated and written in chunks of CHUNK_ROWS rows (registry `chunked`).
CHUNK_ROWS = 500_000


def _prepared_chunks(con, path: Path, options: LoadOptions, display: str,
                     progress: Progress) -> Iterator[tuple[str, Prepared]]:
    """Read, detect and validate the file; raises FileRefused for a file that cannot be loaded.

    Own kinds ("sql" in the registry) are staged in DuckDB and validated set-wise in one piece; frame kinds are read
    by pandas, chunk by chunk where the registry says they can be taken apart.
    """
    if options.kind is not None and options.kind not in PREPARE:
        raise FileRefused(f"{display}: onbekende soort '{options.kind}' (kies uit {', '.join(KINDS)}).")
    progress(f"{display}: lezen")
    source = open_source(path, display, options.sheet)
    kind = options.kind or detect_kind(source, display)
    _check_format(kind, source, display)
    entry = registry.KINDS[kind]
    ctx = LoadContext(con=con, display=display, options=options, known_regions=_known_regions(con),
                      today=pd.Timestamp(dt.date.today()))
    if entry.reads == "sql":
        staged = stage.stage(con, source)
        progress(f"{display}: controleren als {kind}")
        try:
            yield kind, entry.prepare(staged, ctx)
        finally:
            staged.drop()
        return
    seen, whole = 0, []
    for raw in source_chunks(source, CHUNK_ROWS if entry.chunked else None):
        seen += len(raw.frame)
        if entry.chunked:
            progress(f"{display}: controleren als {kind} ({nl.number(seen)} rijen)")
            yield kind, entry.prepare(raw, ctx)
        else:
            whole.append(raw)
    if whole:
        progress(f"{display}: controleren als {kind} ({nl.number(seen)} rijen)")
        raw = whole[0] if len(whole) == 1 else replace(whole[0], frame=pd.concat([r.frame for r in whole]))
        yield kind, entry.prepare(raw, ctx)


def _known_regions(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """On the load's own cursor (not a new one): it must see regions written earlier in the same transaction."""
    return cur.execute("SELECT code, niveau FROM regions").df()


def _check_format(kind: str, raw: RawTable | Source, display: str) -> None:
    if kind == "geo" and raw.fmt != "geojson":
        raise FileRefused(f"{display}: grenzen (soort geo) moeten een GeoJSON FeatureCollection zijn.")
    if kind != "geo" and raw.fmt == "geojson":
        raise FileRefused(f"{display}: een GeoJSON-bestand kan alleen als soort geo worden geladen.")


def check_file(con, path, options: LoadOptions | None = None, display_name: str | None = None,
               progress: Progress | None = None) -> LoadReport:
    """Validate a file as it would be loaded, without writing anything."""
    path, options = Path(path), options or LoadOptions()
    report = LoadReport(file_name=display_name or path.name, kind=options.kind)
    started = time.perf_counter()
    try:
        limits.check_regular(path, report.file_name)
        mixing.check(con, report.file_name, _sha256(path), False)
        for kind, prepared in _prepared_chunks(con, path, options, report.file_name, progress or quiet):
            report.kind = kind
            _add(report, prepared)
            if prepared.cleanup is not None:
                prepared.cleanup()  # nothing is written from the loader's temporary tables
    except FileRefused as exc:
        _refuse(report, exc)
    report.seconds = time.perf_counter() - started
    return report


def quiet(_: str) -> None:
    pass


def _add(report: LoadReport, prepared: Prepared) -> None:
    report.rows_accepted += prepared.rows_accepted
    report.problems.extend(prepared.problems)
    report.rows_rejected = len({p.row for p in report.problems if p.row is not None})
    report.warnings = _merge_warnings(report.warnings + prepared.warnings)


def _merge_warnings(warnings: list[str]) -> list[str]:
    """Chunks each report their own warnings: add up the counted ones ('3 dubbele ...'), drop repeats."""
    counted: dict[str, int] = {}
    order: list[str] = []
    for text in warnings:
        m = re.match(r"^(\d+) (.*)$", text, re.DOTALL)
        key = m.group(2) if m else text
        if key not in counted:
            order.append(key)
            counted[key] = 0
        if m:
            counted[key] += int(m.group(1))
    return [f"{counted[key]} {key}" if counted[key] else key for key in order]


def _refuse(report: LoadReport, exc: FileRefused) -> None:
    report.refused = True
    report.rows_accepted = report.rows_rejected = 0
    report.warnings = []
    report.problems = [_file_problem(m, report.file_name) for m in exc.messages]


def _file_problem(message: str, display: str) -> Problem:
    """`'f.csv, rij 1: text'` -> Problem(row=1, message='text'); `'f.csv, rij 3, kolom x: text'` also names the
    column; `'f.csv: text'` -> Problem(message='text')."""
    m = re.match(rf"^{re.escape(display)}(?:, rij (\d+))?(?:, kolom ([^:]+))?: (.*)$", message, re.DOTALL)
    if not m:
        return Problem(message=message)
    return Problem(row=int(m.group(1)) if m.group(1) else None, column=m.group(2), message=m.group(3))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 24):
            digest.update(block)
    return digest.hexdigest()


def load_file(con, path, options: LoadOptions | None = None, display_name: str | None = None,
              progress: Progress | None = None, refresh: bool = True, is_demo: bool = False,
              loaded_by: str | None = None) -> LoadReport:
    """Validate and load one file and recompute the indicators, all in one transaction.

    A refused file changes nothing, and a crash at any point (even during the recompute) leaves the data and the
    published figures as they were before: the load and its recompute commit together or not at all. Loading a
    file that was loaded before with the same options changes nothing either. `refresh=False` leaves the recompute
    to the next command, marking the figures stale in the same transaction (`store.figures`). `loaded_by` is the
    user the load log records (the signed-in user in the app, the system user on the command line).
    """
    path, progress = Path(path), progress or quiet
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        report = load_in_transaction(cur, path, options, display_name, progress, is_demo, loaded_by)
        if report.refused or report.already_loaded:
            cur.execute("ROLLBACK")
            return report
        if refresh:
            progress("indicatoren herberekenen")
            try:
                what = figures.recompute(cur, incremental=True)
                report.recomputed_all, report.recomputed_gemeenten = what.everything, list(what.gemeenten)
            except figures.NothingPublished as exc:
                rollback(cur)
                _refuse(report, FileRefused(f"{report.file_name}: {exc} Het bestand is daarom niet geladen; de "
                                            f"database is ongewijzigd."))
                report.refresh_error = str(exc)
                return report
            pause_for_test("herberekenen")
        else:
            figures.mark_stale(cur)
            scope.forget(cur)
        cur.execute("COMMIT")
    except duckdb.Error as exc:
        rollback(cur)
        if is_disk_full(exc):
            raise disk_full(db_file(con), f"het laden van {display_name or path.name}") from None
        raise
    except BaseException:
        rollback(cur)
        raise
    return report


def load_in_transaction(cur, path: Path, options: LoadOptions | None, display_name: str | None,
                        progress: Progress, is_demo: bool = False, loaded_by: str | None = None) -> LoadReport:
    """Validate and write one file inside the caller's transaction; a refused or already loaded file writes
    nothing (the caller rolls back)."""
    with memory_cap(cur):
        return _load_in_transaction(cur, path, options, display_name, progress, is_demo, loaded_by)


def _load_in_transaction(cur, path: Path, options: LoadOptions | None, display_name: str | None,
                         progress: Progress, is_demo: bool = False, loaded_by: str | None = None) -> LoadReport:
    options = options or LoadOptions()
    report = LoadReport(file_name=display_name or path.name, kind=options.kind)
    started = time.perf_counter()
    try:
        limits.check_regular(path, report.file_name)  # before hashing: a folder or a named pipe is refused
        sha = _sha256(path)
        mixing.check(cur, report.file_name, sha, is_demo)
        load_id = cur.execute("SELECT nextval('load_id_seq')").fetchall()[0][0]
        for kind, prepared in _prepared_chunks(cur, path, options, report.file_name, progress):
            report.kind = kind
            if _loaded_before(cur, sha, kind, options):
                return _already(report, cur, sha, kind, options)
            _add(report, prepared)
            progress(f"{report.file_name}: opslaan")
            _write_tables(cur, prepared, load_id)
        cur.execute(
            """INSERT INTO load_log (load_id, file_name, kind, sha256, options, rows_accepted, rows_rejected,
                                     loaded_at, is_demo, warnings, geladen_door)
               VALUES (?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?)""",
            [load_id, report.file_name, report.kind, sha, options.key(), report.rows_accepted,
             report.rows_rejected, is_demo, "\n".join(report.warnings) or None, loaded_by],
        )
    except FileRefused as exc:
        _refuse(report, exc)
    report.seconds = time.perf_counter() - started
    return report


def touched_gemeenten(cur) -> list[str]:
    """The gemeenten whose own rows (trajecten, bereik, budget) the loads on this cursor wrote or replaced with
    different rows, before their commit: from the notes the writer keeps (`indicators.scope`), in SQL."""
    return scope.touched_gemeenten(cur)


def rollback(cur) -> None:
    """Roll back what is left of the transaction (DuckDB has already ended it when a commit failed)."""
    try:
        cur.execute("ROLLBACK")
    except duckdb.TransactionException:
        pass


def db_file(con) -> str:
    """The file behind a connection, for messages."""
    rows = con.cursor().execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
    return (rows.fetchone() or ("de database",))[0]


def _loaded_before(cur, sha: str, kind: str, options: LoadOptions) -> bool:
    return bool(cur.execute(
        "SELECT count(*) FROM load_log WHERE sha256 = ? AND kind = ? AND options = ?", [sha, kind, options.key()]
    ).fetchall()[0][0])


def _already(report: LoadReport, cur, sha: str, kind: str, options: LoadOptions) -> LoadReport:
    loaded_at = cur.execute(
        "SELECT max(loaded_at) FROM load_log WHERE sha256 = ? AND kind = ? AND options = ?", [sha, kind, options.key()]
    ).fetchall()[0][0]
    report.already_loaded = True
    report.warnings = [f"al geladen op {nl.datetime(loaded_at)}"]
    return report


def _write_tables(cur, prepared: Prepared, load_id: int) -> None:
    try:
        for sql, params in prepared.before:
            scope.note_sql(cur, sql)
            cur.execute(sql, params)
        for table, frame in prepared.tables.items():
            if len(frame):
                cur.register("frame", frame)
                try:
                    _write_table(cur, table, list(frame.columns), load_id)
                finally:
                    cur.unregister("frame")
        for table, (query, params) in prepared.queries.items():
            if not params and _new_partition(cur, table, f"({query})"):
                _write_new_partition(cur, table, query, load_id)
                continue
            # a view where it can be (no parameters): the rows are read where they are, not copied first
            kind = "TABLE" if params else "VIEW"
            cur.execute(f"CREATE OR REPLACE TEMP {kind} frame AS {query}", params)
            try:
                columns = [r[0] for r in cur.execute("SELECT column_name FROM (DESCRIBE frame)").fetchall()]
                _write_table(cur, table, columns, load_id)
            finally:
                cur.execute(f"DROP {kind} IF EXISTS frame")
    finally:
        if prepared.cleanup is not None:
            prepared.cleanup()


SPECIAL_WRITES = {
    "regions_if_new": ("regions", "INSERT INTO regions (code, name, niveau, load_id) "
                       "SELECT code, name, niveau, ? FROM frame ON CONFLICT (code) DO UPDATE SET "
                       # a file's own name wins over the built-in reference's (load_id 0), never over a loaded one
                       "name = CASE WHEN regions.load_id = 0 THEN coalesce(excluded.name, regions.name) "
                       "ELSE coalesce(regions.name, excluded.name) END"),
    "region_parents_if_new": ("region_parents", "INSERT INTO region_parents SELECT code, parent_code, ? FROM frame "
                              "ON CONFLICT DO NOTHING"),
    "region_names_if_missing": ("regions", "UPDATE regions SET name = frame.name, load_id = coalesce(load_id, ?) "
                                "FROM frame WHERE regions.code = frame.code AND regions.name IS NULL"),
}


# The key of each table the loaders write: a row with the same key is replaced, so loading twice equals once.
TABLE_KEYS = registry.table_keys()


def _write_table(cur, table: str, columns: list[str], load_id: int) -> None:
    """Replace rows of `frame` by key: the rows `scope.note_rows` found replaced (in the join that notes the change)
    are deleted by rowid, then one insert (table and column names are ours)."""
    if table in SPECIAL_WRITES:
        scope.note_table(cur, SPECIAL_WRITES[table][0])
        cur.execute(SPECIAL_WRITES[table][1], [load_id])
        return
    fresh = _new_partition(cur, table, "frame")
    if scope.note_rows(cur, table, "frame", TABLE_KEYS[table], columns, fresh=fresh):
        cur.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT rid FROM {scope.REPLACED})")
    cur.execute(f"DROP TABLE IF EXISTS {scope.REPLACED}")
    names = ", ".join(columns)
    cur.execute(f"INSERT INTO {table} ({names}, load_id) SELECT {names}, ? FROM frame", [load_id])


# Big tables a file writes one part of (a CBS table's values): when the table holds no row of that part yet, no row
# is replaced, so the delete and the comparison of old and new rows are skipped.
PARTITIONS = {"cbs_values": "table_id"}


def _new_partition(cur, table: str, source: str) -> bool:
    """Whether `table` is partitioned and holds no row of the parts `source` (ours: a relation or subquery) has."""
    column = PARTITIONS.get(table)
    if column is None:
        return False
    return not cur.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {column} IN "
                           f"(SELECT DISTINCT {column} FROM {source}) LIMIT 1)").fetchall()[0][0]


def _write_new_partition(cur, table: str, query: str, load_id: int) -> None:
    """A new part of a partitioned table, inserted straight from the loader's query (nothing to replace)."""
    columns = ", ".join(r[0] for r in cur.execute(f"DESCRIBE {query}").fetchall())
    scope.note_rows(cur, table, f"({query})", TABLE_KEYS[table], [], fresh=True)
    cur.execute(f"INSERT INTO {table} ({columns}, load_id) SELECT {columns}, ? FROM ({query})", [load_id])
