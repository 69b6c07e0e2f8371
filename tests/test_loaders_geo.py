"""Boundaries: the real PDOK/CBS/municipal GeoJSON files, RD New through pyproj, and the year a map belongs to."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, shape

import store
from loaders import LoadOptions, load_file
from loaders.geo_shapes import SIMPLIFY_DEGREES, rd_to_wgs84
from tests.conftest import snapshot
from tests.loader_files import write

# Landmarks (WGS84 longitude, latitude) and the area that holds them.
DAM = (4.8913, 52.3731)            # Paleis op de Dam, Amsterdam: wijk Burgwallen-Nieuwe Zijde
OUDE_KERK = (4.8980, 52.3744)      # Amsterdam: wijk Burgwallen-Oude Zijde
BINNENHOF = (4.3133, 52.0799)      # Den Haag: wijk 28 Centrum
DOMTOREN = (5.1215, 52.0907)       # Utrecht
MARTINITOREN = (6.5680, 53.2193)   # Groningen


def real(shared_cbs: Path, name: str) -> Path:
    path = shared_cbs / "real" / name
    if not path.is_file():
        pytest.skip(f"{path} ontbreekt")
    return path


def features_of(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8-sig"))["features"]


def stored(con, jaar: int) -> dict[str, tuple[str, str, shapely.Geometry]]:
    rows = con.execute("SELECT code, niveau, name, geometry FROM region_boundaries WHERE jaar = ?", [jaar]).fetchall()
    return {code: (niveau, name, shape(json.loads(geom))) for code, niveau, name, geom in rows}


def holder(areas: dict, point: tuple[float, float]) -> list[str]:
    return sorted(code for code, (_, _, geom) in areas.items() if geom.contains(Point(point)))


# --- RD New to WGS84 --------------------------------------------------------------------------------------------

def rd_polynomial(x: float, y: float) -> tuple[float, float]:
    """The published approximation of Schreutelkamp and Strang van Hees (within about a metre): an independent
    reference for pyproj."""
    dx, dy = (x - 155000) * 1e-5, (y - 463000) * 1e-5
    som_n = (3235.65389 * dy - 32.58297 * dx**2 - 0.2475 * dy**2 - 0.84978 * dx**2 * dy - 0.0655 * dy**3
             - 0.01709 * dx**2 * dy**2 - 0.00738 * dx + 0.0053 * dx**4 - 0.00039 * dx**2 * dy**3
             + 0.00033 * dx**4 * dy - 0.00012 * dx * dy)
    som_e = (5260.52916 * dx + 105.94684 * dx * dy + 2.45656 * dx * dy**2 - 0.81885 * dx**3
             + 0.05594 * dx * dy**3 - 0.05607 * dx**3 * dy + 0.01199 * dy - 0.00256 * dx**3 * dy**2
             + 0.00128 * dx * dy**4 + 0.00022 * dy**2 - 0.00022 * dx**2 + 0.00026 * dx**5)
    return 5.387206 + som_e / 3600, 52.15517 + som_n / 3600


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = (a[1] - b[1]) * 111_200
    dlon = (a[0] - b[0]) * 111_320 * np.cos(np.radians(a[1]))
    return float(np.hypot(dlat, dlon))


def test_rd_origin_amersfoort():
    lon, lat = rd_to_wgs84(np.array([155000.0]), np.array([463000.0]))
    assert lat[0] == pytest.approx(52.15517, abs=1e-5) and lon[0] == pytest.approx(5.38721, abs=1e-5)


@pytest.mark.parametrize("x, y", [
    (233883, 582065),   # Groningen, far north-east
    (121400, 487400),   # Amsterdam
    (81000, 455000),    # Den Haag
    (190000, 330000),   # Limburg, far south
    (30000, 380000),    # Zeeuws-Vlaanderen, far west
    (260000, 540000),   # Drenthe
])
def test_rd_away_from_the_origin_agrees_with_the_published_polynomial(x, y):
    lon, lat = rd_to_wgs84(np.array([float(x)]), np.array([float(y)]))
    assert metres((lon[0], lat[0]), rd_polynomial(x, y)) < 1.0


def test_rd_round_trip_through_pyprojs_inverse():
    import pyproj

    back = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
    x, y = np.array([13565.0, 121400.0, 277992.0]), np.array([306846.0, 487400.0, 619290.0])
    bx, by = back.transform(*rd_to_wgs84(x, y))
    assert np.abs(bx - x).max() < 0.01 and np.abs(by - y).max() < 0.01


# --- the real files ---------------------------------------------------------------------------------------------

def test_cbs_gemeenten_2017_stored_under_2017(con, shared_cbs):
    path = real(shared_cbs, "geo_cbs_gemeenten2017_rd.geojson")
    source = features_of(path)
    report = load_file(con, path, refresh=False)
    assert not report.refused and report.problem_lines() == []
    assert report.rows_accepted == len(source) == 388
    assert "kaart opgeslagen als die van 2017 (jaar uit jrstatcode)" in report.warnings
    assert con.execute("SELECT DISTINCT jaar, niveau FROM region_boundaries").fetchall() == [(2017, "GM")]
    areas = stored(con, 2017)
    assert set(areas) == {f["properties"]["statcode"] for f in source}
    assert {c: n for c, (_, n, _) in areas.items()} == {f["properties"]["statcode"]: f["properties"]["statnaam"]
                                                       for f in source}
    assert holder(areas, DOMTOREN) == ["GM0344"] and holder(areas, MARTINITOREN) == ["GM0014"]
    # Appingedam merged into Eemsdelta in 2021: its 2017 outline is kept as 2017's, not as a map of today
    assert areas["GM0003"][1] == "Appingedam"


def test_national_wijken_2016(con, shared_cbs):
    path = real(shared_cbs, "geo_cbs_wijken2016_nl_WKC_rd.geojson")
    source = features_of(path)
    codes = [f["properties"]["WKC"] for f in source]
    empty = [n for n, f in enumerate(source, 1) if not f["geometry"]["coordinates"]]
    invalid = sum(not shape(f["geometry"]).is_valid for f in source if f["geometry"]["coordinates"])
    report = load_file(con, path, refresh=False)
    assert (len(source), len(set(codes)), len(empty)) == (2982, 2981, 2)
    assert report.rows_accepted == len(set(codes)) - len(empty)
    assert report.problem_lines() == [f"{path.name}, rij {n}, kolom coordinates: lege geometrie (geen coördinaten)"
                                      for n in empty]
    assert report.warnings == [
        f"{invalid} ongeldige polygonen hersteld (shapely make_valid)",
        "1 gebieden hadden een code die al eerder in het bestand stond; de delen zijn samengevoegd tot één gebied",
        "kaart opgeslagen als die van 2016 (jaar uit de bestandsnaam)",
    ]
    areas = stored(con, 2016)
    assert all(geom.is_valid and geom.area > 0 for _, _, geom in areas.values())
    names = {f["properties"]["WKC"]: f["properties"]["WKN"] for f in source}
    assert all(areas[c][1] == names[c] for c in areas)
    assert holder(areas, DAM) == ["WK036301"] and holder(areas, OUDE_KERK) == ["WK036300"]
    assert holder(areas, BINNENHOF) == ["WK051828"]
    twice = [shape(f["geometry"]) for f in source if f["properties"]["WKC"] == "WK191104"]
    lon, lat = rd_to_wgs84(*np.array([p.representative_point().coords[0] for p in twice]).T)
    assert all(areas["WK191104"][2].contains(Point(x, y)) for x, y in zip(lon, lat))


def test_amsterdam_without_crs_is_recognised_as_rd(con, shared_cbs):
    path = real(shared_cbs, "geo_amsterdam_wijken_cbsCode_rd.geojson")
    source = features_of(path)
    assert "crs" not in json.loads(path.read_text(encoding="utf-8"))
    report = load_file(con, path, LoadOptions(jaar=2024), refresh=False)
    assert report.rows_accepted == len(source) == 20 and report.problem_lines() == []
    assert report.warnings == ["het bestand noemt geen projectie; RD New herkend aan de coördinaten",
                               "kaart opgeslagen als die van 2024 (jaar uit --jaar)"]
    areas = stored(con, 2024)
    assert {c: n for c, (_, n, _) in areas.items()} == {f["properties"]["cbsCode"]: f["properties"]["naam"]
                                                       for f in source}
    assert holder(areas, DAM) == ["WK0363AD"] and holder(areas, OUDE_KERK) == ["WK0363AE"]


def test_den_haag_json_needs_a_year_and_is_simplified_readably(con, shared_cbs):
    path = real(shared_cbs, "geo_denhaag_wijken_WK_CODE_wgs84.json")
    source = features_of(path)
    before = snapshot(con)
    refused = load_file(con, path)
    assert refused.refused and refused.problem_lines() == [
        f"{path.name}: het jaar van deze kaart staat niet in het bestand (jrstatcode, JAAR of een jaartal in de "
        "naam); geef het op met --jaar (of bij het uploaden)."
    ]
    assert snapshot(con) == before
    report = load_file(con, path, LoadOptions(jaar=2023), refresh=False)
    assert report.kind == "geo" and report.rows_accepted == len(source) == 72
    areas = stored(con, 2023)
    assert sum(c.startswith("WK0518") for c in areas) == 45
    assert areas["WK051801"][1] == source[0]["properties"]["WK_NAAM"] == "Wijk 01 Oostduinen"
    assert holder(areas, BINNENHOF) == ["WK051828"]
    original = {f["properties"]["WK_CODE"]: shape(f["geometry"]) for f in source}
    points_before = sum(shapely.get_num_coordinates(g) for g in original.values())
    points_after = sum(shapely.get_num_coordinates(g) for _, _, g in areas.values())
    assert points_after < points_before / 3
    assert max(shapely.hausdorff_distance(original[c], g) for c, (_, _, g) in areas.items()) < 2 * SIMPLIFY_DEGREES


def test_each_year_keeps_its_own_boundaries(con, tmp_path):
    def square(size: float, year: int) -> str:
        ring = [[5.0, 52.0], [5.0 + size, 52.0], [5.0 + size, 52.0 + size], [5.0, 52.0 + size], [5.0, 52.0]]
        return json.dumps({"type": "FeatureCollection", "name": f"wijken_{year}", "features": [
            {"type": "Feature", "properties": {"WK_CODE": "WK003401", "WK_NAAM": f"Stad {year}"},
             "geometry": {"type": "Polygon", "coordinates": [ring]}}]})

    assert load_file(con, write(tmp_path, "a.geojson", square(0.1, 2019)), refresh=False).rows_accepted == 1
    assert load_file(con, write(tmp_path, "b.geojson", square(0.02, 2023)), refresh=False).rows_accepted == 1
    areas = {y: stored(con, y)["WK003401"] for y in (2019, 2023)}
    assert areas[2019][2].area == pytest.approx(0.01) and areas[2023][2].area == pytest.approx(0.0004)
    assert (areas[2019][1], areas[2023][1]) == ("Stad 2019", "Stad 2023")


def test_a_map_fills_names_the_regions_lack_and_keeps_those_they_have(con, tmp_path):
    # a CBS table that gives codes only leaves its wijken nameless; here such rows are written directly
    con.execute("INSERT INTO regions (code, name, niveau) VALUES ('WK000101', NULL, 'WK'), ('WK000102', 'Zuid', 'WK')")
    features = [{"type": "Feature", "properties": {"WK_CODE": code, "WK_NAAM": name, "JAAR": 2024},
                 "geometry": {"type": "Polygon", "coordinates": [[[5.0, 52.0], [5.1, 52.0], [5.1, 52.1], [5.0, 52.0]]]}}
                for code, name in (("WK000101", "Noord"), ("WK000102", "Wijk 02 Zuid"))]
    report = load_file(con, write(tmp_path, "w.geojson", json.dumps({"type": "FeatureCollection",
                                                                      "features": features})), refresh=False)
    assert report.warnings == ["kaart opgeslagen als die van 2024 (jaar uit JAAR)"]
    assert con.execute("SELECT code, name FROM regions WHERE niveau = 'WK' ORDER BY code").fetchall() == [
        ("WK000101", "Noord"), ("WK000102", "Zuid")]


def test_a_database_from_before_maps_had_years_drops_its_yearless_map(tmp_path):
    import duckdb

    from store.schema import MIGRATIONS

    path = tmp_path / "v1.duckdb"
    old = duckdb.connect(str(path))
    old.execute(MIGRATIONS[0])
    old.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    old.execute("INSERT INTO regions (code, name, niveau, geometry) VALUES ('WK000101', 'Noord', 'WK', '{}')")
    old.execute("INSERT INTO load_log VALUES (1, 'w.geojson', 'geo', 'abc', '', 1, 0, now()::TIMESTAMP, false, NULL),"
                " (2, 'r.csv', 'regios', 'def', '', 1, 0, now()::TIMESTAMP, false, NULL)")
    old.close()
    con = store.connect(path)
    assert con.execute("SELECT code, name, niveau FROM regions").fetchall() == [("WK000101", "Noord", "WK")]
    assert "geometry" not in [d[0] for d in con.execute("SELECT * FROM regions").description]
    assert con.execute("SELECT file_name FROM load_log").fetchall() == [("r.csv",)]
    assert con.execute("SELECT count(*) FROM region_boundaries").fetchall() == [(0,)]
