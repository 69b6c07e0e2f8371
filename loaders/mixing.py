"""Real and fictional data never share a database.

The fictional demo lives in a database of its own (`data/demo.duckdb`, built by `python -m loaders demo`); the
user's data in another (`data/jeugdmonitor.duckdb`, or `--db`/`$JEUGDMONITOR_DB`). So a real gemeente is never shown
beside a fictional benchmark, and a demo label never lands on real figures. A load that would mix them is refused:
a real file into the demo database, the demo into a database with real data, and a demo file loaded as a real one.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from loaders.report import FileRefused

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


def check(cur, display: str, sha: str, is_demo: bool) -> None:
    """Refuse (FileRefused) a load that would put real and fictional data in one database."""
    demo_loads, real_loads = cur.execute(
        "SELECT count(*) FILTER (WHERE is_demo), count(*) FILTER (WHERE NOT is_demo) FROM load_log").fetchone()
    if is_demo and real_loads:
        raise FileRefused(
            f"{display}: deze database bevat echte gegevens; de fictieve demo wordt daar niet bij geladen. "
            f"De demo krijgt een eigen databasebestand: python -m loaders demo (standaard data/demo.duckdb)."
        )
    if not is_demo and demo_loads:
        raise FileRefused(
            f"{display}: dit is de database van de fictieve demo; echte gegevens worden daar niet bij geladen, zodat "
            f"ze nooit naast verzonnen cijfers staan. Laad ze in een eigen database: python -m loaders load "
            f"BESTAND --db data/jeugdmonitor.duckdb (of met $JEUGDMONITOR_DB), en start het dashboard daarop "
            f"(JEUGDMONITOR_DB=data/jeugdmonitor.duckdb bash scripts/run)."
        )
    if not is_demo and sha in demo_hashes():
        raise FileRefused(
            f"{display}: dit is een bestand van de fictieve demo (data/demo/); het wordt niet als echte gegevens "
            f"geladen. De demo heeft een eigen database: python -m loaders demo."
        )


@functools.cache
def demo_hashes(demo_dir: Path = DEMO_DIR) -> frozenset[str]:
    """SHA-256 of every file the demo manifest names."""
    manifest = demo_dir / "manifest.json"
    if not manifest.exists():
        return frozenset()
    names = {entry["file"] for entry in json.loads(manifest.read_text(encoding="utf-8"))}
    names |= {entry["options"]["meta"] for entry in json.loads(manifest.read_text(encoding="utf-8"))
              if (entry.get("options") or {}).get("meta")}
    return frozenset(hashlib.sha256((demo_dir / name).read_bytes()).hexdigest() for name in sorted(names)
                     if (demo_dir / name).is_file())
