"""A small real-shaped database (a gemeente, two wijken, one KWB year) and the commands the concurrency tests run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

import store
from loaders import LoadOptions, load_file
from tests.loader_files import REGIOS, write

ROOT = Path(__file__).resolve().parent.parent
KWB = LoadOptions(jaar=2024, table="85984NED")
KWB_ARGS = ["--jaar", "2024", "--table", "85984NED"]


def kwb(pct: str, name: str = "Testgemeente") -> str:
    """A KWB-shaped CBS file for 2024 whose gemeente has this jeugdhulp percentage."""
    return ("ID;WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;AantalInwoners_5;k_0Tot15Jaar_8;"
            "k_15Tot25Jaar_9;JongerenMetJeugdzorgInNatura_91;PercentageJongerenMetJeugdzorg_92\n"
            "0;NL01;Nederland;Land;NL01;17824594;2718250;2192425;482650;10,8\n"
            f"1;GM0001;{name};Gemeente;GM0001;60000;9000;7000;1800;{pct}\n"
            f"2;WK000101;{name};Wijk;WK000101;30000;4500;3500;900;12,0\n"
            f"3;WK000102;{name};Wijk;WK000102;30000;4500;3500;900;11,0\n")


def own_db(folder: Path, pct: str = "11,5") -> Path:
    """A user's database with the regions and one KWB file loaded (published jeugdhulp_pct of GM0001 = pct)."""
    path = folder / "eigen.duckdb"
    con = store.connect(path)
    try:
        for name, text, options in (("regios.csv", REGIOS, None), ("kwb_2024.csv", kwb(pct), KWB)):
            report = load_file(con, write(folder, name, text), options)
            assert not report.refused, report.lines()
    finally:
        con.close()
    return path


def published(db: Path, indicator_id: str = "jeugdhulp_pct", regio: str = "GM0001") -> float | None:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT waarde FROM indicator_values WHERE indicator_id = ? AND regio_code = ?",
                          [indicator_id, regio]).fetchone()
    return row[0] if row else None


def all_figures(db: Path) -> list:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT * FROM indicator_values ORDER BY ALL").fetchall()


def loaded_files(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT file_name FROM load_log ORDER BY load_id").fetchall()]


def env(**extra: str) -> dict:
    out = {k: v for k, v in os.environ.items() if not k.startswith("JEUGDMONITOR_")}
    return {**out, **extra}


def start(module: str, *args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", module, *args], cwd=ROOT, env=env(**extra), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run(module: str, *args: str, timeout: float = 300, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env(**extra), text=True,
                          capture_output=True, timeout=timeout)


def wait_for_line(proc: subprocess.Popen, text: str, timeout: float = 120) -> list[str]:
    """Read the process's stderr until a line holds `text`; the lines read."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"{text!r} not seen; stderr so far: {''.join(seen)}; stdout: {proc.stdout.read()}")
