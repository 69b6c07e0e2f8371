"""One way in for data: read, detect the kind, validate lazily, then write in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd

from loaders import cbs, geo, kinds
from loaders.columns import LoadContext, Prepared
from loaders.read import RawTable, read_table
from common import nl
from loaders.report import KINDS, FileRefused, LoadOptions, LoadReport, Problem

PREPARE: dict[str, Callable[[RawTable, LoadContext], Prepared]] = {
    "cbs": cbs.prepare_cbs,
    "cbs-long": cbs.prepare_cbs_long,
    "trajecten": kinds.prepare_trajecten,
    "bereik": kinds.prepare_bereik,
    "bevolking": kinds.prepare_bevolking,
    "budget": kinds.prepare_budget,
    "streefwaarden": kinds.prepare_streefwaarden,
    "normen": kinds.prepare_normen,
    "regios": kinds.prepare_regios,
    "geo": geo.prepare_geo,
    "taakvelden": kinds.prepare_taakvelden,
}

# (kind, columns that must all be present, any alias per column group) in order of specificity.
DETECTION: list[tuple[str, list[tuple[str, ...]]]] = [
    ("cbs-long", [("measure",), ("value",)]),
    ("trajecten", [("client_id", "clientnummer", "bsn_hash"), ("aanmelddatum", "verzoekdatum", "datum_aanmelding")]),
    ("bereik", [("aanbod",), ("soort",)]),
    ("bevolking", [("leeftijd_van",), ("leeftijd_tot",)]),
    ("budget", [("bedrag",)]),
    ("streefwaarden", [("indicator_id",)]),
    ("normen", [("norm_dagen",)]),
    ("taakvelden", [("taakveld",), ("categorie",)]),
    ("regios", [("regio_code",), ("niveau",)]),
    ("cbs", [("wijkenenbuurten", "regios", "wijken", "gemeenten", "codering_3", "codering")]),
]

Progress = Callable[[str], None]


def detect_kind(raw: RawTable, display: str) -> str:
    if raw.fmt == "geojson":
        return "geo"
    lower = {c.lower() for c in raw.frame.columns}
    lower |= {cbs.stem(c) for c in lower}
    for kind, groups in DETECTION:
        if all(any(alias in lower for alias in group) for group in groups):
            return kind
    shown = ", ".join(list(raw.frame.columns)[:8])
    raise FileRefused(
        f"{display}: de soort bestand is niet te herkennen aan de kolommen ({shown}); geef de soort op met --kind "
        f"({', '.join(KINDS)})."
    )


def _known_regions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.cursor().execute("SELECT code, niveau FROM regions").df()


def _prepare(con, path: Path, options: LoadOptions, display: str, progress: Progress) -> tuple[str, Prepared]:
    if options.kind is not None and options.kind not in PREPARE:
        raise FileRefused(f"{display}: onbekende soort '{options.kind}' (kies uit {', '.join(KINDS)}).")
    progress(f"{display}: lezen")
    raw = read_table(path, display, options.sheet)
    kind = options.kind or detect_kind(raw, display)
    if kind == "geo" and raw.fmt != "geojson":
        raise FileRefused(f"{display}: grenzen (soort geo) moeten een GeoJSON FeatureCollection zijn.")
    if kind != "geo" and raw.fmt == "geojson":
        raise FileRefused(f"{display}: een GeoJSON-bestand kan alleen als soort geo worden geladen.")
    progress(f"{display}: controleren als {kind} ({len(raw.frame):,} rijen)".replace(",", "."))
    ctx = LoadContext(con=con, display=display, options=options, known_regions=_known_regions(con),
                      today=pd.Timestamp(dt.date.today()))
    return kind, PREPARE[kind](raw, ctx)


def check_file(con, path, options: LoadOptions | None = None, display_name: str | None = None,
               progress: Progress | None = None) -> LoadReport:
    """Validate a file as it would be loaded, without writing anything."""
    return _check(con, Path(path), options or LoadOptions(), display_name, progress)[0]


def _check(con, path: Path, options: LoadOptions, display_name: str | None,
           progress: Progress | None) -> tuple[LoadReport, Prepared | None]:
    display = display_name or path.name
    report = LoadReport(file_name=display, kind=options.kind)
    started = time.perf_counter()
    try:
        report.kind, prepared = _prepare(con, path, options, display, progress or (lambda _: None))
    except FileRefused as exc:
        report.refused = True
        report.problems = [_file_problem(m, display) for m in exc.messages]
        return report, None
    report.rows_accepted = prepared.rows_accepted
    report.problems = prepared.problems
    report.rows_rejected = _rejected_rows(prepared)
    report.warnings = list(prepared.warnings)
    report.seconds = time.perf_counter() - started
    return report, prepared


def _rejected_rows(prepared: Prepared) -> int:
    return len({p.row for p in prepared.problems if p.row is not None})


def _file_problem(message: str, display: str) -> Problem:
    """`'f.csv, rij 1: text'` -> Problem(row=1, message='text'); `'f.csv: text'` -> Problem(message='text')."""
    m = re.match(rf"^{re.escape(display)}(?:, rij (\d+))?: (.*)$", message, re.DOTALL)
    if not m:
        return Problem(message=message)
    return Problem(row=int(m.group(1)) if m.group(1) else None, message=m.group(2))


def load_file(con, path, options: LoadOptions | None = None, display_name: str | None = None,
              progress: Progress | None = None, refresh: bool = True, is_demo: bool = False) -> LoadReport:
    """Validate and load one file in one transaction; a refused file changes nothing.

    Loading a file that was loaded before with the same options changes nothing either.
    """
    path, options = Path(path), options or LoadOptions()
    progress = progress or (lambda _: None)
    started = time.perf_counter()
    report, prepared = _check(con, path, options, display_name, progress)
    if prepared is None:
        return report
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    previous = con.cursor().execute(
        "SELECT loaded_at FROM load_log WHERE sha256 = ? AND kind = ? AND options = ?",
        [sha, report.kind, options.key()],
    ).fetchall()
    if previous:
        report.already_loaded = True
        report.warnings.insert(0, f"al geladen op {nl.datetime(previous[0][0])}")
        return report
    progress(f"{report.file_name}: opslaan")
    write(con, report.kind, prepared, report.file_name, sha, options, is_demo)
    if refresh:
        progress("indicatoren herberekenen")
        refresh_indicators(con)
    report.seconds = time.perf_counter() - started
    return report


def refresh_indicators(con) -> None:
    try:
        from indicators import refresh
    except ImportError:
        return
    refresh(con)


def write(con, kind: str, prepared: Prepared, display: str, sha: str, options: LoadOptions, is_demo: bool) -> int:
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        load_id = cur.execute("SELECT nextval('load_id_seq')").fetchall()[0][0]
        for sql, params in prepared.before:
            cur.execute(sql, params)
        for table, frame in prepared.tables.items():
            if len(frame):
                _write_table(cur, table, frame, load_id)
        rejected = _rejected_rows(prepared)
        cur.execute(
            "INSERT INTO load_log VALUES (?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, ?, ?)",
            [load_id, display, kind, sha, options.key(), prepared.rows_accepted, rejected, is_demo,
             "\n".join(prepared.warnings) or None],
        )
        cur.execute("COMMIT")
    except Exception:
        cur.execute("ROLLBACK")
        raise
    return load_id


SPECIAL_WRITES = {
    "regions_if_new": ("regions", "INSERT INTO regions (code, name, niveau, load_id) "
                       "SELECT code, name, niveau, ? FROM frame ON CONFLICT (code) DO UPDATE SET "
                       "name = coalesce(regions.name, excluded.name)"),
    "region_parents_if_new": ("region_parents", "INSERT INTO region_parents SELECT code, parent_code, ? FROM frame "
                              "ON CONFLICT DO NOTHING"),
    "region_geometry": ("regions", "UPDATE regions SET geometry = frame.geometry, load_id = coalesce(load_id, ?) "
                        "FROM frame WHERE regions.code = frame.code"),
}


def _write_table(cur, table: str, frame: pd.DataFrame, load_id: int) -> None:
    cur.register("frame", frame)
    try:
        if table in SPECIAL_WRITES:
            cur.execute(SPECIAL_WRITES[table][1], [load_id])
            return
        columns = list(frame.columns)
        keys = _primary_key(cur, table)
        updates = [c for c in columns if c not in keys] + ["load_id"]
        column_list = ", ".join(columns + ["load_id"])
        action = "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in updates) if updates else "DO NOTHING"
        cur.execute(
            f"INSERT INTO {table} ({column_list}) SELECT {', '.join(columns)}, ? FROM frame "
            f"ON CONFLICT ({', '.join(keys)}) {action}",
            [load_id],
        )
    finally:
        cur.unregister("frame")


def _primary_key(cur, table: str) -> list[str]:
    row = cur.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
        [table],
    ).fetchall()
    return list(row[0][0])
