"""CBS, population, reach and budget indicators on hand-made store rows."""

from __future__ import annotations

import pytest

import indicators
from tests.test_indicators_helpers import bevolking, cbs, clients, new_db, regions, rows

GM, WK1, WK2 = "GM0001", "WK000101", "WK000102"
POP_0_22 = [(0, 3, 100), (4, 11, 150), (12, 17, 150), (18, 22, 100)]  # 500 young people


@pytest.fixture
def con(tmp_path):
    connection = new_db(tmp_path)
    regions(connection, groep="50.000-100.000 inwoners")
    yield connection
    connection.close()


def test_jeugdhulp_pct_uses_cbs_percentage_where_valid(con):
    cbs(con, "85618NED", GM, 2023, "PercentageJongerenMetJeugdzorg", 11.4)
    cbs(con, "85618NED", GM, 2023, "JongerenMetJeugdzorgInNatura", 1140)
    indicators.refresh(con)
    row = rows(con, "jeugdhulp_pct", GM)["2023"]
    assert (row["waarde"], row["teller"]) == (11.4, 1140)
    assert row["noemer"] == 10000  # 1140 / 11.4%, no population file loaded
    assert rows(con, "jeugdhulp_aantal", GM)["2023"]["waarde"] == 1140


def test_invalid_percentage_falls_back_to_count_over_population(con):
    cbs(con, "85984NED", WK1, 2024, "PercentageJongerenMetJeugdzorg", 114)
    cbs(con, "85984NED", WK1, 2024, "JongerenMetJeugdzorgInNatura", 50)
    con.execute(
        """INSERT INTO cbs_measures (table_id, measure, title, unit, percentage_invalid)
           VALUES ('85984NED', 'PercentageJongerenMetJeugdzorg', 'Percentage jongeren met jeugdzorg', '%', true)"""
    )
    bevolking(con, WK1, 2024, POP_0_22)
    indicators.refresh(con)
    row = rows(con, "jeugdhulp_pct", WK1)["2024"]
    assert (row["waarde"], row["teller"], row["noemer"]) == (10.0, 50, 500)
    ids = set(con.execute("SELECT DISTINCT indicator_id FROM indicator_values").fetchall())
    assert ("cbs_PercentageJongerenMetJeugdzorg",) not in ids


def test_no_population_band_covering_0_22_gives_no_row(con):
    cbs(con, "85984NED", WK1, 2024, "JongerenMetJeugdzorgInNatura", 50)
    cbs(con, "85984NED", WK2, 2024, "JongerenMetJeugdzorgInNatura", None, "geheim")
    bevolking(con, WK1, 2024, [(0, 14, 300), (15, 24, 250)])
    indicators.refresh(con)
    assert rows(con, "jeugdhulp_pct", WK1) == {} and rows(con, "jeugdhulp_pct", WK2) == {}
    assert rows(con, "jeugdhulp_aantal", WK1)["2024"]["waarde"] == 50
    assert rows(con, "jeugdhulp_aantal", WK2)["2024"]["reden"] == "CBS: geheim"


def test_population_from_any_exact_chain_of_bands(con):
    cbs(con, "85984NED", WK1, 2024, "JongerenMetJeugdzorgInNatura", 60)
    bevolking(con, WK1, 2024, [(0, 17, 400), (0, 3, 100), (4, 17, 300), (18, 22, 200), (23, 64, 5000)])
    indicators.refresh(con)
    assert rows(con, "jeugdhulp_pct", WK1)["2024"]["noemer"] == 600


def test_forms_from_cbs_long_take_precedence_over_trajectories(con):
    cbs(con, "85685NED", WK1, 2023, "M001234|TypeJeugdzorg=A041", 40)
    cbs(con, "85685NED", WK1, 2023, "M001234|TypeJeugdzorg=A043", None, "geheim")
    cbs(con, "85685NED", WK1, 2023, "M001234|TypeJeugdzorg=T001", 45)
    con.execute("""INSERT INTO cbs_measures (table_id, measure, title, unit)
                   VALUES ('85685NED', 'M001234|TypeJeugdzorg=A041', 'Jongeren met jeugdzorg (A041)', 'aantal')""")
    bevolking(con, WK1, 2023, POP_0_22)
    bevolking(con, WK2, 2023, POP_0_22)
    clients(con, WK1, 25, productcategorie="basishulp")
    clients(con, WK2, 15, productcategorie="basishulp")
    indicators.refresh(con, min_n=1)
    zonder = rows(con, "jeugdhulp_zonder_verblijf_pct", periode="2023")
    assert zonder[WK1]["waarde"] == pytest.approx(8.0) and zonder[WK1]["bron"].startswith("CBS 85685NED")
    assert zonder[WK2]["waarde"] == pytest.approx(3.0) and zonder[WK2]["bron"].startswith("Eigen registratie")
    assert rows(con, "jeugdbescherming_pct", WK1)["2023"]["reden"] == "CBS: geheim"
    assert rows(con, "cbs_M001234_TypeJeugdzorg_T001", WK1)["2023"]["waarde"] == 45


def test_comparison_group_is_the_unweighted_mean_of_its_gemeenten(con):
    regions(con, gemeente="GM0002", wijken=(), groep="50.000-100.000 inwoners")
    regions(con, gemeente="GM0003", wijken=(), groep="sterk stedelijk")
    for gm, value in (("GM0001", 10.0), ("GM0002", 14.0), ("GM0003", 30.0)):
        cbs(con, "85618NED", gm, 2023, "PercentageJongerenMetJeugdzorg", value)
    indicators.refresh(con)
    row = rows(con, "jeugdhulp_pct", "VG:50.000-100.000 inwoners")["2023"]
    assert row["waarde"] == pytest.approx(12.0)
    assert row["niveau"] == "VG" and row["regio_naam"] == "Vergelijkbare gemeenten (50.000-100.000 inwoners)"


def test_other_cbs_measures_pass_through_with_their_title(con):
    cbs(con, "85618NED", WK1, 2023, "HuishoudensMetKinderen", 812)
    con.execute("""INSERT INTO cbs_measures (table_id, measure, title, unit)
                   VALUES ('85618NED', 'HuishoudensMetKinderen', 'Huishoudens met kinderen', 'aantal')""")
    indicators.refresh(con)
    assert rows(con, "cbs_HuishoudensMetKinderen", WK1)["2023"]["waarde"] == 812
    ind = indicators.catalog.get(con, "cbs_HuishoudensMetKinderen")
    assert (ind.naam, ind.eenheid) == ("Huishoudens met kinderen", "aantal")


def test_reach_counts_unique_participants_over_population_0_17(con):
    con.executemany(
        "INSERT INTO bereik_deelnemers (jaar, wijk_code, aanbod, soort, client_id) VALUES (?, ?, ?, ?, ?)",
        [(2023, WK1, "Opvoedcursus", "preventief", f"p{i}") for i in range(30)]
        + [(2023, WK1, "Buurtsport", "collectief", f"p{i}") for i in range(20, 50)]
        + [(2023, WK2, "Buurtsport", "collectief", f"p{i}") for i in range(45, 60)],
    )
    con.execute("INSERT INTO bereik_aantallen (jaar, wijk_code, aanbod, soort, deelnemers) "
                "VALUES (2023, 'WK000102', 'Schoolmaatschappelijk werk', 'preventief', 25)")
    for code in (WK1, WK2, GM):
        bevolking(con, code, 2023, [(0, 11, 150), (12, 17, 50)])
    indicators.refresh(con)
    found = rows(con, "bereik_preventief_pct", periode="2023")
    assert (found[WK1]["teller"], found[WK1]["waarde"]) == (50, 25.0)  # p0..p49 once each
    assert (found[WK2]["teller"], found[WK2]["waarde"]) == (40, 20.0)  # 15 persons + 25 counted
    assert found[GM]["teller"] == 85  # p0..p59 once + 25


def _budget(con, lines):
    con.executemany(
        "INSERT INTO budget (jaar, regio_code, soort, taakveld, categorie, bedrag) VALUES (?, ?, ?, ?, ?, ?)", lines
    )


def test_budget_share_via_taakveld_mapping_across_the_2025_renumbering(con):
    _budget(con, [
        (2024, GM, "realisatie", "6.1", "", 100.0),     # collectief
        (2024, GM, "realisatie", "7.1", "", 50.0),      # preventief
        (2024, GM, "realisatie", "6.72", "", 850.0),    # individueel ambulant (old numbering)
        (2025, GM, "begroting", "6.1", "", 120.0),
        (2025, GM, "begroting", "6.751", "", 700.0),    # individueel ambulant (new numbering)
        (2025, GM, "begroting", "6.72", "", 999.0),     # old code, no longer mapped in 2025
        (2025, GM, "begroting", "6.71", "", 5000.0),    # 18+: never mapped
        (2025, WK1, "begroting", "", "preventief", 80.0),
        (2025, WK1, "begroting", "", "toegang", 100.0),
        (2023, WK1, "begroting", "", "preventief", 30.0),  # 2023: booked per wijk only
        (2023, WK2, "begroting", "", "overig", 70.0),
    ])
    indicators.refresh(con)
    assert rows(con, "preventief_budget_aandeel_pct", GM, soort="realisatie")["2024"]["waarde"] == pytest.approx(15.0)
    gm_2025 = rows(con, "preventief_budget_aandeel_pct", GM, soort="begroting")["2025"]
    # The gemeente books its own lines in 2025: the wijk lines are a breakdown of them, not an addition.
    assert (gm_2025["teller"], gm_2025["noemer"]) == (120.0, 820.0)
    assert rows(con, "jeugdbudget_totaal_eur", GM, soort="begroting")["2025"]["waarde"] == 820.0
    # In 2023 only wijken booked: the gemeente is their sum.
    gm_2023 = rows(con, "preventief_budget_aandeel_pct", GM, soort="begroting")["2023"]
    assert (gm_2023["teller"], gm_2023["noemer"], gm_2023["waarde"]) == (30.0, 100.0, pytest.approx(30.0))
    assert rows(con, "preventief_budget_aandeel_pct", WK1, soort="begroting")["2025"]["waarde"] == pytest.approx(
        80 / 180 * 100
    )
    unmapped = indicators.unmapped_taakvelden(con)
    assert sorted(zip(unmapped.taakveld, unmapped.jaar, unmapped.bedrag)) == [("6.71", 2025, 5000.0),
                                                                              ("6.72", 2025, 999.0)]
    # A page shows one gemeente: another gemeente's unmapped lines (booked on it or on its wijk) are not its own.
    _budget(con, [(2025, "GM0002", "begroting", "6.71", "", 7.0), (2025, "WK000201", "begroting", "6.72", "", 8.0),
                  (2025, WK1, "begroting", "6.73", "", 9.0)])
    own = indicators.unmapped_taakvelden(con, GM)
    assert sorted(zip(own.taakveld, own.regio_code, own.bedrag)) == [("6.71", GM, 5000.0), ("6.72", GM, 999.0),
                                                                     ("6.73", WK1, 9.0)]
    assert len(indicators.unmapped_taakvelden(con)) == 5


def test_the_same_measure_from_two_tables_prefers_a_present_value_then_the_later_table(con):
    cbs(con, "85618NED", WK1, 2023, "JongerenMetJeugdzorgInNatura", 40)
    cbs(con, "85685NED", WK1, 2023, "JongerenMetJeugdzorgInNatura", None, "geheim")
    cbs(con, "85618NED", WK2, 2023, "JongerenMetJeugdzorgInNatura", 40)
    cbs(con, "85685NED", WK2, 2023, "JongerenMetJeugdzorgInNatura", 45)
    cbs(con, "85618NED", GM, 2023, "JongerenMetJeugdzorgInNatura", 400)
    indicators.refresh(con)
    found = rows(con, "jeugdhulp_aantal", periode="2023")
    assert (found[WK1]["waarde"], found[WK1]["bron"]) == (40, "CBS 85618NED")
    assert (found[WK2]["waarde"], found[WK2]["bron"]) == (45, "CBS 85685NED")
    assert found[GM]["waarde"] == 400
