"""The small-scale benchmark: the real loaders and indicator layer against the pandas baseline (no timing checks)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from benchmarks.baseline import INDICATOR_IDS
from benchmarks.compare import compare, product_values
from benchmarks.generate import generate, read_manifest
from benchmarks.run import fresh_database

ROOT = Path(__file__).resolve().parent.parent
REQUIRED_KEYS = {"scale", "rows", "load_seconds", "compute_seconds", "baseline_seconds", "speedup", "agree",
                 "peak_rss_mb", "page_seconds", "floor_seconds", "load_floor_multiple", "end_to_end_seconds",
                 "end_to_end_vs_baseline", "export_seconds", "export_page_seconds", "wijk_switch_seconds"}


@pytest.fixture(scope="module")
def small_run(tmp_path_factory) -> dict:
    """One run of `python -m benchmarks run --scale small`, as CI would start it."""
    base = tmp_path_factory.mktemp("bench")
    paths = {"data": base / "data", "db": base / "bench.duckdb", "json": base / "result.json"}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "run", "--scale", "small", "--data", str(paths["data"]),
         "--db", str(paths["db"]), "--json", str(paths["json"])],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return paths | {"result": json.loads(paths["json"].read_text(encoding="utf-8")), "stdout": proc.stdout}


def test_both_implementations_agree_on_every_compared_indicator(small_run):
    result = small_run["result"]
    assert result["agree"] is True, result["comparison"]["examples"]
    per_indicator = result["comparison"]["per_indicator"]
    assert set(per_indicator) == set(INDICATOR_IDS)
    assert all(counts.get("equal", 0) > 0 for counts in per_indicator.values())
    assert "Zelfde waarden: ja" in small_run["stdout"]


def test_json_has_the_keys_and_the_loader_counts(small_run):
    result = small_run["result"]
    assert REQUIRED_KEYS <= set(result)
    assert result["scale"] == "small"
    traject_files = [f for f in read_manifest(small_run["data"])["files"] if f["kind"] == "trajecten"]
    # the generator writes rows with a start before the request, and exact duplicates that load once
    invalid = sum(f["invalid"] for f in traject_files)
    duplicates = sum(f["duplicates"] for f in traject_files)
    assert invalid > 0 and duplicates > 0
    assert result["rows_rejected"]["trajecten"] == invalid
    assert result["rows"]["trajecten"] == sum(f["rows"] for f in traject_files) - invalid - duplicates
    assert result["loader_check"]["ok"] is True
    assert set(result["load_seconds"]) == {"regios", "normen", "bevolking", "budget", "bereik", "cbs", "trajecten"}
    assert result["speedup"] == pytest.approx(result["baseline_seconds"] / result["compute_seconds"])


def test_pages_are_timed_from_the_export_and_the_wijk_switch_in_the_browser(small_run):
    result = small_run["result"]
    served = result["export_pages"]
    assert not served["startup_errors"] and not served["errors"], served
    assert set(served["seconds"]) == set(result["pages"]["seconds"]) and served["gemeente"]
    assert result["export"]["rows"] == result["indicator_rows"]
    switch = result["wijk_switch"]
    assert len(switch["seconds"]) == min(6, switch["wijken"] - 1) and switch["wijken"] > 1
    assert "Wijk wisselen in Chromium" in small_run["stdout"]


def test_floor_reads_the_same_files_and_each_load_is_a_multiple_of_it(small_run):
    """The floor read every trajectory row and every KWB value of the generated files, in the same run."""
    result, manifest = small_run["result"], read_manifest(small_run["data"])
    work = small_run["db"].parent / f"{small_run['db'].stem}_run"
    floor = json.loads((work / "floor.json").read_text(encoding="utf-8"))["kinds"]
    assert floor["trajecten"]["rows"] == sum(f["rows"] for f in manifest["files"] if f["kind"] == "trajecten")
    assert floor["cbs"]["files"] == sum(1 for f in manifest["files"] if f["kind"] == "cbs")
    assert floor["cbs"]["rows"] > 0
    assert set(result["load_floor_multiple"]) == {"trajecten", "cbs"}
    for kind, multiple in result["load_floor_multiple"].items():
        assert multiple == pytest.approx(result["load_seconds"][kind] / result["floor_seconds"][kind])
    assert result["end_to_end_seconds"] == pytest.approx(result["load_total_seconds"] + result["compute_seconds"])
    assert "x vloer" in small_run["stdout"] and "Van ruwe bestanden tot gepubliceerde indicatoren" in small_run["stdout"]


def test_comparison_catches_a_changed_value(small_run):
    con = duckdb.connect(str(small_run["db"]), read_only=True)
    product = product_values(con)
    con.close()
    baseline = pd.read_parquet(small_run["db"].parent / "bench_run" / "baseline.parquet")
    assert compare(product, baseline)["agree"] is True
    row = baseline.index[(baseline["indicator_id"] == "wachttijd_mediaan_dagen") & (baseline["niveau"] == "GM")][0]
    baseline.loc[row, "waarde"] += 0.5
    outcome = compare(product, baseline)
    assert outcome["agree"] is False
    assert outcome["disagreements"] == 1
    assert outcome["per_indicator"]["wachttijd_mediaan_dagen"]["different"] == 1


def test_generator_is_seeded(tmp_path):
    first, second, other = (tmp_path / "a", tmp_path / "b", tmp_path / "c")
    manifest = generate("small", first)
    generate("small", second)
    generate("small", other, seed=7)
    for entry in manifest["files"]:
        assert (first / entry["file"]).read_bytes() == (second / entry["file"]).read_bytes(), entry["file"]
    assert (first / "trajecten_1.csv").read_bytes() != (other / "trajecten_1.csv").read_bytes()
    assert not any(code.startswith("GM999") for code in pd.read_csv(first / "regios.csv", sep=";")["regio_code"])


def test_run_refuses_to_overwrite_a_database_it_did_not_make(tmp_path):
    foreign = tmp_path / "eigen.duckdb"
    foreign.write_bytes(b"not a benchmark database")
    with pytest.raises(SystemExit, match="geen benchmarkdatabase"):
        fresh_database(foreign)
    assert foreign.read_bytes() == b"not a benchmark database"


def test_incremental_recompute_equals_full_at_small_scale(small_run):
    """The incremental phase: one gemeente reloaded with changed rows recomputes that gemeente alone and publishes
    what a full refresh publishes; the same rows as another file recompute nothing."""
    result = small_run["result"]
    assert result["incremental_equals_full"] is True, result["incremental_comparison"]
    assert result["incremental_recomputed"] == [result["incremental_gemeente"]]
    assert result["unchanged_recomputed"] == []
    assert result["targets"]["unchanged_reload_recomputes_nothing"] is True
    assert "Eén gemeente opnieuw laden" in small_run["stdout"]
