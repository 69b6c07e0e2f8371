"""The phases of a benchmark run, each meant to run in a process of its own.

A fresh process per phase makes `ru_maxrss` the peak of that phase alone (loading, computing, a page, the pandas
baseline), instead of the peak of whatever ran before it in the same process.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

from benchmarks.generate import ensure_data, read_manifest


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of its largest finished child, in MB (Linux: ru_maxrss in KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def cpu_seconds() -> float:
    """User + system CPU time of this process (all its threads): less sensitive than wall time to a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 2)


def generate(scale: str, data: Path, seed: int) -> dict:
    began = time.perf_counter()
    manifest, reused = ensure_data(scale, data, seed)
    return {"reused": reused, "seconds": time.perf_counter() - began, "regions": manifest["regions"]}


def load(db: Path, data: Path) -> dict:
    """Load every generated file with the real loader (no refresh per file: `compute` times that once)."""
    import store
    from loaders import LoadOptions, load_file

    manifest = read_manifest(data)
    con = store.connect(db)
    files = []
    for entry in manifest["files"]:
        options = LoadOptions(kind=entry["kind"], jaar=entry.get("jaar"), table=entry.get("table"))
        began = time.perf_counter()
        report = load_file(con, data / entry["file"], options, refresh=False)
        seconds = time.perf_counter() - began
        if report.refused:
            raise SystemExit("\n".join(report.lines()))
        files.append({"file": entry["file"], "kind": entry["kind"], "rows_in_file": entry["rows"],
                      "invalid_in_file": entry.get("invalid", 0), "duplicates_in_file": entry.get("duplicates", 0),
                      "rows_accepted": report.rows_accepted, "rows_rejected": report.rows_rejected,
                      "seconds": seconds, "peak_rss_mb": peak_rss_mb()})
    stored = con.execute("SELECT count(*) FROM trajecten").fetchone()[0]
    con.execute("CHECKPOINT")
    con.close()
    return {"files": files, "trajecten_stored": stored}


def compute(db: Path) -> dict:
    """Compute every indicator through the real indicator layer on the fully loaded database, then once more.

    The first run is the product's own repair of the stale figures the loads left (`refresh=False` marks them
    stale): one refresh in a transaction that also clears the mark, so the pages phase finds current figures and
    does not recompute them again. The second recomputes with nothing changed.
    """
    import indicators
    import store
    from store import figures

    con = store.connect(db)
    began = time.perf_counter()
    if not figures.repair(con):
        indicators.refresh(con)
    seconds = time.perf_counter() - began
    rows = con.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
    began_again = time.perf_counter()
    indicators.refresh(con)
    again = time.perf_counter() - began_again
    stale = figures.is_stale(con)
    con.close()
    if stale:
        raise SystemExit("De cijfers zijn na het herberekenen nog als verouderd gemarkeerd.")
    return {"seconds": seconds, "seconds_again": again, "indicator_rows": rows}


def pages(db: Path) -> dict:
    from benchmarks.pagetimes import time_pages

    return time_pages(db)


def incremental(db: Path, check: bool) -> dict:
    """One gemeente's trajectories reloaded (changed a little, then unchanged) into a copy of the computed store,
    each with its recompute, timed; with `check` compared with a full refresh (`benchmarks.incremental`)."""
    from benchmarks.incremental import run_incremental

    return run_incremental(db, check)


def floor(data: Path, db: Path) -> dict:
    """DuckDB alone on the same trajectory and KWB files (`benchmarks.floor`), into a scratch database."""
    from benchmarks.floor import measure_floor

    return {"kinds": measure_floor(data, db)}


def baseline(data: Path, out: Path) -> dict:
    """The pandas baseline; its values go to a parquet file for the comparison."""
    from benchmarks.baseline import run_baseline

    values, timings = run_baseline(data, read_manifest(data))
    values.to_parquet(out, index=False)
    return {"seconds": timings["total"], "read_seconds": timings["read"], "compute_seconds": timings["compute"],
            "rows": len(values)}


def export(db: Path, out: Path) -> dict:
    from benchmarks.serve import export as run_export

    return run_export(db, out)


def export_pages(out: Path) -> dict:
    from benchmarks.serve import export_pages as run_pages

    return run_pages(out)


def wijk_switch(db: Path) -> dict:
    from benchmarks.serve import wijk_switch as run_switch

    return run_switch(db)


PHASES = {"generate": generate, "floor": floor, "load": load, "compute": compute, "incremental": incremental,
          "pages": pages, "baseline": baseline, "export": export, "export_pages": export_pages,
          "wijk_switch": wijk_switch}
