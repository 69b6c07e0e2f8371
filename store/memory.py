"""DuckDB's memory while the product does heavy work (a load, a refresh).

DuckDB's default limit is 80% of the machine's memory. Above a lower limit a load's temporary tables and a
refresh's joins and sorts go to disk (`<db>.tmp`), so the process stays under 2 GB at national scale in about the
same time (measured at national scale: a load of 2,5 million trajectories peaks 1,5 GB instead of 2,8 GB; a full
refresh 1,6 GB instead of 3,8 GB, 22,2 s instead of 21,1 s). The limit is DuckDB's, for the whole database instance,
and is restored afterwards; a lower limit the database already has is kept.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

import duckdb

WORK_MEMORY_BYTES = 1200 * 1000 ** 2
_UNITS = {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "KiB": 2 ** 10, "MiB": 2 ** 20, "GiB": 2 ** 30,
          "TiB": 2 ** 40}


def limit_bytes(setting: str) -> float | None:
    """DuckDB's `memory_limit` setting ('1.2 GB', '3.7 GiB') in bytes; None when it is not a size."""
    m = re.fullmatch(r"([\d.]+)\s*([KMGT]?i?B)", setting.strip())
    return float(m.group(1)) * _UNITS[m.group(2)] if m and m.group(2) in _UNITS else None


@contextmanager
def memory_cap(cur: duckdb.DuckDBPyConnection, cap: int = WORK_MEMORY_BYTES) -> Iterator[None]:
    """Lower DuckDB's memory limit to `cap` bytes for the duration of the block; restore it afterwards."""
    before = _setting(cur)
    current = limit_bytes(before)
    if current is not None and current <= cap:
        yield
        return
    cur.execute("SET memory_limit = ?", [f"{cap // 1000 ** 2}MB"])
    try:
        yield
    finally:
        _restore(cur, before)


def _setting(cur: duckdb.DuckDBPyConnection) -> str:
    return cur.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]


def _restore(cur: duckdb.DuckDBPyConnection, before: str) -> None:
    """Set the limit shown as `before` again. DuckDB shows it truncated to one decimal ('2.7 GiB'), and setting what
    it showed would lower it a little on every load: the default comes back exactly with RESET, another limit as the
    middle of the shown decimal (2.75 GiB, shown as 2.7 GiB again)."""
    cur.execute("RESET memory_limit")
    if _setting(cur) == before:
        return
    m = re.fullmatch(r"([\d.]+)\s*(\S+)", before.strip())
    cur.execute("SET memory_limit = ?", [f"{float(m.group(1)) + 0.05} {m.group(2)}" if m else before])
