"""Reading functions, the command line and the demo: what pages, reports and analysts get."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import indicators
import store
from indicators import compute, stats
from tests.test_indicators_helpers import bevolking, cbs, clients, new_db, regions, rows

ROOT = Path(__file__).resolve().parent.parent
GM, A, B, C = "GM0001", "WK000101", "WK000102", "WK000103"


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.delenv("JEUGDMONITOR_MIN_N", raising=False)
    connection = new_db(tmp_path)
    regions(connection, wijken=(A, B, C), groep="klein")
    yield connection
    connection.close()


def _jeugdhulp(con, code, pct, count, pop, jaar=2023):
    cbs(con, "85618NED", code, jaar, "PercentageJongerenMetJeugdzorg", pct)
    cbs(con, "85618NED", code, jaar, "JongerenMetJeugdzorgInNatura", count)
    bevolking(con, code, jaar, [(0, 22, pop)])


def test_funnel_flags_wijken_outside_the_limits(con):
    _jeugdhulp(con, GM, 20.0, 200, 1000)
    _jeugdhulp(con, A, 40.0, 40, 100)   # far above: outside 95% and 99.8%
    _jeugdhulp(con, B, 22.0, 22, 100)   # inside
    _jeugdhulp(con, C, 30.0, 30, 100)   # outside 95% (27.84) but inside 99.8% (32.36)
    indicators.refresh(con)
    f = indicators.funnel(con, "jeugdhulp_pct", GM, "2023").set_index("regio_code")
    assert f.loc[A, "afwijkend"] and f.loc[A, "sterk_afwijkend"]
    assert not f.loc[B, "afwijkend"] and not f.loc[B, "sterk_afwijkend"]
    assert f.loc[C, "afwijkend"] and not f.loc[C, "sterk_afwijkend"]
    assert f.loc[C, "grens95_hoog"] == pytest.approx(27.84, abs=0.01)
    assert f.loc[C, "grens998_hoog"] == pytest.approx(32.36, abs=0.01)
    with pytest.raises(ValueError):
        indicators.funnel(con, "jeugdhulp_aantal", GM, "2023")


def test_wilson_interval_in_table_and_function(con):
    _jeugdhulp(con, A, 50.0, 15, 30)
    indicators.refresh(con)
    row = rows(con, "jeugdhulp_pct", A)["2023"]
    assert (row["ci_laag"], row["ci_hoog"]) == (pytest.approx(33.15, abs=0.01), pytest.approx(66.85, abs=0.01))
    lo, hi = stats.wilson(15, 30)
    assert (lo, hi) == (pytest.approx(0.3315, abs=1e-4), pytest.approx(0.6685, abs=1e-4))


def test_target_path_is_linear_between_target_years_and_only_within_them(con):
    con.executemany(
        "INSERT INTO streefwaarden (indicator_id, regio_code, jaar, waarde, bron) VALUES (?, ?, ?, ?, ?)",
        [("preventief_budget_aandeel_pct", GM, 2027, 10.0, "Beleidskader"),
         ("preventief_budget_aandeel_pct", GM, 2030, 25.0, "Beleidskader")],
    )
    path = indicators.target_path(con, "preventief_budget_aandeel_pct", GM, range(2025, 2033))
    assert dict(zip(path.jaar, path.streefwaarde)) == {2027: 10.0, 2028: 15.0, 2029: 20.0, 2030: 25.0}
    assert list(path.vastgesteld) == [True, False, False, True]
    assert indicators.target_path(con, "wachtlijst_aantal", GM, [2027]).empty


def test_change_states_its_base(con):
    _jeugdhulp(con, GM, 10.0, 100, 1000, jaar=2022)
    _jeugdhulp(con, GM, 12.0, 121, 1000, jaar=2023)
    indicators.refresh(con)
    got = indicators.change(con, "jeugdhulp_aantal", GM, "2023")
    assert (got["waarde"], got["vorige_waarde"], got["basisperiode"]) == (121, 100, "2022")
    assert got["verschil"] == 21 and got["verschil_pct"] == pytest.approx(21.0)
    assert indicators.change(con, "jeugdhulp_aantal", GM, "2022")["verschil"] is None


def test_benchmarks_and_gemeente_frame(con):
    regions(con, gemeente="GM0002", wijken=("WK000201",), groep="klein")
    for code, value in ((A, 13.0), (GM, 11.0), ("GM0002", 9.0), ("JZ01", 10.0), ("PV01", 10.5), ("NL01", 10.2),
                        ("WK000201", 8.0)):
        cbs(con, "85618NED", code, 2023, "PercentageJongerenMetJeugdzorg", value)
    indicators.refresh(con)
    got = indicators.benchmarks(con, "jeugdhulp_pct", A, "2023")
    assert {k: v["waarde"] for k, v in got.items()} == {"GM": 11.0, "JZ": 10.0, "PV": 10.5, "NL": 10.2, "VG": 10.0}
    frame = indicators.compute_frame(con, gemeente=GM, jaar=2023, indicator_ids=["jeugdhulp_pct"])
    assert list(frame.regio_code) == [A, GM, "JZ01", "PV01", "NL01", "VG:klein"]
    with pytest.raises(indicators.OnbekendeRegio):
        indicators.compute_frame(con, gemeente="GM4242")


def test_regio_breaks_when_the_wijken_change(con):
    con.executemany("INSERT INTO region_years (code, jaar) VALUES (?, ?)",
                    [(w, j) for j in (2020, 2021) for w in (A, B)]
                    + [(w, j) for j in (2022, 2023) for w in (A, C, "WK000104")])
    assert indicators.regio_breaks(con, GM) == [2022]


def test_coverage_per_level_and_year(con):
    clients(con, A, 12)
    clients(con, B, 3)
    clients(con, C, 30)
    indicators.refresh(con)
    cov = indicators.coverage(con, GM).set_index(["indicator_id", "niveau", "jaar"])
    assert cov.loc[("clienten_aantal", "WK", 2023), "regios"] == 3
    assert cov.loc[("clienten_aantal", "WK", 2023), "gepubliceerd"] == 1  # B primary, A secondary


def test_wait_time_distribution_is_suppressed_with_the_indicators(con):
    clients(con, A, 12, start="2023-03-01")                    # 30 days: class 21-40
    clients(con, A, 3, prefix="snel", start="2023-03-01")
    con.execute("UPDATE trajecten SET aanmelddatum = DATE '2023-02-27' WHERE client_id LIKE 'snel%'")  # 2 days
    clients(con, B, 20, start="2023-05-01")
    clients(con, C, 40, start="2023-05-01")
    clients(con, C, 15, prefix="c8", start="2023-05-01")
    con.execute("UPDATE trajecten SET aanmelddatum = DATE '2023-04-23' WHERE client_id LIKE 'c8%'")  # 8 days
    indicators.refresh(con)
    got = indicators.wachttijd_verdeling(con, GM, 2023)
    cell = {(r.regio_code, r.klasse): None if r.onderdrukt else r.aantal for r in got.itertuples()}
    assert set(got.klasse) == {"0-5", "6-10", "21-40"} and len(cell) == 4 * 3  # every wijk has every class
    # A's 3 fast starts are withheld, and A's 12 with them (A's 15 started trajectories are published with the
    # wait times); B's zero fast starts look the same as A's 3, and B's 20 go with them; C's 8-day starts cover
    # C's zero fast starts, and in the gemeente A's 3
    assert {k: v for k, v in cell.items() if v is not None} == {(C, "21-40"): 40, (GM, "21-40"): 72}
    assert rows(con, "wachttijd_mediaan_dagen", periode="2023")[A]["noemer"] == 15
    assert set(got.reden.dropna()) == {"niet gepubliceerd (privacy)"}


def _run(*args):
    return subprocess.run([sys.executable, "-m", "indicators", *args], cwd=ROOT, capture_output=True, text=True)


def test_cli_writes_the_contract_csv(con, tmp_path):
    clients(con, A, 12)
    clients(con, B, 3)
    clients(con, C, 30)
    con.close()
    db, out = str(tmp_path / "t.duckdb"), tmp_path / "uit.csv"
    result = _run("compute", "--db", db, "--out", str(out), "--gemeente", GM, "--jaar", "2023",
                  "--indicator", "clienten_aantal")
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["indicator_id", "regio_code", "regio_naam", "niveau", "periode", "waarde",
                                     "teller", "noemer", "eenheid", "onderdrukt", "bron", "ondergrens",
                                     "bovengrens", "soort"]
        got = {r["regio_code"]: r for r in reader}
    assert (got[C]["waarde"], got[C]["teller"], got[C]["onderdrukt"]) == ("30", "30", "false")
    assert (got[B]["waarde"], got[B]["teller"], got[B]["onderdrukt"]) == ("", "", "true")
    assert got[GM]["waarde"] == "45" and got[GM]["periode"] == "2023"


def test_cli_exit_codes_and_list(tmp_path, con):
    con.close()
    db = str(tmp_path / "t.duckdb")
    unknown = _run("compute", "--db", db, "--out", str(tmp_path / "x.csv"), "--gemeente", "GM4242")
    assert unknown.returncode == 1 and "Onbekende gemeente: GM4242" in unknown.stderr
    assert _run("compute", "--db", db).returncode == 2
    listed = _run("list", "--db", db)
    assert listed.returncode == 0
    assert "wachttijd_p80_dagen" in listed.stdout and "Wachttijd (80e percentiel)" in listed.stdout


def test_demo_tiny_wijk_is_suppressed_and_gemeente_published(demo_db, tmp_path):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    con = store.connect(path)
    indicators.refresh(con)
    tiny = con.execute(
        """SELECT bool_and(onderdrukt), count(waarde) FROM indicator_values
           WHERE regio_code = 'WK999908' AND indicator_id IN ('clienten_aantal', 'wachttijd_mediaan_dagen')"""
    ).fetchone()
    assert tiny == (True, 0)
    gm = rows(con, "wachttijd_mediaan_dagen", "GM9999")
    assert gm and all(not r["onderdrukt"] for r in gm.values())
    assert _shown_under_the_threshold(con) == []
    con.close()


def _shown_under_the_threshold(con) -> list:
    """Own figures whose count (raw, before suppression) is under the threshold (10) and that are shown anyway: a
    teller or noemer under it, a count or share resting on one, a wait class under it. Compares the published tables
    with the figures recomputed without publishing them, own figures known by their source rather than by the
    catalogue, so a figure that skipped suppression (e.g. one the catalogue lacks) is found."""
    cur = con.cursor()
    compute.build(cur)
    cur.execute(
        """CREATE TEMP TABLE _small AS
           SELECT indicator_id, regio_code, periode, soort, teller < 10 AS t, noemer < 10 AS n,
                  eenheid = 'dagen' AS statistiek
           FROM _iv_values WHERE starts_with(bron, 'Eigen registratie') AND (teller < 10 OR noemer < 10)"""
    )
    assert cur.execute("SELECT count(*) FROM _small").fetchone()[0] > 0  # there is something to leak
    shown = cur.execute(
        """SELECT s.indicator_id, s.regio_code, s.periode, v.waarde, v.teller, v.noemer
           FROM _small s JOIN indicator_values v USING (indicator_id, regio_code, periode, soort)
           WHERE (s.t AND v.teller IS NOT NULL) OR (s.n AND v.noemer IS NOT NULL)
              OR (v.waarde IS NOT NULL AND NOT s.statistiek) OR (v.waarde IS NOT NULL AND s.n)
           UNION ALL
           SELECT 'klasse ' || k.productcategorie || ' ' || k.klasse, k.regio_code, k.periode, w.aantal, NULL, NULL
           FROM _iv_klassen k JOIN wachttijd_verdeling w USING (regio_code, periode, productcategorie, klasse)
           WHERE k.n < 10 AND w.aantal IS NOT NULL"""
    ).fetchall()
    cur.execute("DROP TABLE _small")
    compute.drop_temp(cur)
    return shown


def test_almere_real_kwb_breaks_in_2022_and_never_shows_the_broken_percentage(shared_cbs, tmp_path):
    from loaders import load_file

    con = store.connect(tmp_path / "almere.duckdb")
    load_file(con, shared_cbs / "almere_kwb_2018_2025.csv")
    assert indicators.regio_breaks(con, "GM0034") == [2022]
    ids = {r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM indicator_values").fetchall()}
    assert "jeugdhulp_aantal" in ids
    assert "jeugdhulp_pct" not in ids  # the CBS column lost its decimal comma and no population 0-22 is loaded
    assert "cbs_PercentageJongerenMetJeugdzorg" not in ids
    wijken = con.execute(
        "SELECT jaar, count(*) FROM indicator_values WHERE indicator_id = 'jeugdhulp_aantal' AND niveau = 'WK' "
        "AND gemeente_code = 'GM0034' GROUP BY jaar ORDER BY jaar"
    ).fetchall()
    assert dict(wijken)[2021] == 6 and dict(wijken)[2022] == 71
    con.close()
