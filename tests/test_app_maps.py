"""The wijk map draws the boundaries of the chosen year, else of the nearest earlier year, and says which."""

from __future__ import annotations

import shutil

import pytest

import store
from loaders import LoadOptions, load_file
from loaders.demo import DEMO_DIR
from tests.test_app_pages import charts, open_app, shown_text


@pytest.fixture(scope="module")
def demo_with_maps(demo_db, tmp_path_factory):
    """The demo (its map is of 2019) plus the same map stated as 2023's."""
    target = tmp_path_factory.mktemp("maps") / "demo.duckdb"
    shutil.copy(demo_db, target)
    con = store.connect(target)
    report = load_file(con, DEMO_DIR / "wijken.geojson", LoadOptions(kind="geo", jaar=2023), is_demo=True)
    assert report.rows_accepted == 8, report.lines()
    con.close()
    return target


@pytest.mark.parametrize("jaar, caption", [
    ("2023", "Kaart: wijkgrenzen van 2023."),
    ("2024", "Kaart: wijkgrenzen van 2023; van 2024 zijn geen wijkgrenzen geladen."),
    ("2021", "Kaart: wijkgrenzen van 2019; van 2021 zijn geen wijkgrenzen geladen."),
])
def test_the_map_says_which_years_boundaries_it_draws(monkeypatch, demo_with_maps, jaar, caption):
    at = open_app(monkeypatch, demo_with_maps, "pages/wijkverschillen.py", query={"jaar": jaar})
    assert at.selectbox(key="jaar").value == int(jaar)
    assert [c for c in charts(at) if c.key == "wv_kaart"]
    assert caption in [c.value for c in at.caption]


def test_no_later_map_stands_in_for_an_earlier_year(monkeypatch, demo_db, tmp_path):
    target = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, target)
    con = store.connect(target)
    load_file(con, DEMO_DIR / "wijken.geojson", LoadOptions(kind="geo", jaar=2023), is_demo=True)
    # only the map of 2023 stays: as if the demo's map had been loaded for 2023 alone
    con.execute("DELETE FROM region_boundaries WHERE jaar = 2019")
    con.close()
    at = open_app(monkeypatch, target, "pages/wijkverschillen.py", query={"jaar": "2021"})
    assert not [c for c in charts(at) if c.key == "wv_kaart"]
    assert ("Er zijn geen wijkgrenzen van 2021 of eerder geladen (wel van 2023); een latere indeling zou de wijken "
            "van 2021 verkeerd tekenen. Laad de wijkgrenzen van 2021 voor een kaart.") in shown_text(at)
