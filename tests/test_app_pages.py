"""The dashboard as a user sees it: every page on the demo and on an empty database, and the main widgets.

The real app (app.py with st.navigation) runs in Streamlit's AppTest over a real DuckDB file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from common.nl import DEMO_NOTICE, MARKER

APP = Path(__file__).resolve().parent.parent / "app.py"
PAGES = ["pages/overzicht.py", "pages/wijkverschillen.py", "pages/trends.py", "pages/toegang.py",
         "pages/financien.py", "pages/presentatie.py", "pages/gegevens.py"]
TINY_WIJK = "Buitengebied (fictief)"  # WK999908: its own-registration figures are suppressed


@pytest.fixture(scope="module")
def demo_copy(demo_db, tmp_path_factory) -> Path:
    """One copy of the demo for the read-only tests of this module."""
    target = tmp_path_factory.mktemp("app") / "demo.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture
def writable_demo(demo_db, tmp_path) -> Path:
    target = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, target)
    return target


def open_app(monkeypatch, db: Path, page: str | None = None, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("JEUGDMONITOR_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params.update(query or {})
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "success", "error", "subheader", "code")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def table(at: AppTest, *columns: str):
    """The first table shown with all these columns (AppTest does not expose a table's key)."""
    for frame in at.dataframe:
        if set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError(f"no table with columns {columns}")


def charts(at: AppTest) -> list:
    return at.get("plotly_chart")


def chart_spec(at: AppTest, key: str) -> dict:
    return json.loads(next(c for c in charts(at) if c.key == key).proto.spec)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_on_the_demo_and_says_it_is_fictional(monkeypatch, demo_copy, page):
    at = open_app(monkeypatch, demo_copy, page)
    assert any(DEMO_NOTICE in w.value for w in at.warning)
    assert at.title[0].value
    if page != "pages/gegevens.py":
        assert charts(at) or at.dataframe, "a page without a chart or table"
        assert all(c.proto.spec for c in charts(at))
        assert all("Fictieve demodata" in c.proto.spec for c in charts(at)), "every chart carries the demo note"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_explains_how_to_load_data_on_an_empty_database(monkeypatch, empty_db, page):
    at = open_app(monkeypatch, empty_db, page)
    text = shown_text(at)
    assert "nog geen gegevens" in text
    assert "python -m loaders" in text and "Gegevens" in text
    assert not charts(at)
    assert not any(DEMO_NOTICE in w.value for w in at.warning)


def test_a_database_file_that_does_not_exist_yet_starts_empty_without_the_demo(monkeypatch, tmp_path):
    target = tmp_path / "nieuw" / "jeugdmonitor.duckdb"
    at = open_app(monkeypatch, target)
    assert target.exists()
    assert not any(DEMO_NOTICE in w.value for w in at.warning)
    assert "Deze database bevat nog geen gegevens." in shown_text(at)


def test_overzicht_tiles_show_dutch_values_nl_and_target(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy)
    assert at.selectbox(key="jaar").value == 2024
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Jongeren met jeugdhulp"] == "12,2%"
    assert tiles["Wachttijd (mediaan)"].endswith("dagen")
    assert "Budgetaandeel preventief" in tiles and "Cijfers: realisatie" in shown_text(at)
    text = shown_text(at)
    assert "Nederland: 10,8%" in text and "Vorig jaar (2023: 12,3%)" in text
    assert "Streefwaarde 2027: 10,0%" in text
    wijken = table(at, "Regio", "Wachttijd (mediaan)").set_index("Regio")
    assert wijken.loc[TINY_WIJK, "Wachttijd (mediaan)"] == MARKER
    assert wijken.loc["Oosterpark (fictief)", "Jongeren met jeugdhulp"] == "15,0%"


def test_year_gemeente_and_wijk_come_from_the_url(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, query={"jaar": "2021", "wijk": "Oosterpark (fictief)"})
    assert at.selectbox(key="jaar").value == 2021
    assert at.selectbox(key="wijk").value == "WK999902"
    assert any("Voorbeeldstad (fictief), 2021" == s.value for s in at.subheader)


def test_wijkverschillen_shows_the_marker_never_a_number_for_the_suppressed_wijk(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, "pages/wijkverschillen.py")
    assert "Trechterdiagram: jongeren met jeugdhulp" in shown_text(at)
    at.selectbox(key="wv_indicator").select("wachttijd_mediaan_dagen")
    rerun(at)
    rows = table(at, "Regio", "Afwijkend").set_index("Regio")
    assert list(rows.loc[TINY_WIJK, ["Waarde", "Teller", "Noemer"]]) == [MARKER] * 3
    assert rows.loc["Voorbeeldstad (fictief)", "Waarde"] == "12"
    bars = chart_spec(at, "wv_ranking")["data"][0]
    shown = dict(zip(bars["y"], bars["text"]))
    assert shown[TINY_WIJK] == MARKER
    assert shown["Oosterpark (fictief)"] == "13"
    assert "geen trechterdiagram" not in shown_text(at) and "alleen bij een percentage" in shown_text(at)


def test_wijkverschillen_funnel_names_the_wijken_outside_the_limits(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, "pages/wijkverschillen.py")
    funnel = table(at, "Regio", "Afwijkend").set_index("Regio")["Afwijkend"]
    text = shown_text(at)
    outside = [wijk for wijk, verdict in funnel.items() if verdict and not verdict.startswith("binnen")]
    assert outside, "the demo has wijken outside the limits"
    assert all(wijk in text for wijk in outside)
    assert "Verschil hoogste – laagste" in [m.label for m in at.metric]


def test_trends_draws_chosen_wijken_against_benchmarks_with_the_target(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, "pages/trends.py")
    at.multiselect(key="tr_wijken").set_value(["WK999902", "WK999905"])
    at.pills(key="tr_vergelijk").set_value(["GM", "NL"])
    rerun(at)
    alt = next(c.value for c in at.caption if c.value.startswith("Lijndiagram"))
    assert "Oosterpark (fictief)" in alt and "Molenkwartier (fictief)" in alt and "Nederland" in alt
    assert "Jeugdregio" not in alt
    assert "streefwaarde (9,5% in 2030)" in alt
    lines = {trace["name"]: trace for trace in chart_spec(at, "tr_grafiek")["data"]}
    assert lines["Oosterpark (fictief)"]["customdata"][-1] == "Oosterpark (fictief) 2024: 15,0%"
    assert lines["Streefwaarde"]["customdata"][-1] == "Streefwaarde 2030: 9,5%"
    assert "Geen cijfers voor 2025." in shown_text(at), "a year without a value is named, not drawn as zero"


def test_toegang_distribution_by_category_and_waits(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, "pages/toegang.py")
    waits = table(at, "Regio", "Mediaan (dagen)").set_index("Regio")
    assert waits.loc[f"{TINY_WIJK} {MARKER}", "Mediaan (dagen)"] == MARKER
    at.selectbox(key="tg_categorie").select("jeugd_ggz")
    rerun(at)
    assert any("trajecten jeugd ggz per wijk" in c.value for c in at.caption)
    grid = table(at, "Regio (dagen →)")
    assert list(grid.columns[1:]) == ["0-5", "6-10", "11-20", "21-40", "41-60", "61-90", ">90"]


def test_financien_switches_between_realisatie_and_begroting(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, "pages/financien.py")
    assert any(s.value == "Uitgaven per categorie (realisatie)" for s in at.subheader)
    at.segmented_control(key="fi_soort").set_value("begroting")
    rerun(at)
    assert any(s.value == "Uitgaven per categorie (begroting)" for s in at.subheader)
    assert "Streefwaarden: 10,0% in 2027, 25,0% in 2030" in shown_text(at)
    categories = table(at, "Categorie")
    assert "Preventief" in set(categories["Categorie"]) and "2026" in categories.columns


def test_presentatie_steps_through_slides_and_keeps_the_duiding(monkeypatch, writable_demo):
    at = open_app(monkeypatch, writable_demo, "pages/presentatie.py", query={"wijk": "Oosterpark (fictief)"})
    text = shown_text(at)
    assert at.title[0].value.startswith("Oosterpark (fictief), 2024 · dia 1 van ")
    assert "In 2024 kreeg 15,0% van de jongeren (0-22 jaar) in Oosterpark (fictief) jeugdhulp" in text
    at.button(key="pr_volgende").click()
    rerun(at)
    assert " · dia 2 van " in at.title[0].value
    at.text_area(key="pr_duiding").input("Veel jonge gezinnen verhuisd naar de nieuwbouw.")
    at.button(key="pr_opslaan").click()
    rerun(at)
    again = open_app(monkeypatch, writable_demo, "pages/presentatie.py", query={"wijk": "Oosterpark (fictief)"})
    again.button(key="pr_volgende").click()
    rerun(again)
    assert any("Veel jonge gezinnen" in i.value for i in again.info)
    assert "Veel jonge gezinnen verhuisd naar de nieuwbouw." in set(table(again, "Duiding")["Duiding"])
    with duckdb.connect(str(writable_demo), read_only=True) as con:
        assert con.execute("SELECT wijk_code, jaar FROM duiding").fetchall() == [("WK999902", 2024)]


def test_gegevens_checks_an_upload_then_loads_it(monkeypatch, tmp_path):
    own = tmp_path / "eigen.duckdb"
    at = open_app(monkeypatch, own, "pages/gegevens.py")
    normen = "productcategorie;norm_dagen;soort_dagen;bron\nbasishulp;10;werkdagen;Eigen afspraak\n"
    at.file_uploader(key="gg_bestand").set_value(("mijn_normen.csv", normen.encode(), "text/csv"))
    rerun(at)
    text = shown_text(at)
    assert "mijn_normen.csv (soort normen): 1 rij goed, 0 rijen afgewezen. Nog niet in de database" in text
    assert not any("geladen" in i.value for i in at.info), "a check does not say rows were loaded"
    at.button(key="gg_laden").click()
    rerun(at)
    assert "mijn_normen.csv" in set(table(at, "Bestand", "Soort")["Bestand"])
    assert any(s.value.startswith("Geladen. mijn_normen.csv") for s in at.success)
    assert not [b for b in at.button if b.key == "gg_laden"], "a loaded upload is not offered again"
    with duckdb.connect(str(own), read_only=True) as con:
        assert con.execute("SELECT norm_dagen FROM normen WHERE productcategorie = 'basishulp'").fetchone() == (10,)


def test_gegevens_on_the_demo_refuses_real_data_and_says_where_it_goes(monkeypatch, writable_demo):
    at = open_app(monkeypatch, writable_demo, "pages/gegevens.py")
    assert "wijken.geojson" in set(table(at, "Bestand", "Soort")["Bestand"])
    normen = "productcategorie;norm_dagen;soort_dagen;bron\nbasishulp;10;werkdagen;Eigen afspraak\n"
    at.file_uploader(key="gg_bestand").set_value(("mijn_normen.csv", normen.encode(), "text/csv"))
    rerun(at)
    assert any("kan niet worden geladen" in e.value for e in at.error)
    assert any("database van de fictieve demo" in c.value and "data/jeugdmonitor.duckdb" in c.value for c in at.code)
    assert not [b for b in at.button if b.key == "gg_laden"]


def test_gegevens_refuses_a_file_it_cannot_read_and_offers_no_load(monkeypatch, writable_demo):
    at = open_app(monkeypatch, writable_demo, "pages/gegevens.py")
    at.selectbox(key="gg_soort").select("trajecten")
    at.file_uploader(key="gg_bestand").set_value(("leeg.csv", b"a;b\n1;2\n", "text/csv"))
    rerun(at)
    assert any("kan niet worden geladen" in e.value for e in at.error)
    assert any("geweigerd" in c.value for c in at.code)
    assert not [b for b in at.button if b.key == "gg_laden"]
    assert "leeg.csv" not in set(table(at, "Bestand", "Soort")["Bestand"])


def test_gegevens_offers_no_load_for_a_file_without_good_rows_and_names_no_options(monkeypatch, empty_db):
    at = open_app(monkeypatch, empty_db, "pages/gegevens.py")  # the demo database refuses real files outright
    bad = "productcategorie;norm_dagen;soort_dagen;bron\nbasishulp;tien;werkdagen;x\n"
    at.file_uploader(key="gg_bestand").set_value(("slechte_normen.csv", bad.encode(), "text/csv"))
    rerun(at)
    assert any("heeft geen goede rijen: 1 rij afgewezen" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "gg_laden"], "nothing to load, no load button"
    at.file_uploader(key="gg_bestand").set_value(("raadsel.csv", b"x;y\n1;2\n", "text/csv"))
    rerun(at)
    shown = "\n".join(c.value for c in at.code)
    assert "'Soort bestand'" in shown and "--" not in shown, shown


def test_wijkverschillen_shows_werkelijk_verwacht_verschil_and_the_model_funnel(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, "pages/wijkverschillen.py")
    for what in ("werkelijk", "verwacht", "verschil"):
        spec = chart_spec(at, f"wv_verwacht_{what}")
        assert spec["data"][0]["type"] == "choroplethmap"
    funnel = chart_spec(at, "wv_verwacht_trechter")
    assert {t["name"] for t in funnel["data"]} >= {"95%-grenzen", "Zoals verwacht"}
    text = shown_text(at)
    assert "Wat betekent verwacht?" in text and "beter bereikt" in text and "van elders" in text
    rows = table(at, "Wijk", "Verwacht", "Oordeel").set_index("Wijk")
    assert rows.loc["Oosterpark (fictief)", "Oordeel"] == "lager dan verwacht"


def test_trends_draws_the_expected_line_beside_the_actual_one(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, "pages/trends.py")
    at.multiselect(key="tr_wijken").set_value(["WK999902"])
    rerun(at)
    names = {t.get("name") for t in chart_spec(at, "tr_verwacht_WK999902")["data"]}
    assert {"Werkelijk (Oosterpark (fictief))", "Verwacht (Oosterpark (fictief))"} <= names


def test_presentatie_slide_of_expected_use_says_one_plain_sentence(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, "pages/presentatie.py", query={"wijk": "Oosterpark (fictief)"})
    chosen = at.multiselect(key="pr_indicatoren").value
    assert "jeugdhulp_verwacht_pct" in chosen
    for _ in range(chosen.index("jeugdhulp_verwacht_pct")):
        at.button(key="pr_volgende").click()
        rerun(at)
    text = shown_text(at)
    assert ("In Oosterpark (fictief) had in 2024 14,9% van de jongeren jeugdhulp, terwijl je gezien wie er wonen"
            in text)
    assert "lager dan verwacht, en meer dan toeval" in text


def test_gegevens_shows_the_model_card(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, "pages/gegevens.py")
    card = table(at, "Onderdeel", "Toelichting").set_index("Onderdeel")["Toelichting"]
    assert card["Jaar"] == "2024" and card["Wijken in het model"].startswith("110 wijken uit 9 gemeenten")
    assert card["Kenmerk: huishoudens met een laag inkomen (%)"].startswith("Bij 5 procentpunt meer")
    assert "pseudo-R²" in card["Hoe goed past het model"]
    at.selectbox(key="gg_model_jaar").select(2025)
    rerun(at)
    card = table(at, "Onderdeel", "Toelichting").set_index("Onderdeel")["Toelichting"]
    assert card["Uitkomst"].startswith("Geen verwacht gebruik voor 2025")
