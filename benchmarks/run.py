"""`python -m benchmarks run`: generate or reuse the data, then load, compute, time a page and run the baseline.

Each phase runs in a child process (see `benchmarks.phases`); this process only orchestrates, compares the
values, prints the table and writes the JSON.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd

from benchmarks import incremental
from benchmarks.compare import compare, product_values
from benchmarks.generate import DEFAULT_SEED
from benchmarks.report import print_table

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
MARKER_SUFFIX = ".benchmark"
TARGETS = {"compute_speedup_min": 10.0, "compute_seconds_max": 10.0, "load_trajecten_seconds_max": 60.0,
           "peak_rss_mb_max": 2048.0, "page_seconds_max": 0.2, "floor_multiple_max": 2.5,
           "export_page_seconds_max": 0.2, "wijk_switch_seconds_max": 0.5}


def fresh_database(db: Path) -> None:
    """Remove a database this benchmark made before; refuse to touch any other file."""
    marker = db.with_name(db.name + MARKER_SUFFIX)
    if db.exists() and not marker.exists():
        raise SystemExit(f"{db} bestaat al en is geen benchmarkdatabase; kies met --db een nieuw bestand.")
    for path in (db, db.with_name(db.name + ".wal")):
        path.unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("Gemaakt door python -m benchmarks run; wordt bij de volgende run overschreven.\n",
                      encoding="utf-8")


def child(name: str, kwargs: dict, work: Path, profile: Path | None) -> dict:
    """Run one phase in a fresh Python process and return what it reported."""
    result = work / f"{name}.json"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "benchmarks", "_phase", name, "--kwargs", json.dumps(kwargs),
           "--result", str(result)]
    if profile:
        cmd += ["--profile", str(profile)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    proc = subprocess.run(cmd, cwd=ROOT, env=env)
    if proc.returncode:
        raise SystemExit(f"Benchmarkfase '{name}' is mislukt (exitstatus {proc.returncode}).")
    return json.loads(result.read_text(encoding="utf-8"))


def _per_kind(files: list[dict], key: str) -> dict:
    out: dict[str, float] = {}
    for f in files:
        out[f["kind"]] = out.get(f["kind"], 0) + f[key]
    return out


def loader_check(load: dict) -> dict:
    """The loader's counts for the trajectory files against what the generator put in them."""
    files = [f for f in load["files"] if f["kind"] == "trajecten"]
    invalid = sum(f["invalid_in_file"] for f in files)
    expected = sum(f["rows_in_file"] - f["invalid_in_file"] - f["duplicates_in_file"] for f in files)
    check = {"invalid_in_files": invalid, "rejected_reported": sum(f["rows_rejected"] for f in files),
             "expected_in_store": expected, "accepted_reported": sum(f["rows_accepted"] for f in files),
             "in_store": load["trajecten_stored"]}
    check["ok"] = check["rejected_reported"] == invalid and check["accepted_reported"] == expected == check["in_store"]
    return check


def summarise(scale: str, phases: dict, comparison: dict) -> dict:
    files = phases["load"]["files"]
    rows, seconds = _per_kind(files, "rows_accepted"), _per_kind(files, "seconds")
    in_files = _per_kind(files, "rows_in_file")
    compute, base = phases["compute"], phases["baseline"]
    pages = phases["pages"]
    peaks = {name: p["peak_rss_mb"] for name, p in phases.items()}
    result = {
        "scale": scale,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "duckdb": duckdb.__version__,
                    "pandas": pd.__version__},
        "regions": phases["generate"]["regions"],
        "data_reused": phases["generate"]["reused"],
        "generate_seconds": phases["generate"]["seconds"],
        "rows": rows,
        "rows_rejected": _per_kind(files, "rows_rejected"),
        "load_seconds": seconds,
        "load_total_seconds": sum(seconds.values()),
        "load_rows_per_second": {k: in_files[k] / seconds[k] for k in seconds if seconds[k] > 0},
        "load_files": files,
        "loader_check": loader_check(phases["load"]),
        "compute_seconds": compute["seconds"],
        "compute_again_seconds": compute["seconds_again"],
        "indicator_rows": compute["indicator_rows"],
        "compute_input_rows_per_second": sum(rows.values()) / compute["seconds"],
        "baseline_seconds": base["seconds"],
        "baseline_read_seconds": base["read_seconds"],
        "baseline_compute_seconds": base["compute_seconds"],
        "speedup": base["seconds"] / compute["seconds"],
        "speedup_without_reading": base["compute_seconds"] / compute["seconds"],
        "agree": comparison["agree"],
        "comparison": comparison,
        "peak_rss_mb": max(peaks["load"], peaks["compute"], peaks["pages"]),
        "peak_rss_mb_by_phase": peaks,
        "cpu_seconds_by_phase": {name: p["cpu_seconds"] for name, p in phases.items()},
        "load_average_by_phase": {name: p["load_average"] for name, p in phases.items()},
        "page_seconds": pages["slowest_seconds"],
        "pages": pages,
        "export_seconds": phases["export"]["seconds"],
        "export": phases["export"],
        "export_page_seconds": phases["export_pages"]["slowest_seconds"],
        "export_pages": phases["export_pages"],
        "wijk_switch_seconds": phases["wijk_switch"]["median_seconds"],
        "wijk_switch": phases["wijk_switch"],
    }
    floor = phases["floor"]["kinds"]
    result["floor_seconds"] = {kind: f["seconds"] for kind, f in floor.items()}
    result["load_floor_multiple"] = {kind: seconds[kind] / f["seconds"] for kind, f in floor.items()
                                     if kind in seconds and f["seconds"] > 0}
    result.update(incremental.summary(phases["incremental"], result["compute_seconds"]))
    result["end_to_end_seconds"] = result["load_total_seconds"] + result["compute_seconds"]
    result["end_to_end_vs_baseline"] = result["end_to_end_seconds"] / base["seconds"]
    result["targets"] = {
        "compute_10x_baseline": result["speedup"] >= TARGETS["compute_speedup_min"],
        "compute_under_10s": result["compute_seconds"] < TARGETS["compute_seconds_max"],
        "load_trajecten_under_60s": seconds.get("trajecten", 0) < TARGETS["load_trajecten_seconds_max"],
        "trajecten_within_2_5x_floor": result["load_floor_multiple"].get("trajecten", 0)
        <= TARGETS["floor_multiple_max"],
        "kwb_within_2_5x_floor": result["load_floor_multiple"].get("cbs", 0) <= TARGETS["floor_multiple_max"],
        "end_to_end_faster_than_baseline": result["end_to_end_seconds"] < base["seconds"],
        "peak_under_2gb_every_phase": all(v < TARGETS["peak_rss_mb_max"] for k, v in peaks.items()
                                          if k not in ("generate", "baseline")),
        "page_under_0_2s": result["page_seconds"] is not None
        and result["page_seconds"] < TARGETS["page_seconds_max"],
        "export_page_under_0_2s": result["export_page_seconds"] is not None
        and result["export_page_seconds"] < TARGETS["export_page_seconds_max"],
        "wijk_switch_under_0_5s": result["wijk_switch_seconds"] < TARGETS["wijk_switch_seconds_max"],
    }
    result["targets"].update(incremental.targets(result))
    return result


def run(scale: str, data: Path | None, db: Path | None, json_out: Path | None, seed: int = DEFAULT_SEED,
        profile: Path | None = None) -> dict:
    base = OUT / scale
    data = data or base / "data"
    db = db or base / "jeugdmonitor.duckdb"
    work = db.parent / f"{db.stem}_run"
    work.mkdir(parents=True, exist_ok=True)
    if profile:
        profile.mkdir(parents=True, exist_ok=True)
    fresh_database(db)
    parquet = work / "baseline.parquet"
    phases = {
        "generate": child("generate", {"scale": scale, "data": str(data), "seed": seed}, work, profile),
        "floor": child("floor", {"data": str(data), "db": str(work / "floor.duckdb")}, work, profile),
        "load": child("load", {"db": str(db), "data": str(data)}, work, profile),
        "compute": child("compute", {"db": str(db)}, work, profile),
        "incremental": child("incremental", {"db": str(db), "check": scale != "national"}, work, profile),
        "pages": child("pages", {"db": str(db)}, work, profile),
        "export": child("export", {"db": str(db), "out": str(work / "export")}, work, profile),
        "export_pages": child("export_pages", {"out": str(work / "export")}, work, profile),
        "wijk_switch": child("wijk_switch", {"db": str(db)}, work, profile),
        "baseline": child("baseline", {"data": str(data), "out": str(parquet)}, work, profile),
    }
    con = duckdb.connect(str(db), read_only=True)
    comparison = compare(product_values(con), pd.read_parquet(parquet))
    con.close()
    result = summarise(scale, phases, comparison)
    print_table(result)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return result
