"""The catalogue declares every contract id, as data, with what the UI needs."""

from __future__ import annotations

import pytest

import indicators
from indicators import catalog
from tests.test_indicators_helpers import cbs, clients, new_db, regions, rows

CONTRACT_IDS = {
    "jeugdhulp_pct", "jeugdhulp_aantal", "jeugdhulp_zonder_verblijf_pct", "jeugdhulp_met_verblijf_pct",
    "jeugdbescherming_pct", "jeugdreclassering_pct", "bereik_preventief_pct", "clienten_aantal",
    "huishoudens_aantal", "trajecten_per_client", "wachttijd_mediaan_dagen", "wachttijd_p80_dagen",
    "wachttijd_binnen_norm_pct", "wachtlijst_aantal", "trajectduur_mediaan_dagen", "preventief_budget_aandeel_pct",
    "jeugdbudget_totaal_eur", "jeugdhulp_verwacht_pct",
}
# Beyond the contract's table: CBS counts per form of care (85100NED gives no population for its regions), and the
# two forms 85100NED adds (all youth care including pgb, all jeugdhulp).
FORM_IDS = {
    f"{form}_aantal" for form in ("jeugdhulp_zonder_verblijf", "jeugdhulp_met_verblijf", "jeugdbescherming",
                                  "jeugdreclassering", "jeugdzorg_totaal", "jeugdhulp_totaal")
} | {"jeugdzorg_totaal_pct", "jeugdhulp_totaal_pct"}


def test_every_contract_id_is_declared_once_with_its_unit():
    ids = [i.id for i in catalog.STATIC]
    assert set(ids) == CONTRACT_IDS | FORM_IDS and len(ids) == len(set(ids))
    units = {i.id: i.eenheid for i in catalog.STATIC}
    assert units["wachttijd_p80_dagen"] == "dagen" and units["jeugdbudget_totaal_eur"] == "euro"
    assert units["trajecten_per_client"] == "ratio" and units["clienten_aantal"] == "aantal"
    split = {i.id for i in catalog.STATIC if i.soort_split}
    assert split == {"preventief_budget_aandeel_pct", "jeugdbudget_totaal_eur"}
    assert catalog.get(None, "wachttijd_binnen_norm_pct").richting == "hoger is beter"


def test_dynamic_ids_come_from_the_data(tmp_path):
    con = new_db(tmp_path)
    regions(con)
    clients(con, "WK000101", 10, verwijzer="Wijkteam Noord")
    cbs(con, "85618NED", "GM0001", 2023, "PersonenPerSoortUitkeringBijstand", 900)
    indicators.refresh(con)
    ids = {i.id for i in catalog.all_indicators(con)}
    assert {"verwijzer_huisarts_pct", "verwijzer_wijkteam_noord_pct", "cbs_PersonenPerSoortUitkeringBijstand"} <= ids
    assert catalog.get(con, "verwijzer_wijkteam_noord_pct").naam == "Verwijzer: wijkteam noord"
    assert rows(con, "verwijzer_wijkteam_noord_pct", "WK000101")["2023"]["waarde"] == 100.0
    with pytest.raises(KeyError, match="Onbekende indicator"):
        catalog.get(con, "bestaat_niet")
    con.close()


def test_refresh_can_join_the_callers_transaction(tmp_path):
    con = new_db(tmp_path)
    regions(con)
    clients(con, "WK000101", 12)
    con.execute("BEGIN TRANSACTION")
    indicators.refresh(con, own_transaction=False)
    assert con.execute("SELECT count(*) FROM indicator_values").fetchone()[0] > 0
    con.execute("ROLLBACK")
    assert con.execute("SELECT count(*) FROM indicator_values").fetchone()[0] == 0
    con.close()
