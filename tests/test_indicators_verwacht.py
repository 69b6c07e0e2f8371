"""Expected use per wijk on generated KWB tables with a known answer, on the real KWB 2024 file, and published."""

from __future__ import annotations

import csv
import subprocess
import sys

import numpy as np
import pytest

import store
from indicators import refresh
from indicators.catalog import VERWACHT_ID, get
from indicators.models import HOGER, LAGER, ZOALS, kaart, oordeel, vergelijking
from loaders.pipeline import load_file
from loaders.report import LoadOptions
from tests import model_data
from tests.conftest import ROOT


def _load(tmp_path, world: model_data.Wereld, jaar: int = 2023):
    con = store.connect(tmp_path / f"m{jaar}.duckdb")
    path = tmp_path / f"kwb_{jaar}.csv"
    path.write_text(world.csv, encoding="utf-8")
    report = load_file(con, path, LoadOptions(jaar=jaar, table="99999NED"), refresh=False)
    assert not report.refused, report
    refresh(con)
    return con


def _compared(con, world):
    frame = vergelijking(con, jaar=2023)
    wk = frame[frame["niveau"] == "WK"].merge(world.truth, on="regio_code")
    return frame, wk


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    world = model_data.world(seed=101, secret=8)
    con = _load(tmp_path_factory.mktemp("verwacht"), world)
    yield con, world
    con.close()


def test_expected_values_follow_the_planted_truth(fitted):
    con, world = fitted
    _, wk = _compared(con, world)
    assert len(wk) == len(world.truth)  # every wijk gets an expectation, also those whose count is secret
    truth = 100 * wk["rate"]
    assert np.corrcoef(wk["verwacht"], truth)[0, 1] > 0.95
    assert np.median(np.abs(wk["verwacht"] / truth - 1)) < 0.06
    card = kaart(con, 2023).kaart
    for term in card["termen"]:
        rr = model_data.TRUE_RR[term["naam"]]
        assert term["laag"] * 0.97 < rr < term["hoog"] * 1.03, term
    assert 0.005 < card["alpha"] < 0.06


def test_planted_wijken_are_flagged_in_their_direction(fitted):
    con, world = fitted
    _, wk = _compared(con, world)
    planted = wk[wk["outlier"] & wk["werkelijk"].notna()]
    assert len(planted) == len(world.outliers)
    for r in planted.itertuples():
        assert r.oordeel == (HOGER if r.factor > 1 else LAGER), r
    # Most of them are so far off that they are left out of the final fit, so that they do not widen the other
    # wijken's intervals; hardly any ordinary wijk is.
    assert len(world.outliers) - 2 <= kaart(con, 2023).kaart["uitschieters"] <= len(world.outliers) + 3


def test_ordinary_wijken_fall_inside_at_about_the_nominal_rate(tmp_path):
    inside = []
    for seed in (7, 8):
        world = model_data.world(seed=seed, n_gemeenten=24, wijken=20, outliers=0)
        con = _load(tmp_path / str(seed), world) if (tmp_path / str(seed)).mkdir() is None else None
        _, wk = _compared(con, world)
        con.close()
        inside += list(wk.loc[wk["werkelijk"].notna(), "oordeel"] == ZOALS)
    assert len(inside) > 800
    assert 0.90 <= np.mean(inside) <= 0.99


def test_secret_counts_are_left_out_not_read_as_zero(fitted, tmp_path):
    con, world = fitted
    card = kaart(con, 2023).kaart
    n_secret = int(world.truth["secret"].sum())
    assert card["weggelaten_wijken"]["aantal_geheim_of_onbekend"] == n_secret
    assert card["wijken"] == len(world.truth) - n_secret
    # The same world without the secret wijken at all gives the same fit for the others.
    keep = ~world.truth["secret"].to_numpy()
    lines = world.csv.rstrip("\n").split("\n")
    smaller = model_data.Wereld(csv="\n".join([lines[0]] + [ln for ln, k in zip(lines[1:], keep) if k]) + "\n",
                                truth=world.truth[keep])
    con2 = _load(tmp_path, smaller)
    a = vergelijking(con, jaar=2023).set_index("regio_code")["verwacht"]
    b = vergelijking(con2, jaar=2023).set_index("regio_code")["verwacht"]
    con2.close()
    both = b.index[b.index.str.startswith("WK")]
    np.testing.assert_allclose(a[both], b[both], rtol=1e-6)


def test_too_few_wijken_gives_a_dutch_message_and_no_figures(tmp_path):
    world = model_data.world(seed=3, n_gemeenten=3, wijken=12, outliers=0)
    con = _load(tmp_path, world)
    card = kaart(con, 2023)
    assert not card.gefit
    assert card.bericht.startswith("Geen verwacht gebruik voor 2023: maar 36 wijken hebben")
    assert "minstens 80 nodig" in card.bericht
    assert con.execute("SELECT count(*) FROM indicator_values WHERE indicator_id = ?", [VERWACHT_ID]).fetchone()[0] == 0
    con.close()


def test_real_kwb_2024_refuses_because_its_jeugdzorg_counts_are_empty(shared_cbs, tmp_path):
    path = shared_cbs / "real" / "cbs_85984NED.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    wijken = [r for r in rows if r["SoortRegio_2"].strip() == "Wijk"]
    assert len(wijken) > 1000 and all(not r["JongerenMetJeugdzorgInNatura_98"].strip() for r in wijken)
    assert all(r["k_0Tot15Jaar_8"].strip() for r in wijken)
    con = store.connect(tmp_path / "real.duckdb")
    load_file(con, path, LoadOptions(table="85984NED"), refresh=False)
    assert con.execute("SELECT count(DISTINCT regio_code) FROM cbs_values WHERE regio_code LIKE 'WK%'"
                       ).fetchone()[0] == len(wijken)
    refresh(con)
    card = kaart(con, 2024)
    assert card is not None and not card.gefit
    assert card.bericht.startswith("Geen verwacht gebruik voor 2024: geen enkele wijk heeft een gepubliceerd aantal")
    assert "nooit met een ontbrekend aantal als nul" in card.bericht
    left = card.kaart["weggelaten_wijken"]
    assert left["aantal_geheim_of_onbekend"] + left["zonder_jongeren"] == len(wijken)
    assert con.execute("SELECT count(*) FROM indicator_values WHERE indicator_id = ?", [VERWACHT_ID]).fetchone()[0] == 0
    con.close()


def test_verdict_only_outside_the_interval():
    assert oordeel(12.0, 8.0, 11.9) == HOGER
    assert oordeel(7.9, 8.0, 11.9) == LAGER
    assert oordeel(8.0, 8.0, 11.9) == ZOALS
    assert oordeel(None, 8.0, 11.9) is None


def test_published_in_catalogue_and_csv_with_its_interval(tmp_path):
    ind = get(None, VERWACHT_ID)
    assert ind.naam == "Verwacht gebruik van jeugdhulp" and not ind.proportie
    con = _load(tmp_path, model_data.world(seed=11, n_gemeenten=6, wijken=16, outliers=0))
    gm = vergelijking(con, jaar=2023)
    gemeente = gm[gm["niveau"] == "GM"].iloc[0]
    wk = gm[(gm["niveau"] == "WK") & (gm["gemeente_code"] == gemeente["regio_code"])]
    assert gemeente["verwacht_aantal"] == pytest.approx(wk["verwacht_aantal"].sum())
    assert gemeente["ondergrens"] < gemeente["verwacht"] < gemeente["bovengrens"]
    con.close()
    out = tmp_path / "uit.csv"
    result = subprocess.run([sys.executable, "-m", "indicators", "compute", "--db", str(tmp_path / "m2023.duckdb"),
                             "--out", str(out), "--indicator", VERWACHT_ID], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[11:13] == ["ondergrens", "bovengrens"]
    row = next(r for r in rows if r["regio_code"] == wk["regio_code"].iloc[0])
    assert float(row["ondergrens"]) <= float(row["waarde"]) <= float(row["bovengrens"])
    assert float(row["teller"]) == pytest.approx(float(row["waarde"]) * float(row["noemer"]) / 100, rel=1e-4)
