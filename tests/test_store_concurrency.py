"""Crashes, full disks, locked files and loads at the same time: the database stays usable and the figures stay
those of its data. Every command here is a real process; kills are real SIGKILLs."""

from __future__ import annotations

import os
import resource
import signal
import time

import duckdb

import store
from loaders import load_file
from indicators.__main__ import main as indicators_main
from loaders.__main__ import main as loaders_main
from reports.__main__ import main as reports_main
from store.lock import WriterLock
from tests.concurrency_files import (KWB, KWB_ARGS, all_figures, kwb, loaded_files, own_db, published, run, start,
                                     wait_for_line)
from tests.loader_files import REGIOS, write


def no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr


def test_killed_during_the_recompute_leaves_data_and_figures_as_before_and_reloading_loads(tmp_path):
    db = own_db(tmp_path, "11,5")
    before, files = all_figures(db), loaded_files(db)
    newer = write(tmp_path, "kwb_2024_herzien.csv", kwb("13,7"))
    proc = start("loaders", "load", str(newer), *KWB_ARGS, "--db", str(db), JEUGDMONITOR_TEST_PAUSE="herberekenen")
    lines = wait_for_line(proc, "PAUZE herberekenen")
    assert any("indicatoren herberekenen" in line for line in lines)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert loaded_files(db) == files, "a killed load leaves no trace in the load log"
    assert all_figures(db) == before and published(db) == 11.5

    again = run("loaders", "load", str(newer), *KWB_ARGS, "--db", str(db))
    assert again.returncode == 0, again.stderr
    no_traceback(again)
    assert "al geladen" not in again.stdout
    assert "kwb_2024_herzien.csv: soort cbs, 4 rijen geladen" in again.stdout
    assert published(db) == 13.7


def test_figures_left_stale_are_recomputed_by_the_next_command(tmp_path):
    db = tmp_path / "eigen.duckdb"
    con = store.connect(db)
    try:
        load_file(con, write(tmp_path, "regios.csv", REGIOS), refresh=False)
        load_file(con, write(tmp_path, "kwb.csv", kwb("9,5")), KWB, refresh=False)
    finally:
        con.close()
    assert published(db) is None, "refresh=False leaves the recompute to the next command"
    status = run("loaders", "status", "--db", str(db))
    assert status.returncode == 0, status.stderr
    assert "indicatoren herberekenen" in status.stderr
    assert published(db) == 9.5
    assert "herberekenen" not in run("loaders", "status", "--db", str(db)).stderr, "repaired once, then fresh"


def test_two_loads_at_once_queue_and_both_succeed(tmp_path):
    db = own_db(tmp_path)
    first_file = write(tmp_path, "kwb_eerst.csv", kwb("12,5"))
    second_file = write(tmp_path, "kwb_daarna.csv", kwb("14,5"))
    resume = tmp_path / "verder"
    first = start("loaders", "load", str(first_file), *KWB_ARGS, "--db", str(db),
                  JEUGDMONITOR_TEST_PAUSE="herberekenen", JEUGDMONITOR_TEST_RESUME=str(resume))
    wait_for_line(first, "PAUZE herberekenen")
    second = start("loaders", "load", str(second_file), *KWB_ARGS, "--db", str(db))
    waiting = "".join(wait_for_line(second, "Wacht tot een andere opdracht"))
    resume.touch()
    out2, err2 = second.communicate(timeout=120)
    err2 = waiting + err2
    out1, err1 = first.communicate(timeout=120)
    assert (first.returncode, second.returncode) == (0, 0), err1 + err2
    assert "Traceback" not in err1 + err2
    assert f"Wacht tot een andere opdracht klaar is met de database (PID {first.pid}, laden, sinds" in err2
    assert loaded_files(db)[-2:] == ["kwb_eerst.csv", "kwb_daarna.csv"]
    assert published(db) == 14.5


def cli(capsys, module: str, *args: str) -> tuple[int, str, str]:
    """A command run in this process (its messages and exit code, as a user sees them)."""
    main = {"loaders": loaders_main, "indicators": indicators_main, "reports": reports_main}[module]
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_database_held_too_long_gives_a_dutch_message(tmp_path, capsys, monkeypatch):
    db = own_db(tmp_path)
    newer = write(tmp_path, "kwb_nieuw.csv", kwb("13,0"))
    monkeypatch.setenv("JEUGDMONITOR_QUEUE_WAIT", "1")
    with WriterLock(db, "laden", wait=0):
        queued = cli(capsys, "loaders", "load", str(newer), *KWB_ARGS, "--db", str(db))
        status = cli(capsys, "loaders", "status", "--db", str(db))
    assert queued[0] == status[0] == 1
    assert "wordt al 1 seconden bijgewerkt door een andere opdracht" in queued[2]
    assert f"(PID {os.getpid()}, laden, sinds" in queued[2]
    assert "wordt al 1 seconden bijgewerkt" in status[2]

    foreign = duckdb.connect(str(db))  # another program holding the file without our lock
    try:
        held = run("loaders", "load", str(newer), *KWB_ARGS, "--db", str(db), JEUGDMONITOR_LOCK_WAIT="1")
    finally:
        foreign.close()
    assert held.returncode == 1
    no_traceback(held)
    assert f"in gebruik door een ander programma (PID {os.getpid()})" in held.stderr
    assert published(db) == 11.5
    assert cli(capsys, "loaders", "load", str(newer), *KWB_ARGS, "--db", str(db))[0] == 0
    assert published(db) == 13.0


def test_a_file_that_is_not_duckdb_gives_a_dutch_message_in_every_command(tmp_path, capsys):
    bad = tmp_path / "kapot.duckdb"
    bad.write_bytes(b"Dit is geen database maar een tekstbestand.\n" * 200)
    newer = write(tmp_path, "kwb.csv", kwb("13,0"))
    commands = [
        ("loaders", "load", str(newer), *KWB_ARGS, "--db", str(bad)),
        ("loaders", "status", "--db", str(bad)),
        ("loaders", "demo", "--db", str(bad)),
        ("indicators", "compute", "--db", str(bad), "--out", str(tmp_path / "x.csv")),
        ("indicators", "list", "--db", str(bad)),
        ("reports", "excel", "--gemeente", "GM0001", "--out", str(tmp_path / "r.xlsx"), "--db", str(bad)),
    ]
    for command in commands:
        code, _, err = cli(capsys, *command)
        assert code == 1, command
        assert f"{bad} is geen DuckDB-database" in err, command
    assert bad.read_bytes().startswith(b"Dit is geen database"), "the file is left alone"


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_full_disk_gives_a_dutch_message_and_leaves_a_usable_database(tmp_path):
    import subprocess
    import sys

    from tests.concurrency_files import ROOT, env

    db = own_db(tmp_path)
    before = all_figures(db)
    rows = "\n".join(f"C{n};WK00010{1 + n % 2};2024-0{1 + n % 9}-1{n % 10};;;jeugd-ggz;huisarts;H{n}"
                     for n in range(20_000))
    big = write(tmp_path, "trajecten.csv",
                "client_id;wijk_code;aanmelddatum;startdatum;einddatum;productcategorie;verwijzer;huishouden_id\n"
                + rows + "\n")
    full = subprocess.run([sys.executable, "-m", "loaders", "load", str(big), "--db", str(db)], cwd=ROOT, env=env(),
                          text=True, capture_output=True, timeout=300, preexec_fn=_limit_file_size(64 * 1024))
    assert full.returncode == 1, full.stdout + full.stderr
    no_traceback(full)
    assert "De schijf is vol" in full.stderr and "er is niets gewijzigd" in full.stderr
    assert all_figures(db) == before and "trajecten.csv" not in loaded_files(db)
    status = run("loaders", "status", "--db", str(db))
    assert status.returncode == 0 and "kwb_2024.csv" in status.stdout
    again = run("loaders", "load", str(big), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert "trajecten.csv" in loaded_files(db)
