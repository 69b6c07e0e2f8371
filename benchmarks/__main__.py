"""Command line: `python -m benchmarks run|generate`.

    python -m benchmarks run [--scale gemeente|national|small] [--json FILE] [--db PATH] [--data DIR] [--profile DIR]
    python -m benchmarks generate [--scale ...] [--data DIR]

Without --data the data goes to `benchmarks/out/<scale>/data` (git-ignored) and is reused while the scale, seed
and generator version stay the same; without --db the database is `benchmarks/out/<scale>/jeugdmonitor.duckdb`.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
from pathlib import Path

from benchmarks.generate import DEFAULT_SEED
from common import nl
from benchmarks.world import SCALES

PATH_ARGS = ("db", "data", "out")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="Schaalbenchmarks van Jeugdmonitor.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="genereren, laden, berekenen en vergelijken met de pandas-basislijn")
    gen = sub.add_parser("generate", help="alleen de synthetische gegevens genereren")
    for p in (run, gen):
        p.add_argument("--scale", choices=list(SCALES), default="national")
        p.add_argument("--data", type=Path, help="map voor de gegenereerde bestanden")
        p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    run.add_argument("--db", type=Path, help="DuckDB-bestand voor de benchmark (wordt opnieuw opgebouwd)")
    run.add_argument("--json", type=Path, help="schrijf de resultaten als JSON naar dit bestand")
    run.add_argument("--profile", type=Path, help="map voor cProfile-profielen van elke fase")
    phase = sub.add_parser("_phase", help=argparse.SUPPRESS)
    phase.add_argument("name")
    phase.add_argument("--kwargs", required=True)
    phase.add_argument("--result", type=Path, required=True)
    phase.add_argument("--profile", type=Path)
    return parser


def run_phase(name: str, kwargs: dict, result: Path, profile: Path | None) -> None:
    from benchmarks.phases import PHASES, cpu_seconds, peak_rss_mb

    args = {k: Path(v) if k in PATH_ARGS else v for k, v in kwargs.items()}
    load_before = os.getloadavg()[0]
    if profile:
        profiler = cProfile.Profile()
        outcome = profiler.runcall(PHASES[name], **args)
        profiler.dump_stats(profile / f"{name}.prof")
        with (profile / f"{name}.txt").open("w", encoding="utf-8") as handle:
            pstats.Stats(profiler, stream=handle).sort_stats("cumulative").print_stats(40)
    else:
        outcome = PHASES[name](**args)
    outcome["peak_rss_mb"] = peak_rss_mb()
    outcome["cpu_seconds"] = cpu_seconds()
    outcome["load_average"] = [load_before, os.getloadavg()[0]]
    result.write_text(json.dumps(outcome, default=str), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "_phase":
        run_phase(args.name, json.loads(args.kwargs), args.result, args.profile)
    elif args.command == "generate":
        from benchmarks.generate import ensure_data
        from benchmarks.run import OUT

        manifest, reused = ensure_data(args.scale, args.data or OUT / args.scale / "data", args.seed)
        rows = nl.number(sum(f["rows"] for f in manifest["files"]))
        print(f"{'Hergebruikt' if reused else 'Gegenereerd'}: {len(manifest['files'])} bestanden, {rows} rijen")
    else:
        from benchmarks.run import run

        run(args.scale, args.data, args.db, args.json, args.seed, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
