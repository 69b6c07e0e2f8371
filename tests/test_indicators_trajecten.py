"""Own-registration indicators from trajectories, with answers worked out by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import indicators
from indicators.queries_trajecten import werkdagen
from tests.test_indicators_helpers import clients, new_db, regions, rows, trajecten

WK1, WK2, GM = "WK000101", "WK000102", "GM0001"


@pytest.fixture
def con(tmp_path):
    connection = new_db(tmp_path)
    regions(connection)
    yield connection
    connection.close()


def _waits(con, wijk, days, start="2023-06-01", cat="basishulp", prefix="w"):
    start_date = dt.date.fromisoformat(start)
    trajecten(con, [
        {"client_id": f"{prefix}{i}", "wijk_code": wijk, "productcategorie": cat,
         "aanmelddatum": (start_date - dt.timedelta(days=w)).isoformat(), "startdatum": start}
        for i, w in enumerate(days)
    ])


def test_median_and_p80_interpolate_linearly(con):
    # sorted waits 1 2 2 2 10 20 30 40 50 60: median between 10 and 20, P80 at 7.2 -> 40 + 0.2 * 10
    _waits(con, WK1, [60, 2, 10, 1, 50, 2, 30, 20, 40, 2])
    indicators.refresh(con)
    assert rows(con, "wachttijd_mediaan_dagen", WK1)["2023"]["waarde"] == pytest.approx(15.0)
    assert rows(con, "wachttijd_p80_dagen", WK1)["2023"]["waarde"] == pytest.approx(42.0)
    assert rows(con, "wachttijd_mediaan_dagen", WK1)["2023"]["noemer"] == 10


def test_ties_give_the_tied_value(con):
    _waits(con, WK1, [7] * 8 + [3, 30])
    indicators.refresh(con)
    assert rows(con, "wachttijd_mediaan_dagen", WK1)["2023"]["waarde"] == 7
    assert rows(con, "wachttijd_p80_dagen", WK1)["2023"]["waarde"] == 7


def test_wait_counts_in_the_year_help_started(con):
    trajecten(con, [{"client_id": f"c{i}", "wijk_code": WK1, "aanmelddatum": "2022-12-01",
                     "startdatum": "2023-01-10"} for i in range(10)])
    indicators.refresh(con)
    found = rows(con, "wachttijd_mediaan_dagen", WK1)
    assert set(found) == {"2023"}
    assert found["2023"]["waarde"] == 40


def test_norm_boundary_in_working_days(con):
    con.execute("INSERT INTO normen (productcategorie, norm_dagen, soort_dagen) VALUES ('basishulp', 5, 'werkdagen')")
    # request Monday 8 Jan 2024; start Monday 15 Jan = 5 working days (within), Tuesday 16 Jan = 6 (not)
    trajecten(con, [{"client_id": f"a{i}", "wijk_code": WK1, "aanmelddatum": "2024-01-08",
                     "startdatum": "2024-01-15"} for i in range(12)]
              + [{"client_id": f"b{i}", "wijk_code": WK1, "aanmelddatum": "2024-01-08",
                  "startdatum": "2024-01-16"} for i in range(18)])
    indicators.refresh(con)
    row = rows(con, "wachttijd_binnen_norm_pct", WK1)["2024"]
    assert (row["teller"], row["noemer"]) == (12, 30)
    assert row["waarde"] == pytest.approx(40.0)


def test_norm_boundary_in_calendar_days_and_categories_without_norm(con):
    con.execute(
        "INSERT INTO normen (productcategorie, norm_dagen, soort_dagen) VALUES ('jeugd_ggz', 28, 'kalenderdagen')"
    )
    _waits(con, WK1, [28] * 10 + [29] * 10, cat="jeugd_ggz", prefix="g")
    _waits(con, WK1, [100] * 10, cat="jeugdhulp_ambulant", prefix="x")  # no norm: not in the noemer
    indicators.refresh(con)
    row = rows(con, "wachttijd_binnen_norm_pct", WK1)["2023"]
    assert (row["teller"], row["noemer"], row["waarde"]) == (10, 20, 50.0)


def test_working_days_match_numpy_busday_count(tmp_path):
    rng = np.random.default_rng(7)
    a = np.datetime64("2019-01-01") + rng.integers(0, 2000, 400).astype("timedelta64[D]")
    s = a + rng.integers(0, 120, 400).astype("timedelta64[D]")
    con = new_db(tmp_path)
    con.execute("CREATE TEMP TABLE p (a DATE, s DATE)")
    con.executemany("INSERT INTO p VALUES (?, ?)", [(x.item(), y.item()) for x, y in zip(a, s)])
    got = [r[0] for r in con.execute(f"SELECT {werkdagen('a', 's')} FROM p").fetchall()]
    assert got == np.busday_count(a, s).tolist()


def test_active_in_year_rules(con):
    trajecten(con, [
        {"client_id": "runs-into-2023", "wijk_code": WK1, "aanmelddatum": "2022-05-01",
         "startdatum": "2022-06-01", "einddatum": "2023-01-01"},
        {"client_id": "ended-2022", "wijk_code": WK1, "aanmelddatum": "2022-05-01",
         "startdatum": "2022-06-01", "einddatum": "2022-12-31"},
        {"client_id": "starts-2024", "wijk_code": WK1, "aanmelddatum": "2023-12-01", "startdatum": "2024-01-01"},
        {"client_id": "still-waiting", "wijk_code": WK1, "aanmelddatum": "2023-03-01"},
        {"client_id": "ongoing", "wijk_code": WK1, "aanmelddatum": "2021-01-01", "startdatum": "2021-02-01"},
    ])
    indicators.refresh(con, min_n=1)
    found = rows(con, "clienten_aantal", WK1)
    assert {p: r["waarde"] for p, r in found.items()} == {"2021": 1, "2022": 3, "2023": 2, "2024": 2}


def test_client_counted_once_per_wijk_and_once_in_the_gemeente(con):
    trajecten(con, [
        {"client_id": "mover", "wijk_code": WK1, "aanmelddatum": "2023-01-01", "startdatum": "2023-01-05",
         "productcategorie": "basishulp"},
        {"client_id": "mover", "wijk_code": WK2, "aanmelddatum": "2023-06-01", "startdatum": "2023-06-05",
         "productcategorie": "jeugd_ggz"},
        {"client_id": "twice", "wijk_code": WK1, "aanmelddatum": "2023-01-01", "startdatum": "2023-01-05",
         "productcategorie": "basishulp", "huishouden_id": "H1"},
        {"client_id": "twice", "wijk_code": WK1, "aanmelddatum": "2023-02-01", "startdatum": "2023-02-05",
         "productcategorie": "jeugdhulp_ambulant", "huishouden_id": "H1"},
        {"client_id": "sibling", "wijk_code": WK1, "aanmelddatum": "2023-02-01", "startdatum": "2023-02-05",
         "huishouden_id": "H1"},
    ])
    indicators.refresh(con, min_n=1)
    clienten = rows(con, "clienten_aantal", periode="2023")
    assert (clienten[WK1]["waarde"], clienten[WK2]["waarde"], clienten[GM]["waarde"]) == (3, 1, 3)
    per_client = rows(con, "trajecten_per_client", periode="2023")
    assert (per_client[GM]["teller"], per_client[GM]["noemer"]) == (5, 3)
    assert per_client[WK1]["waarde"] == pytest.approx(4 / 3)
    # H1 once; WK2 has no household (a zero, withheld like any count under the threshold, so WK1 goes too)
    assert rows(con, "huishoudens_aantal", periode="2023")[GM]["waarde"] == 1


def test_waiting_list_on_31_december(con):
    trajecten(con, [
        {"client_id": "a", "wijk_code": WK1, "aanmelddatum": "2023-12-31", "startdatum": "2024-01-02"},
        {"client_id": "b", "wijk_code": WK1, "aanmelddatum": "2023-12-31", "startdatum": "2023-12-31"},
        {"client_id": "c", "wijk_code": WK1, "aanmelddatum": "2023-05-01"},
        {"client_id": "d", "wijk_code": WK1, "aanmelddatum": "2024-02-01", "startdatum": "2024-03-01"},
    ])
    indicators.refresh(con, min_n=1)
    found = rows(con, "wachtlijst_aantal", WK1)
    assert {p: r["waarde"] for p, r in found.items()} == {"2023": 2, "2024": 1}


def test_duration_over_trajectories_ending_in_the_year(con):
    trajecten(con, [
        {"client_id": f"e{i}", "wijk_code": WK1, "aanmelddatum": "2022-01-01", "startdatum": "2022-01-10",
         "einddatum": (dt.date(2023, 1, 10) + dt.timedelta(days=10 * i)).isoformat()} for i in range(4)
    ] + [{"client_id": "open", "wijk_code": WK1, "aanmelddatum": "2022-01-01", "startdatum": "2022-01-10"}])
    indicators.refresh(con, min_n=1)
    # durations 365, 375, 385, 395 days: median 380; the open trajectory does not count
    row = rows(con, "trajectduur_mediaan_dagen", WK1)["2023"]
    assert (row["waarde"], row["noemer"]) == (380, 4)


def test_referrer_shares_with_missing_as_onbekend(con):
    trajecten(con, [{"client_id": f"h{i}", "wijk_code": WK1, "aanmelddatum": "2023-01-01",
                     "startdatum": "2023-01-05", "verwijzer": "huisarts"} for i in range(3)]
              + [{"client_id": "n", "wijk_code": WK1, "aanmelddatum": "2023-01-01", "startdatum": "2023-01-05"}])
    indicators.refresh(con, min_n=1)
    assert rows(con, "verwijzer_huisarts_pct", WK1)["2023"]["waarde"] == pytest.approx(75.0)
    assert rows(con, "verwijzer_onbekend_pct", WK1)["2023"]["waarde"] == pytest.approx(25.0)
    assert "verwijzer_onbekend_pct" in {i.id for i in indicators.catalog.all_indicators(con)}


def test_empty_period_gives_no_row_not_zero(con):
    clients(con, WK1, 12, start="2022-03-01", einddatum="2022-06-01")
    clients(con, WK2, 12, start="2023-03-01")
    indicators.refresh(con, min_n=1)
    assert set(rows(con, "wachttijd_mediaan_dagen", WK1)) == {"2022"}
    assert set(rows(con, "clienten_aantal", WK1)) == {"2022"}
    assert "2023" not in rows(con, "trajectduur_mediaan_dagen", WK1)


def test_forms_from_trajectories_per_population_0_22(con):
    from tests.test_indicators_helpers import bevolking

    bevolking(con, WK1, 2023, [(0, 11, 120), (12, 17, 60), (18, 22, 20)])
    clients(con, WK1, 10, prefix="amb", productcategorie="jeugdhulp_ambulant")
    clients(con, WK1, 4, prefix="ggz", productcategorie="jeugd_ggz")
    clients(con, WK1, 6, prefix="jb", productcategorie="jeugdbescherming")
    indicators.refresh(con, min_n=1)
    assert rows(con, "jeugdhulp_zonder_verblijf_pct", WK1)["2023"]["waarde"] == pytest.approx(7.0)
    assert rows(con, "jeugdbescherming_pct", WK1)["2023"]["waarde"] == pytest.approx(3.0)
    assert rows(con, "jeugdhulp_met_verblijf_pct", WK1) == {}
