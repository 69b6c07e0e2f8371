"""The fictional demo: `data/demo/manifest.json` lists its files in load order.

The demo has a database of its own (`loaders.mixing`); it is built in one transaction with its indicators, so a
build that fails or is killed leaves the database as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from loaders import registry
from loaders.mixing import DEMO_DIR
from loaders.pipeline import Progress, quiet, rollback, db_file, load_in_transaction
from loaders.report import LoadOptions, LoadReport
from store import disk_full, figures, is_disk_full

DEMO_USER = "fictieve demo"

TABLES_WITH_LOADS = registry.tables_with_loads()


class DemoBroken(RuntimeError):
    pass


def remove_demo(cur) -> None:
    """Delete every row that came from a demo load, and those loads (inside the caller's transaction)."""
    for table in TABLES_WITH_LOADS:
        cur.execute(f"DELETE FROM {table} WHERE load_id IN (SELECT load_id FROM load_log WHERE is_demo)")
    cur.execute("DELETE FROM load_log WHERE is_demo")


def build_demo(con, progress: Progress | None = None, demo_dir: Path = DEMO_DIR) -> list[LoadReport]:
    """Replace the demo in the database with the files in `data/demo/` and recompute the indicators, in one
    transaction. Refused (DemoBroken) in a database that holds real data."""
    manifest = json.loads((demo_dir / "manifest.json").read_text(encoding="utf-8"))
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        remove_demo(cur)
        reports = [_load(cur, demo_dir, entry, f"[{n}/{len(manifest)}] {entry['file']}", progress)
                   for n, entry in enumerate(manifest, start=1)]
        if progress:
            progress("indicatoren berekenen")
        figures.recompute(cur)
        cur.execute("COMMIT")
    except figures.NothingPublished as exc:
        rollback(cur)
        raise DemoBroken(str(exc)) from None
    except duckdb.Error as exc:
        rollback(cur)
        if is_disk_full(exc):
            raise disk_full(db_file(con), "het opbouwen van de demo") from None
        raise
    except BaseException:
        rollback(cur)
        raise
    return reports


def _load(cur, demo_dir: Path, entry: dict, step: str, progress: Progress | None) -> LoadReport:
    options = dict(entry.get("options") or {})
    if options.get("meta"):
        options["meta"] = str(demo_dir / options["meta"])
    if progress:
        progress(step)
    report = load_in_transaction(cur, demo_dir / entry["file"], LoadOptions(kind=entry["kind"], **options), None,
                                 quiet, is_demo=True, loaded_by=DEMO_USER)
    if report.refused:
        raise DemoBroken("\n".join(report.lines()))
    return report
