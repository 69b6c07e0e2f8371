"""The fictional demo: `data/demo/manifest.json` lists its files in load order."""

from __future__ import annotations

import json
from pathlib import Path

from loaders.pipeline import Progress, load_file, refresh_indicators

DEMO_USER = "fictieve demo"
from loaders.report import LoadOptions, LoadReport

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
TABLES_WITH_LOADS = (
    "regions", "region_parents", "region_years", "cbs_values", "cbs_measures", "trajecten", "bereik_aantallen",
    "bereik_deelnemers", "bevolking", "budget", "streefwaarden", "normen", "region_boundaries",
)


class DemoBroken(RuntimeError):
    pass


def remove_demo(con) -> None:
    """Delete every row that came from a demo load, and those loads; the user's own data stays."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        for table in TABLES_WITH_LOADS:
            cur.execute(
                f"DELETE FROM {table} WHERE load_id IN (SELECT load_id FROM load_log WHERE is_demo)"
            )
        cur.execute("DELETE FROM load_log WHERE is_demo")
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise


def build_demo(con, progress: Progress | None = None, demo_dir: Path = DEMO_DIR) -> list[LoadReport]:
    """Replace the demo in the database with the files in `data/demo/`, then recompute the indicators."""
    manifest = json.loads((demo_dir / "manifest.json").read_text(encoding="utf-8"))
    remove_demo(con)
    reports = []
    for number, entry in enumerate(manifest, start=1):
        options = dict(entry.get("options") or {})
        if options.get("meta"):
            options["meta"] = str(demo_dir / options["meta"])
        if progress:
            progress(f"[{number}/{len(manifest)}] {entry['file']}")
        report = load_file(con, demo_dir / entry["file"], LoadOptions(kind=entry["kind"], **options),
                           refresh=False, is_demo=True, loaded_by=DEMO_USER)
        if report.refused:
            raise DemoBroken("\n".join(report.lines()))
        reports.append(report)
    if progress:
        progress("indicatoren berekenen")
    refresh_indicators(con)
    return reports
