"""The dashboard's data preparation reads one frame per gemeente and slices it: the slices must be what the
indicator layer gives (`compute_frame`, `coverage`, the catalogue), on the real demo database."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

import indicators
from indicators import catalog
from ui import data

GEMEENTE = "GM9999"


@pytest.fixture(scope="module")
def demo(demo_db, tmp_path_factory):
    copy = tmp_path_factory.mktemp("data") / "demo.duckdb"
    shutil.copy(demo_db, copy)
    with duckdb.connect(str(copy), read_only=True) as connection:
        yield connection


def _version(con, name: str) -> str:
    """A cache key of its own per test, so no test reads another's cached result."""
    return f"test_app_data|{name}|{id(con)}"


def _published(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain values (missing as None), so a column's dtype does not hide or fake a difference."""
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def test_present_indicators_follow_the_catalogue_order_and_its_descriptions(demo):
    version = _version(demo, "catalogue")
    present = set(data.present_ids(demo, version))
    found = data.present_indicators(demo, version)
    assert list(found) == [i.id for i in catalog.all_indicators(demo) if i.id in present]
    assert any(i.startswith("cbs_") for i in found) and any(i.startswith("verwijzer_") for i in found)
    assert all(found[i] == catalog.get(demo, i) for i in found)


def test_series_and_years_are_the_rows_of_compute_frame_in_the_order_shown(demo):
    version = _version(demo, "series")
    frame = indicators.compute_frame(demo, gemeente=GEMEENTE)
    ids = data.available(demo, version, GEMEENTE, "WK") + data.available(demo, version, GEMEENTE, "GM")
    assert "jeugdhulp_pct" in ids and "preventief_budget_aandeel_pct" in ids
    for indicator_id in dict.fromkeys(ids):
        for soort in data.soorten(demo, version, indicator_id, GEMEENTE):
            rows = frame[(frame["indicator_id"] == indicator_id) & (frame["soort"] == soort)
                         & (frame["periode"] == frame["jaar"].astype(str))]
            expected = rows.sort_values(["jaar", "niveau", "regio_naam"]).reset_index(drop=True)
            shown = data.series(demo, version, indicator_id, GEMEENTE, soort)
            assert list(shown.columns) == list(frame.columns)
            assert _published(shown) == _published(expected), (indicator_id, soort)
            jaar = int(expected["jaar"].max())
            year = data.year_values(demo, version, indicator_id, GEMEENTE, jaar, soort)
            assert _published(year) == _published(expected[expected["jaar"] == jaar]), (indicator_id, soort)


def test_coverage_counts_what_the_indicator_layer_counts(demo):
    expected = indicators.coverage(demo, GEMEENTE)
    pd.testing.assert_frame_equal(data.coverage(demo, _version(demo, "coverage"), GEMEENTE), expected)


def test_sidebar_choices_come_from_the_gemeente_rows(demo):
    version = _version(demo, "sidebar")
    wijken = data.wijken(demo, version, GEMEENTE)
    assert list(wijken["code"]) == sorted(wijken["code"], key=dict(zip(wijken["code"], wijken["naam"])).get)
    assert len(wijken) == 8 and "WK999908" in set(wijken["code"])
    years = data.jaren(demo, version, GEMEENTE)
    assert list(years["jaar"]) == sorted(years["jaar"], reverse=True)
    assert data.default_jaar(years) == 2024
    assert data.soorten(demo, version, "preventief_budget_aandeel_pct", GEMEENTE) == ["realisatie", "begroting"]
    assert data.soorten(demo, version, "jeugdhulp_pct", GEMEENTE) == [""]
