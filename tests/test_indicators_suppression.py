"""Suppression: primary at the threshold, secondary so no withheld count follows from what is published, one
decision per underlying count, zeros withheld like small counts, one text for readers."""

from __future__ import annotations

import pytest

import indicators
from indicators import compute, suppression
from tests.test_indicators_helpers import cbs, clients, new_db, regions, rows, trajecten

GM = "GM0001"
A, B, C, D = "WK000101", "WK000102", "WK000103", "WK000104"


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.delenv("JEUGDMONITOR_MIN_N", raising=False)
    connection = new_db(tmp_path)
    regions(connection, wijken=(A, B, C, D))
    yield connection
    connection.close()


def _published(con, indicator="clienten_aantal"):
    found = rows(con, indicator, periode="2023")
    return {code: (None if r["onderdrukt"] else r["waarde"]) for code, r in found.items()}


def test_exactly_the_threshold_is_published_one_less_is_not(con):
    clients(con, A, 10)
    clients(con, B, 9)
    clients(con, C, 3)
    indicators.refresh(con)
    found = rows(con, "clienten_aantal", periode="2023")
    assert found[A]["waarde"] == 10 and not found[A]["onderdrukt"]
    # B and C are suppressed together (12 >= 10 clients between them), so A need not be
    assert found[B]["onderdrukt"] and found[B]["waarde"] is None and found[B]["teller"] is None
    assert found[B]["reden"] == "niet gepubliceerd (privacy)"
    assert found[GM]["waarde"] == 22


def test_one_small_wijk_takes_the_next_smallest_with_it(con):
    clients(con, A, 3)
    clients(con, B, 12)
    clients(con, C, 40)
    indicators.refresh(con)
    assert _published(con) == {A: None, B: None, C: 40, GM: 55}
    # readers see one text, whatever the reason: "fewer than 10" would narrow the withheld wijk's range
    assert {r["reden"] for r in rows(con, "clienten_aantal", periode="2023").values()} == {
        None, suppression.REDEN}


def test_suppressed_wijken_whose_sum_is_small_take_another_with_them(con):
    clients(con, A, 2)
    clients(con, B, 3)
    clients(con, C, 15)
    clients(con, D, 40)
    indicators.refresh(con)
    assert _published(con) == {A: None, B: None, C: None, D: 40, GM: 60}


def test_secondary_applies_to_the_teller_of_percentages(con):
    clients(con, A, 30, verwijzer="huisarts")
    clients(con, A, 20, prefix="a-ja", verwijzer="jeugdarts")
    clients(con, B, 4, verwijzer="huisarts")
    clients(con, B, 40, prefix="b-ja", verwijzer="jeugdarts")
    clients(con, C, 12, verwijzer="huisarts")
    clients(con, C, 40, prefix="c-ja", verwijzer="jeugdarts")
    indicators.refresh(con)
    found = _published(con, "verwijzer_huisarts_pct")
    assert found[B] is None and found[C] is None  # 4 of 44 suppressed; 12 is the next smallest teller
    assert found[A] == pytest.approx(60.0)
    assert found[GM] == pytest.approx(100 * 46 / 146)


def test_threshold_from_environment_and_argument(con, monkeypatch):
    clients(con, A, 3)
    clients(con, B, 4)
    clients(con, C, 40)
    monkeypatch.setenv("JEUGDMONITOR_MIN_N", "3")
    indicators.refresh(con)
    assert _published(con) == {A: 3, B: 4, C: 40, GM: 47}
    indicators.refresh(con, min_n=5)
    assert _published(con)[A] is None and _published(con)[B] is None
    monkeypatch.setenv("JEUGDMONITOR_MIN_N", "tien")
    with pytest.raises(ValueError, match="JEUGDMONITOR_MIN_N"):
        indicators.refresh(con)


def test_cbs_figures_are_not_suppressed_again_but_missing_stays_missing(con):
    cbs(con, "85618NED", A, 2023, "JongerenMetJeugdzorgInNatura", 5)
    cbs(con, "85618NED", B, 2023, "JongerenMetJeugdzorgInNatura", None, "geheim")
    cbs(con, "85618NED", C, 2023, "JongerenMetJeugdzorgInNatura", None, "onbekend")
    indicators.refresh(con)
    found = rows(con, "jeugdhulp_aantal", periode="2023")
    assert found[A]["waarde"] == 5 and not found[A]["onderdrukt"]
    assert found[B]["onderdrukt"] and found[B]["reden"] == "CBS: geheim"
    assert found[C]["waarde"] is None and found[C]["reden"] == "CBS: onbekend"


def test_wait_statistics_need_n_records_and_keep_their_value_when_only_the_n_is_withheld(con):
    clients(con, A, 9)
    clients(con, B, 10)
    clients(con, C, 10)
    indicators.refresh(con)
    found = rows(con, "wachttijd_mediaan_dagen", periode="2023")
    assert found[A]["onderdrukt"] and found[A]["waarde"] is None
    # B's 10 started trajectories are withheld (with A's 9 they would give A away), the median of 10 stays
    assert not found[B]["onderdrukt"] and found[B]["waarde"] == 30 and found[B]["noemer"] is None
    assert found[C]["waarde"] == 30 and found[C]["noemer"] == 10
    assert found[GM]["waarde"] == 30 and found[GM]["noemer"] == 29
    started = {code: r["noemer"] for code, r in rows(con, "verwijzer_onbekend_pct", periode="2023").items()}
    assert started[A] is None and started[B] is None and started[GM] == 29


def test_a_suppressed_referrer_share_does_not_follow_from_the_other_shares(con):
    for wijk, counts in ((A, {"huisarts": 5, "jeugdarts": 50, "geen": 30}),
                         (B, {"huisarts": 20, "jeugdarts": 40, "geen": 25})):
        for verwijzer, n in counts.items():
            clients(con, wijk, n, prefix=f"{wijk}-{verwijzer}", verwijzer=verwijzer)
    indicators.refresh(con)
    published = {
        (code, ind): r["waarde"] is not None
        for ind in ("verwijzer_huisarts_pct", "verwijzer_jeugdarts_pct", "verwijzer_geen_pct")
        for code, r in rows(con, ind, periode="2023").items()
    }
    # A's huisarts (5) is suppressed; across wijken B's huisarts goes too; within each wijk the share would
    # follow from 100% minus the others, so the next smallest part (geen) goes as well. The gemeente stays.
    assert {k for k, v in published.items() if v} == {
        (A, "verwijzer_jeugdarts_pct"), (B, "verwijzer_jeugdarts_pct"),
        (GM, "verwijzer_huisarts_pct"), (GM, "verwijzer_jeugdarts_pct"), (GM, "verwijzer_geen_pct"),
    }


def test_one_count_one_decision_wherever_it_is_published(con):
    """Clients are the teller of clienten_aantal and the noemer of trajecten_per_client; started trajectories the
    noemer of the wait times and of every referrer share: each is shown everywhere or nowhere."""
    for wijk, huisarts, jeugdarts in ((A, 4, 3), (B, 30, 12), (C, 55, 12), (D, 14, 12)):
        clients(con, wijk, huisarts, verwijzer="huisarts")
        clients(con, wijk, jeugdarts, prefix=f"{wijk}-ja", verwijzer="jeugdarts")
    indicators.refresh(con)
    for count, uses in (("clienten", (("clienten_aantal", "teller"), ("trajecten_per_client", "noemer"))),
                        ("gestart", (("wachttijd_mediaan_dagen", "noemer"), ("wachttijd_p80_dagen", "noemer"),
                                     ("verwijzer_huisarts_pct", "noemer"), ("verwijzer_jeugdarts_pct", "noemer")))):
        shown = {}
        for indicator, column in uses:
            for code, r in rows(con, indicator, periode="2023").items():
                shown.setdefault(code, set()).add(r[column])
        assert all(len(v) == 1 for v in shown.values()), (count, shown)
        assert shown[A] == {None} and any(v != {None} for c, v in shown.items() if c not in (A, GM)), (count, shown)


def test_a_true_zero_looks_like_a_withheld_count(con):
    """Waiting in a wijk: 0 in B and 3 in C are both withheld and both shown the same way."""
    clients(con, A, 40)
    clients(con, B, 20)
    clients(con, C, 25)
    trajecten(con, [{"client_id": f"w{i}", "wijk_code": w, "aanmelddatum": "2023-11-01"}
                    for i, w in enumerate([A] * 30 + [C] * 3)])
    indicators.refresh(con)
    found = rows(con, "wachtlijst_aantal", periode="2023")
    assert found[GM]["waarde"] == 33
    assert set(found) == {A, B, C, GM}
    assert {k: (r["onderdrukt"], r["waarde"], r["teller"], r["reden"]) for k, r in found.items() if k in (B, C)} == {
        B: (True, None, None, suppression.REDEN), C: (True, None, None, suppression.REDEN)}
    assert found[A]["onderdrukt"]  # else B + C = 3 would follow from the gemeente


def test_a_figure_outside_the_catalogue_is_an_error_never_published(con):
    """Fail closed: a non-CBS figure whose indicator has no catalogue entry stops the refresh (nothing written)."""
    clients(con, A, 3)
    clients(con, B, 40)
    indicators.refresh(con)
    before = con.execute("SELECT count(*) FROM indicator_values").fetchone()
    cur = con.cursor()
    compute._raw(cur, None)
    cur.execute("INSERT INTO _iv_raw (indicator_id, regio_code, jaar, waarde, teller) "
                "VALUES ('kinderen_aantal', ?, 2023, 3, 3)", [A])
    with pytest.raises(suppression.OnderdrukkingsFout, match="kinderen_aantal"):
        compute._decide(cur, None)
    compute.drop_temp(cur)
    assert con.execute("SELECT count(*) FROM indicator_values").fetchone() == before
