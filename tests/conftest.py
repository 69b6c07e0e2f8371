"""Shared fixtures: real DuckDB files, built through the real loaders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import store  # noqa: E402
from loaders import build_demo  # noqa: E402

SHARED_CBS = ROOT.parent / "shared" / "cbs"
STORE_TABLES = (
    "regions", "region_parents", "region_years", "cbs_values", "cbs_measures", "trajecten", "bereik_aantallen",
    "bereik_deelnemers", "bevolking", "budget", "taakveld_mapping", "streefwaarden", "normen", "load_log",
    "indicator_values", "wachttijd_verdeling", "duiding", "region_boundaries",
)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A freshly built demo database (copy it before writing to it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = store.connect(path)
    build_demo(con)
    con.close()
    return path


@pytest.fixture
def empty_db(tmp_path) -> Path:
    path = tmp_path / "empty.duckdb"
    store.connect(path).close()
    return path


@pytest.fixture
def con(tmp_path):
    connection = store.connect(tmp_path / "test.duckdb")
    yield connection
    connection.close()


@pytest.fixture
def shared_cbs() -> Path:
    if not SHARED_CBS.is_dir():
        pytest.skip(f"de echte CBS-bestanden staan niet in {SHARED_CBS} (alleen beschikbaar naast de repository)")
    return SHARED_CBS


def snapshot(con) -> dict[str, list]:
    """Every row of every store table, to assert that a refused file changed nothing."""
    cur = con.cursor()
    return {t: sorted(map(repr, cur.execute(f"SELECT * FROM {t}").fetchall())) for t in STORE_TABLES}


@pytest.fixture(autouse=True)
def _no_env_db(monkeypatch):
    monkeypatch.delenv("JEUGDMONITOR_DB", raising=False)
    yield
