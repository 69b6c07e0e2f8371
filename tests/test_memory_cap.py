"""The memory cap of heavy work: lowered during a load or a refresh, restored afterwards, a lower limit kept.

DuckDB shows its limit rounded to one decimal (`2.7 GiB` for 3 GB), and restoring sets what it showed: hence the
5% margins."""

from __future__ import annotations

import shutil

import duckdb
import pytest

import indicators
import store
from loaders import load_file
from store.memory import WORK_MEMORY_BYTES, limit_bytes, memory_cap


def _limit(con) -> float:
    return limit_bytes(con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])


def test_cap_lowers_and_restores(con):
    con.execute("SET memory_limit = '3GB'")
    with memory_cap(con.cursor()):
        assert _limit(con) == pytest.approx(WORK_MEMORY_BYTES, rel=0.05)
    assert _limit(con) == pytest.approx(3e9, rel=0.05)


def test_cap_restores_after_an_error(con):
    con.execute("SET memory_limit = '3GB'")
    with pytest.raises(duckdb.CatalogException):
        with memory_cap(con):
            con.execute("SELECT * FROM geen_tabel")
    assert _limit(con) == pytest.approx(3e9, rel=0.05)


def test_a_lower_limit_is_kept(con):
    con.execute("SET memory_limit = '500MB'")
    with memory_cap(con):
        assert _limit(con) == pytest.approx(500e6, rel=0.05)
    assert _limit(con) == pytest.approx(500e6, rel=0.05)


@pytest.mark.parametrize("text, expected", [("1.2 GB", 1.2e9), ("3.7 GiB", 3.7 * 2 ** 30), ("512.0 MiB", 2 ** 29),
                                            ("onbekend", None)])
def test_limit_bytes(text, expected):
    assert limit_bytes(text) == (pytest.approx(expected) if expected else None)


def test_refresh_and_load_leave_the_limit_as_it_was(demo_db, tmp_path):
    path = tmp_path / "db.duckdb"
    shutil.copy(demo_db, path)
    con = store.connect(path)
    con.execute("SET memory_limit = '3GB'")
    assert indicators.refresh(con) > 0
    assert _limit(con) == pytest.approx(3e9, rel=0.05)
    csv = tmp_path / "streefwaarden.csv"
    csv.write_text("indicator_id,regio_code,jaar,streefwaarde,richting\n", encoding="utf-8")
    load_file(con, csv)
    assert _limit(con) == pytest.approx(3e9, rel=0.05)
    con.close()


def test_repeated_caps_do_not_lower_the_limit(con):
    """DuckDB shows the limit truncated; restoring what it shows must not creep down load after load."""
    con.execute("RESET memory_limit")
    default = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    for _ in range(5):
        with memory_cap(con):
            pass
    assert con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] == default
    con.execute("SET memory_limit = '3GB'")
    shown = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    for _ in range(5):
        with memory_cap(con):
            pass
    assert con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] == shown
