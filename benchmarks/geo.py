"""Boundary files: load time, points before and after simplification, stored size. Prints figures; asserts nothing.

    python -m benchmarks.geo [FILE ...]     # default: the geo_* files in ../shared/cbs/real/

Each file is loaded into a fresh database of its own (`--jaar 2024` where the file states no year), without the
indicator refresh, which has nothing to do with boundaries.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import shapely
from shapely.geometry import shape

import store
from loaders import LoadOptions, load_file

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "cbs" / "real"


def points_in(path: Path) -> int:
    features = json.loads(path.read_text(encoding="utf-8-sig"))["features"]
    return sum(int(shapely.get_num_coordinates(shape(f["geometry"]))) for f in features
               if f.get("geometry") and f["geometry"].get("coordinates"))


def measure(path: Path, folder: Path) -> dict:
    con = store.connect(folder / f"{path.stem}.duckdb")
    started = time.perf_counter()
    report = load_file(con, path, refresh=False)
    if report.refused:
        report = load_file(con, path, LoadOptions(jaar=2024), refresh=False)
    seconds = time.perf_counter() - started
    stored = con.execute("SELECT count(*), coalesce(sum(length(geometry)), 0) FROM region_boundaries").fetchone()
    after = sum(int(shapely.get_num_coordinates(shapely.from_geojson(g)))
                for (g,) in con.execute("SELECT geometry FROM region_boundaries").fetchall())
    con.close()
    return {"file": path.name, "mb": path.stat().st_size / 1e6, "seconds": seconds, "accepted": report.rows_accepted,
            "rejected": report.rows_rejected, "points_before": points_in(path), "points_after": after,
            "stored_mb": stored[1] / 1e6}


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(REAL.glob("geo_*"))
    if not files:
        print(f"geen grensbestanden gevonden in {REAL}")
        return 1
    print("file | MB | seconds | accepted | rejected | points in file | points stored | stored MB")
    with tempfile.TemporaryDirectory() as folder:
        for path in files:
            r = measure(path, Path(folder))
            print(f"{r['file']} | {r['mb']:.2f} | {r['seconds']:.2f} | {r['accepted']} | {r['rejected']} | "
                  f"{r['points_before']} | {r['points_after']} | {r['stored_mb']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
