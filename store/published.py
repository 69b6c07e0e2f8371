"""The app's read-only source: an export (`store.export`) or a DuckDB file on shared storage, never written.

Set with `$JEUGDMONITOR_BRON` (or `bron` under `[jeugdmonitor]` in `.streamlit/secrets.toml`, see `ui.db`). Then
several app processes, behind a load balancer, serve one national store that one loader machine writes:
- a folder: an export. An in-memory DuckDB connection with a view per exported table over its Parquet files (the
  per-gemeente tables with Hive partitioning, so `WHERE gemeente_code = $g` reads that gemeente's files only), under
  the table names the queries use: the pages run the same SQL as on the database.
- a `.duckdb` file: opened read-only (DuckDB lets many processes read one file); never migrated, so it must have
  this version's schema.

`ReadOnlySource` has what the pages use of `store.shared.SharedDatabase` (`cursor`, `execute`, `version`,
`end_run`, `path`); `writing()` refuses in Dutch. When the source is replaced (a symlink `current -> export-…`
switched to a new export, or a new copy of the file renamed into place), the next page run opens the new one.
"""

from __future__ import annotations

import json
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from store import db
from store.errors import NotADatabase, StoreError
from store.export import FORMAT, MANIFEST, TABLES
from store.schema import SCHEMA_VERSION, current_version

READ_ONLY = "De bron {path} is alleen-lezen: {what} kan hier niet (dat gebeurt op de laadcomputer)."


class ReadOnly(StoreError):
    """A write was asked of the read-only source; the message is Dutch."""


def configured() -> Path | None:
    """The source named by `$JEUGDMONITOR_BRON`, or None (then the app uses its own database)."""
    value = os.environ.get("JEUGDMONITOR_BRON", "").strip()
    return Path(value) if value else None


class ReadOnlySource:
    """One export folder or DuckDB file, read by the page runs of this process."""

    read_only = True

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple | None = None
        self.manifest: dict | None = None
        self._reopen_if_replaced()

    # -- what the pages use ----------------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            return self._con.cursor()

    def execute(self, *args, **kwargs) -> duckdb.DuckDBPyConnection:
        return self.cursor().execute(*args, **kwargs)

    def end_run(self) -> None:
        """Nothing to give back: no writer ever waits for this source."""

    def version(self) -> str:
        """A token that changes when the source is replaced by a new export or copy (then it is opened anew)."""
        self._reopen_if_replaced()
        return f"bron:{self._identity}"

    @contextmanager
    def writing(self, what: str, progress=None) -> Iterator[duckdb.DuckDBPyConnection]:
        raise ReadOnly(READ_ONLY.format(path=self.path, what=what))
        yield  # pragma: no cover  (a generator, so that `with` raises at its start)

    # -- opening ---------------------------------------------------------------------------------------------
    def _reopen_if_replaced(self) -> None:
        identity = _identity(self.path)
        with self._lock:
            if identity == self._identity and self._con is not None:
                return
        con, manifest = _open(self.path)
        with self._lock:
            # Runs still reading the previous one keep their cursors; it closes when the last one is gone.
            self._con, self.manifest, self._identity = con, manifest, identity


def _identity(path: Path) -> tuple:
    """What changes when the source is replaced: where a symlink points, the inode and time of its contents."""
    try:
        real = path.resolve(strict=True)
    except (FileNotFoundError, RuntimeError):
        raise StoreError(f"De bron {path} (JEUGDMONITOR_BRON) bestaat niet. Geef de map van een export "
                         f"(python -m indicators export --parquet MAP) of een .duckdb-bestand op.") from None
    marker = real / MANIFEST if real.is_dir() else real
    try:
        info = marker.stat()
    except FileNotFoundError:
        raise NotADatabase(f"{path} is geen export van de Jeugdmonitor: {MANIFEST} ontbreekt (is de export nog "
                           f"bezig, of is dit een andere map?).") from None
    return str(real), info.st_ino, info.st_mtime_ns, info.st_size


def _open(path: Path) -> tuple[duckdb.DuckDBPyConnection, dict | None]:
    real = path.resolve()
    if real.is_dir():
        return _open_export(real)
    con = db.open_file(real, True, wait=0, what="lezen")
    found = current_version(con)
    if found != SCHEMA_VERSION:
        con.close()
        raise NotADatabase(f"De database {path} heeft schemaversie {found}; deze Jeugdmonitor leest alleen-lezen "
                           f"alleen versie {SCHEMA_VERSION}. Werk de database bij op de laadcomputer "
                           f"(python -m loaders status) en zet de kopie opnieuw klaar.")
    return con, None


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("formaat") != FORMAT:
        raise NotADatabase(f"{folder} is geen export van de Jeugdmonitor ({MANIFEST} ontbreekt of is onleesbaar).")
    if manifest.get("schemaversie") != SCHEMA_VERSION:
        raise NotADatabase(f"De export {folder} is gemaakt met schemaversie {manifest.get('schemaversie')}; deze "
                           f"Jeugdmonitor leest versie {SCHEMA_VERSION}. Maak de export opnieuw met deze versie.")
    return manifest


def _open_export(folder: Path) -> tuple[duckdb.DuckDBPyConnection, dict]:
    """An in-memory connection with one view per exported table, its columns in the database's order."""
    manifest = read_manifest(folder)
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    for table in TABLES:
        columns = manifest.get("kolommen", {}).get(table.name)
        try:
            if table.partitioned:
                relation = con.read_parquet(str(folder / table.location / "*" / "*.parquet"), hive_partitioning=True)
            else:
                relation = con.read_parquet(str(folder / table.location))
            complete = bool(columns) and set(columns) == set(relation.columns)
        except duckdb.IOException:
            complete = False
        if not complete:
            con.close()
            raise NotADatabase(f"De export {folder} is onvolledig of beschadigd: de tabel {table.name} ontbreekt of "
                               f"heeft niet de kolommen die {MANIFEST} noemt. Maak de export opnieuw.")
        relation.select(*map(duckdb.ColumnExpression, columns)).create_view(table.name)
    return con, manifest
