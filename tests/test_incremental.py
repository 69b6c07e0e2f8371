"""Incremental recompute against a full refresh: random loads of per-gemeente trajectory files (seeded), a changed
reload, a client moving to another gemeente, the same rows as another file; after each, the published figures equal
those of a full refresh of the same data, row for row (suppression flags and reasons included)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import duckdb
import pytest

import indicators
import store
from benchmarks.generate import generate, read_manifest
from indicators.catalog import VERWACHT_ID
from benchmarks.incremental import differences, export_gemeente, full_copy
from loaders import LoadOptions, load_file
from loaders.pipeline import load_in_transaction, quiet
from tests import model_data

SEED = 20261126


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> dict:
    """The small benchmark world: everything but the trajectories loaded and computed, and the trajectories of each
    gemeente exported as a file of its own (from a scratch store that holds them all)."""
    base = tmp_path_factory.mktemp("incr")
    data = base / "data"
    manifest = generate("small", data, seed=SEED)
    scratch, db = base / "scratch.duckdb", base / "base.duckdb"
    files: dict[str, Path] = {}
    for target, kinds in ((scratch, None), (db, {"trajecten"})):
        con = store.connect(target)
        for entry in manifest["files"]:
            if kinds is None or entry["kind"] not in kinds:
                options = LoadOptions(kind=entry["kind"], jaar=entry.get("jaar"), table=entry.get("table"))
                assert not load_file(con, data / entry["file"], options, refresh=False).refused
        if target == scratch:
            gemeenten = [r[0] for r in con.execute(
                "SELECT DISTINCT 'GM' || substr(wijk_code, 3, 4) FROM trajecten ORDER BY 1").fetchall()]
            for g in gemeenten:
                files[g] = base / f"trajecten_{g}.csv"
                export_gemeente(con, g, files[g], dutch=len(files) % 2 == 0)
        else:
            indicators.refresh(con)
        con.execute("CHECKPOINT")
        con.close()
    assert len(files) >= 3
    return {"base": base, "db": db, "files": files, "scratch": scratch}


def _load(db: Path, path: Path):
    con = store.connect(db)
    try:
        report = load_file(con, path, LoadOptions(kind="trajecten"))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    assert not report.refused, report.lines()
    return report


def _same_as_full(db: Path, tmp: Path) -> dict:
    return differences(db, full_copy(db, tmp / f"full_{random.random():.9f}.duckdb"))


def test_random_loads_equal_a_full_refresh(loaded, tmp_path):
    db = shutil.copyfile(loaded["db"], tmp_path / "incr.duckdb")
    rng = random.Random(SEED)
    gemeenten = list(loaded["files"])
    rng.shuffle(gemeenten)
    first, *rest = gemeenten
    # the first trajectories set the years they span: every gemeente's figures depend on that
    assert _load(db, loaded["files"][first]).recomputed_all
    reports = [_load(db, loaded["files"][g]) for g in rest]
    assert all(r.recomputed_all or r.recomputed_gemeenten == [g] for r, g in zip(reports, rest))
    assert any(not r.recomputed_all for r in reports)
    outcome = _same_as_full(db, tmp_path)
    assert outcome["equal"], outcome

    # one gemeente reloads with changed referrers: only that gemeente is recomputed
    g = rng.choice(gemeenten)
    con = store.connect(db)
    export_gemeente(con, g, tmp_path / "changed.csv", changed=0.1, seed=rng.randrange(1000))
    con.close()
    assert _load(db, tmp_path / "changed.csv").recomputed_gemeenten == [g]
    outcome = _same_as_full(db, tmp_path)
    assert outcome["equal"], outcome

    # some of its clients move to a wijk of another gemeente: both are recomputed
    other = next(x for x in gemeenten if x != g)
    con = store.connect(db)
    wijk = con.execute("SELECT min(wijk_code) FROM trajecten WHERE wijk_code LIKE 'WK' || substr($g, 3) || '%'",
                       {"g": other}).fetchall()[0][0]
    export_gemeente(con, g, tmp_path / "moved.csv", changed=0.05, move_to=wijk)
    con.close()
    assert _load(db, tmp_path / "moved.csv").recomputed_gemeenten == sorted([g, other])
    outcome = _same_as_full(db, tmp_path)
    assert outcome["equal"], outcome


def test_the_same_rows_again_recompute_nothing(loaded, tmp_path):
    db = shutil.copyfile(loaded["db"], tmp_path / "same.duckdb")
    g, path = next(iter(loaded["files"].items()))
    _load(db, path)
    before = tmp_path / "before.duckdb"
    shutil.copyfile(db, before)
    con = store.connect(loaded["scratch"])
    export_gemeente(con, g, tmp_path / "same_rows.csv", dutch=path.read_text(encoding="utf-8").startswith("client_id"))
    con.close()
    report = _load(db, tmp_path / "same_rows.csv")
    assert not report.recomputed_all and report.recomputed_gemeenten == []
    assert differences(before, db)["equal"]
    # and the same population as another file: nothing either; a changed one recomputes everything
    manifest = read_manifest(loaded["base"] / "data")
    bevolking = loaded["base"] / "data" / next(e["file"] for e in manifest["files"] if e["kind"] == "bevolking")
    copy = tmp_path / "bevolking_kopie.csv"
    copy.write_text(bevolking.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    con = store.connect(db)
    report = load_file(con, copy, LoadOptions(kind="bevolking"))
    assert not report.refused and not report.recomputed_all and report.recomputed_gemeenten == []
    lines = bevolking.read_text(encoding="utf-8").splitlines()
    head, row = lines[0], lines[1].split(";")
    row[-1] = str(int(row[-1]) + 7)
    (tmp_path / "bevolking_anders.csv").write_text("\n".join([head, ";".join(row)]) + "\n", encoding="utf-8")
    assert load_file(con, tmp_path / "bevolking_anders.csv", LoadOptions(kind="bevolking")).recomputed_all
    con.close()


def test_comparison_catches_a_wrong_scope(loaded, tmp_path):
    """A deliberately wrong scope (another gemeente than the one whose trajectories changed) leaves figures that
    differ from a full refresh: the comparison above can fail."""
    db = shutil.copyfile(loaded["db"], tmp_path / "wrong.duckdb")
    gemeenten = list(loaded["files"])
    for g in gemeenten:
        _load(db, loaded["files"][g])
    g, wrong = gemeenten[0], gemeenten[1]
    con = store.connect(db)
    export_gemeente(con, g, tmp_path / "changed.csv", changed=0.2)
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    report = load_in_transaction(cur, tmp_path / "changed.csv", LoadOptions(kind="trajecten"), None, quiet)
    assert not report.refused
    indicators.refresh(cur, own_transaction=False, gemeenten=[wrong])
    cur.execute("COMMIT")
    con.execute("CHECKPOINT")
    con.close()
    outcome = _same_as_full(db, tmp_path)
    assert not outcome["equal"]
    assert {e["gemeente_code"] for e in outcome["examples"]} == {g}
    with duckdb.connect(str(db), read_only=True) as check:
        assert check.execute("SELECT count(*) FROM indicator_values WHERE gemeente_code = ?", [g]).fetchall()[0][0]


def _verwacht(con) -> dict:
    return dict(con.execute("SELECT regio_code, waarde FROM indicator_values WHERE indicator_id = ? "
                            "AND niveau = 'WK'", [VERWACHT_ID]).fetchall())


def test_the_model_is_fitted_again_only_when_its_inputs_change(tmp_path):
    """A refresh reuses a year's stored model rows while its inputs are the same (a tampered stored row shows
    through, which proves no refit), and fits again when a KWB value changes (the tampering is gone)."""
    world = model_data.world(seed=7, n_gemeenten=8, wijken=10, outliers=2)
    con = store.connect(tmp_path / "model.duckdb")
    path = tmp_path / "kwb_2023.csv"
    path.write_text(world.csv, encoding="utf-8")
    assert not load_file(con, path, LoadOptions(jaar=2023, table="99999NED"), refresh=False).refused
    indicators.refresh(con)
    fitted = _verwacht(con)
    assert len(fitted) == 80
    con.execute("UPDATE model_rijen SET waarde = waarde + 1 WHERE regio_code = ?", [min(fitted)])
    indicators.refresh(con)
    assert _verwacht(con)[min(fitted)] == pytest.approx(fitted[min(fitted)] + 1)
    lines = world.csv.splitlines()
    changed = lines[2].split(";")
    changed[-1] = str(int(changed[-1]) % 5 + 1)  # another stedelijkheid for one wijk
    path2 = tmp_path / "kwb_2023_b.csv"
    path2.write_text("\n".join(lines[:2] + [";".join(changed)] + lines[3:]) + "\n", encoding="utf-8")
    report = load_file(con, path2, LoadOptions(jaar=2023, table="99999NED"))
    assert not report.refused and report.recomputed_all
    refitted = _verwacht(con)
    assert refitted[min(fitted)] != pytest.approx(fitted[min(fitted)] + 1)
    assert refitted[min(fitted)] == pytest.approx(fitted[min(fitted)], rel=0.05)
    con.close()


@pytest.mark.parametrize("kind, pick", [("budget", "GM"), ("bereik", "WK")])
def test_budget_and_bereik_recompute_their_gemeente(loaded, tmp_path, kind, pick):
    """A changed budget line of a gemeente, or a changed reach count of a wijk, recomputes that gemeente only, and
    equals a full refresh."""
    db = shutil.copyfile(loaded["db"], tmp_path / f"{kind}.duckdb")
    manifest = read_manifest(loaded["base"] / "data")
    source = loaded["base"] / "data" / next(e["file"] for e in manifest["files"] if e["kind"] == kind)
    encoding = "cp1252" if kind == "budget" else "utf-8"
    head, *rows = source.read_text(encoding=encoding).splitlines()
    row = next(r.split(";") for r in rows if r.split(";")[1].startswith(pick) and r.split(";")[-1][-1].isdigit())
    row[-1] = "12" if kind == "bereik" else "1.234.567,89"
    path = tmp_path / f"{kind}_een_regel.csv"
    path.write_text("\n".join([head, ";".join(row)]) + "\n", encoding=encoding)
    con = store.connect(db)
    report = load_file(con, path, LoadOptions(kind=kind))
    con.execute("CHECKPOINT")
    con.close()
    assert not report.refused, report.lines()
    assert report.recomputed_gemeenten == ["GM" + row[1][2:6]] and not report.recomputed_all
    outcome = _same_as_full(db, tmp_path)
    assert outcome["equal"], outcome
