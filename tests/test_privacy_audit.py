"""Privacy audit: a linear-programming attack on everything published for a gemeente (tests/privacy_audit.py).

The attack reads the CSV of `python -m indicators compute` and the wait-time distribution of the Toegang page. It
runs on the demo and on a seeded gemeente with several small wijken, and it finds exact values when the same
figures are suppressed one indicator at a time (as before one decision per count), so it can fail.
"""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pandas as pd
import pytest

import indicators
import store
from indicators import catalog, compute, suppression
from indicators.__main__ import main as indicators_cli
from tests import privacy_audit
from tests.test_indicators_helpers import regions

MIN_N = suppression.DEFAULT_MIN_N
GM = "GM0042"
WIJKEN = [f"WK0042{i:02d}" for i in range(1, 9)]
# Trajectories per year and wijk: two large wijken, a middle one and five small ones.
SIZES = (260, 140, 45, 22, 14, 9, 5, 2)
CATEGORIES = ("basishulp", "jeugdhulp_ambulant", "jeugd_ggz", "jeugdhulp_verblijf", "jeugdbescherming",
              "jeugdreclassering")
REFERRERS = ("gemeentelijke_toegang", "huisarts", "jeugdarts", "medisch_specialist", "gecertificeerde_instelling",
             "rechter", "geen", None)


def _published(db, tmp_path, gemeente: str) -> pd.DataFrame:
    """What a reader gets: the CSV of the command line for the gemeente, read back."""
    out = tmp_path / f"{gemeente}.csv"
    assert indicators_cli(["compute", "--db", str(db), "--gemeente", gemeente, "--out", str(out)]) == 0
    return pd.read_csv(out, dtype={"soort": str, "periode": str}, keep_default_na=False, na_values=[""])


def _normed(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT productcategorie FROM normen").fetchall()}


def _generate(con, seed: int = 42) -> None:
    """A gemeente of eight wijken over two years: trajectories with categories, referrers, waits, ends, waiting."""
    regions(con, gemeente=GM, wijken=tuple(WIJKEN))
    con.executemany("INSERT INTO normen (productcategorie, norm_dagen, soort_dagen) VALUES (?, ?, 'kalenderdagen')",
                    [("basishulp", 14), ("jeugdhulp_ambulant", 28), ("jeugd_ggz", 42)])
    rng = np.random.default_rng(seed)
    rows = []
    for jaar in (2023, 2024):
        for wijk, size in zip(WIJKEN, SIZES):
            for i in range(size + int(rng.integers(0, 3))):
                request = dt.date(jaar, 1, 1) + dt.timedelta(days=int(rng.integers(0, 330)))
                wait = int(rng.choice([2, 8, 15, 30, 50, 75, 120], p=[.2, .2, .2, .15, .1, .1, .05]))
                start = request + dt.timedelta(days=wait)
                waiting = rng.random() < 0.06
                ended = not waiting and rng.random() < 0.4
                end = start + dt.timedelta(days=int(rng.integers(20, 300)))
                rows.append({
                    "client_id": f"{wijk}-{jaar}-{i}", "wijk_code": wijk, "aanmelddatum": request.isoformat(),
                    "startdatum": None if waiting else start.isoformat(),
                    "einddatum": end.isoformat() if ended else None,
                    "huishouden_id": f"{wijk}-h{int(rng.integers(0, max(2, size // 2)))}",
                    "productcategorie": str(rng.choice(CATEGORIES, p=[.35, .25, .15, .1, .1, .05])),
                    "verwijzer": REFERRERS[int(rng.choice(len(REFERRERS), p=[.3, .25, .12, .08, .08, .05, .07, .05]))],
                })
    frame = pd.DataFrame(rows).assign(**{c: lambda f, c=c: pd.to_datetime(f[c]).dt.date
                                         for c in ("aanmelddatum", "startdatum", "einddatum")})
    con.register("_generated", frame)
    con.execute("INSERT INTO trajecten BY NAME SELECT * FROM _generated")
    con.unregister("_generated")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("audit") / "generated.duckdb"
    con = store.connect(path)
    _generate(con)
    con.close()
    return path


@pytest.fixture(autouse=True)
def _default_threshold(monkeypatch):
    monkeypatch.delenv(suppression.ENV, raising=False)


def _audit(db, tmp_path, gemeente: str, jaren) -> dict:
    """{year: withheld counts with a feasible range under the threshold} over the CSV and the distribution."""
    frame = _published(db, tmp_path, gemeente)
    con = store.connect(db)
    found = {}
    for jaar in jaren:
        verdeling = indicators.wachttijd_verdeling(con, gemeente, jaar)
        problem = privacy_audit.build(frame[frame.periode == str(jaar)], verdeling, _normed(con))
        assert len(problem.withheld) > 10  # the attack has something to attack
        found[jaar] = privacy_audit.too_narrow(problem, MIN_N)
    con.close()
    return found


def test_demo_every_withheld_count_keeps_a_range_of_the_threshold(demo_db, tmp_path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    assert _audit(db, tmp_path, "GM9999", range(2019, 2026)) == {jaar: {} for jaar in range(2019, 2026)}


def test_generated_gemeente_with_small_wijken_keeps_every_range(generated, tmp_path):
    db = tmp_path / "g.duckdb"
    shutil.copy(generated, db)
    assert _audit(db, tmp_path, GM, (2023, 2024)) == {2023: {}, 2024: {}}


def _per_indicator(values: pd.DataFrame) -> pd.DataFrame:
    """Suppression one indicator at a time, as before: under the threshold, then per indicator across the wijken
    (and per region across the referrer shares) the next smallest cells until two are withheld that together
    reach the threshold."""
    v = values[values.niveau.isin(["WK", "GM"]) & values.eigen & ~values.zero].copy()
    v["size"] = v.teller.fillna(v.noemer).fillna(0)
    v["off"] = (v.teller < MIN_N).fillna(False) | (v.noemer < MIN_N).fillna(False)
    wijken = v[v.niveau == "WK"]
    referrers = v[v.indicator_id.str.startswith("verwijzer_")]
    groups = list(wijken.groupby("indicator_id").groups.values()) + list(referrers.groupby("regio_code").groups.values())
    for _ in range(5):
        for index in groups:
            while v.loc[index, "off"].any():
                part = v.loc[index]
                if part.off.sum() >= 2 and part[part.off]["size"].sum() >= MIN_N:
                    break
                rest = part[~part.off].sort_values(["size", "regio_code"], kind="stable")
                if rest.empty:
                    break
                v.loc[rest.index[0], "off"] = True
    hidden = {c: v[c].where(~v.off) for c in ("waarde", "teller", "noemer")}
    return v.assign(**hidden, onderdrukt=v.off)


def test_the_attack_finds_exact_counts_when_each_indicator_decides_alone(demo_db, tmp_path):
    """The old way (each indicator its own complementary wijken, zeros absent) on the demo's own figures: the
    attack recovers the started trajectories of the tiny wijk exactly, as the issue found, so the audit can fail."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    con = store.connect(db)
    compute.build(con)
    values = con.execute(
        "SELECT v.*, v.eigen AND v.teller = 0 AND v.noemer IS NULL AS zero FROM _iv_values v "
        "WHERE v.gemeente_code = 'GM9999' AND v.jaar = 2024 "
        "ORDER BY v.indicator_id, v.regio_code, v.periode, v.soort").df()  # one order: the greedy choice is repeatable
    compute.drop_temp(con)
    con.close()
    values["bron"] = np.where(values.eigen, "Eigen registratie (trajecten)", values.bron)
    frame = _per_indicator(values)
    empty = pd.DataFrame(columns=["regio_code", "productcategorie", "klasse", "aantal"])
    narrow = privacy_audit.too_narrow(privacy_audit.build(frame, empty, set()), MIN_N)
    lo, hi = narrow[(suppression.GESTART, "WK999908")]
    assert lo == pytest.approx(hi) and hi < MIN_N
    assert catalog.get(None, "verwijzer_huisarts_pct").telling_noemer == suppression.GESTART
