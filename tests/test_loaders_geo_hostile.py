"""Hostile GeoJSON, generated with a seed: every fault one exact Dutch line, and a refused file changes nothing."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys

import pytest
from shapely.geometry import shape

import store
from loaders import LoadOptions, load_file
from tests.conftest import ROOT, snapshot
from tests.loader_files import write

SEED = 20261126
CODES = "zoals GM0518, WK051801, WK0363AA of BU05180101"
NONE_LOADED = "geen enkel gebied kan worden geladen."


def ring(rng: random.Random, lon: float = 4.30, lat: float = 52.07, size: float = 0.01) -> list[list[float]]:
    """A jittered square, closed, counter-clockwise."""
    def j():
        return round(rng.uniform(-0.1, 0.1) * size, 6)
    corners = [[lon + j(), lat + j()], [lon + size + j(), lat + j()], [lon + size + j(), lat + size + j()],
               [lon + j(), lat + size + j()]]
    return [[round(x, 6), round(y, 6)] for x, y in corners] + [[round(corners[0][0], 6), round(corners[0][1], 6)]]


def feature(rng: random.Random, number: int = 1, **change) -> dict:
    out = {"type": "Feature", "properties": {"WK_CODE": f"WK0518{number:02d}", "WK_NAAM": f"Wijk {number:02d}"},
           "geometry": {"type": "Polygon", "coordinates": [ring(rng, lon=4.30 + number * 0.011)]}}
    out.update(change)
    return out


def collection(*features, **members) -> str:
    return json.dumps({"type": "FeatureCollection", "name": "wijken_2024", **members, "features": list(features)})


def with_geometry(rng, geometry) -> str:
    return collection(feature(rng, geometry=geometry))


def with_properties(rng, properties) -> str:
    return collection(feature(rng, properties=properties))


def with_ring(rng, change) -> str:
    points = ring(rng)
    return with_geometry(rng, {"type": "Polygon", "coordinates": [change(points)]})


# name -> (build(rng) -> (file text, the row fault's column and message)); each file holds one bad feature only
ROW_FAULTS = {
    "properties_text": lambda r: (with_properties(r, "WK_CODE=WK051801"),
                                  ("properties", "properties is geen object maar tekst")),
    "properties_list": lambda r: (with_properties(r, [["WK_CODE", "WK051801"]]),
                                  ("properties", "properties is geen object maar een lijst")),
    "geometry_text": lambda r: (with_geometry(r, "POLYGON((4.3 52.07, 4.31 52.07, 4.31 52.08, 4.3 52.07))"),
                                ("geometry", "geometry is geen object maar tekst")),
    "geometry_null": lambda r: (with_geometry(r, None), ("geometry", "gebied zonder geometrie")),
    "point": lambda r: (with_geometry(r, {"type": "Point", "coordinates": [4.3, 52.07]}),
                        ("geometry", "geometrie van het type 'Point'; verwacht Polygon of MultiPolygon")),
    "coordinates_number": lambda r: (with_geometry(r, {"type": "Polygon", "coordinates": 5}),
                                     ("coordinates", "coordinates is geen lijst maar een getal")),
    "coordinates_empty": lambda r: (with_geometry(r, {"type": "MultiPolygon", "coordinates": []}),
                                    ("coordinates", "lege geometrie (geen coördinaten)")),
    "multipolygon_part_number": lambda r: (
        with_geometry(r, {"type": "MultiPolygon", "coordinates": [7]}),
        ("coordinates", "deel 1 van de multipolygoon is geen lijst van ringen maar een getal")),
    "three_points": lambda r: (with_ring(r, lambda p: p[:3]),
                               ("coordinates", "de buitenrand heeft 3 punten; een ring heeft er minstens 4")),
    "one_number_point": lambda r: (with_ring(r, lambda p: [p[0][:1]] + p[1:]),
                                   ("coordinates", "een punt van de buitenrand heeft minder dan twee getallen")),
    "boolean_coordinate": lambda r: (with_ring(r, lambda p: [[True, p[0][1]]] + p[1:]),
                                     ("coordinates", "coördinaat waar/onwaar in de buitenrand is geen getal")),
    "nan": lambda r: (with_ring(r, lambda p: [[float("nan"), p[0][1]]] + p[1:]),
                      ("coordinates", "de buitenrand bevat een coördinaat die geen eindig getal is")),
    "huge": lambda r: (with_ring(r, lambda p: p[:2] + [[10**400, p[2][1]]] + p[3:]),
                       ("coordinates", "de buitenrand bevat een coördinaat die geen eindig getal is")),
    "collinear": lambda r: (with_ring(r, lambda p: [[4.30, 52.07], [4.31, 52.08], [4.32, 52.09], [4.30, 52.07]]),
                            ("coordinates", "de polygoon heeft geen oppervlakte, ook niet na herstel")),
    "name_as_code": lambda r: (with_properties(r, {"WK_CODE": "Centrum"}),
                               ("WK_CODE", f"'Centrum' is geen CBS-code ({CODES})")),
    "full_width_digit": lambda r: (with_properties(r, {"WK_CODE": "WK05180\uff11"}),
                                   ("WK_CODE", f"'WK05180\uff11' is geen CBS-code ({CODES})")),
    "full_width_gemeente_digits": lambda r: (with_properties(r, {"WK_CODE": "WK\uff10\uff15\uff11\uff1801"}),
                                             ("WK_CODE", f"'WK\uff10\uff15\uff11\uff1801' is geen CBS-code ({CODES})")),
    "short_code": lambda r: (with_properties(r, {"statcode": "WK1"}),
                             ("statcode", f"'WK1' is geen CBS-code ({CODES})")),
    "numeric_code": lambda r: (with_properties(r, {"cbsCode": 51801}),
                               ("cbsCode", f"een getal is geen CBS-code ({CODES})")),
    "no_code": lambda r: (with_properties(r, {"naam": "Centrum"}), (
        "properties", "gebied zonder CBS-code (verwacht een van: BU_CODE, buurtcode, WK_CODE, WKC, wijkcode, "
                      "cbsCode, statcode, regio_code, GM_CODE, GMC, gemeentecode)")),
    "formula_name": lambda r: (with_properties(r, {"WK_CODE": "WK051801", "WK_NAAM": '=HYPERLINK("http://x")'}),
                               ("WK_NAAM", "'=HYPERLINK(\"http://x\")' lijkt een spreadsheetformule; zo'n naam "
                                           "wordt niet geladen")),
    "numeric_name": lambda r: (with_properties(r, {"WKC": "WK051801", "WKN": 12}),
                               ("WKN", "de naam is geen tekst maar een getal")),
    "year_not_a_year": lambda r: (with_properties(r, {"WK_CODE": "WK051801", "JAAR": "volgend jaar"}),
                                  ("JAAR", "'volgend jaar' begint niet met een jaartal")),
    "feature_text": lambda r: (collection("Feature WK051801"), ("features", "het gebied is geen object maar tekst")),
}


def string_coordinates(r):
    points = ring(r)
    text = [[str(x), str(y)] for x, y in points]
    return with_geometry(r, {"type": "Polygon", "coordinates": [text]}), (
        "coordinates", f"coördinaat '{points[0][0]}' in de buitenrand is geen getal")


ROW_FAULTS["string_coordinates"] = string_coordinates

RD_NAME = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
# name -> (build(rng) -> file text, --jaar, the file's message)
FILE_FAULTS = {
    "crs_text": (lambda r: collection(feature(r), crs="EPSG:28992"), None,
                 'het lid crs is tekst in plaats van een object zoals {"type": "name", "properties": {"name": '
                 '"EPSG:28992"}}.'),
    "crs_without_name": (lambda r: collection(feature(r), crs={"type": "name", "properties": {}}), None,
                         "het lid crs noemt geen projectie (crs.properties.name ontbreekt)."),
    "web_mercator": (lambda r: collection(feature(r), crs={"type": "name", "properties": {"name": "EPSG:3857"}}),
                     None, "projectie EPSG:3857 wordt niet ondersteund (gebruik WGS84 of RD New, EPSG:28992)."),
    "deep_brackets": (lambda r: '{"type":"FeatureCollection","features":' + "[" * 100_000 + "]" * 100_000 + "}",
                      None, "de JSON is 100.001 niveaus diep genest; de Jeugdmonitor leest hoogstens 64 niveaus."),
    "features_object": (lambda r: json.dumps({"type": "FeatureCollection", "features": {"a": feature(r)}}), 2024,
                        "het lid features is een object in plaats van een lijst van gebieden."),
    "features_empty": (lambda r: collection(), None, "de FeatureCollection bevat geen gebieden."),
    "lone_feature": (lambda r: json.dumps(feature(r)), None,
                     "geen GeoJSON FeatureCollection maar een los GeoJSON-Feature."),
    "paris": (lambda r: collection(feature(r, geometry={"type": "Polygon", "coordinates": [ring(r, 2.35, 48.85)]})),
              None, "geen enkel gebied ligt in Nederland volgens WGS84 (lengte- en breedtegraad) of RD New (meters)."),
    "rd_declared_wgs84_given": (lambda r: collection(feature(r), crs=RD_NAME), None,
                                "geen enkel gebied ligt in Nederland volgens de opgegeven projectie RD New."),
    "no_year": (lambda r: json.dumps({"type": "FeatureCollection", "features": [feature(r)]}), None,
                "het jaar van deze kaart staat niet in het bestand (jrstatcode, JAAR of een jaartal in de naam); "
                "geef het op met --jaar (of bij het uploaden)."),
    "jaar_contradicts_jrstatcode": (
        lambda r: collection(feature(r, properties={"statcode": "GM0518", "jrstatcode": "2017GM0518"})), 2024,
        "het bestand hoort bij 2017 (volgens jrstatcode), maar --jaar zegt 2024."),
    "two_years": (lambda r: collection(feature(r, 1, properties={"WK_CODE": "WK051801", "JAAR": 2017}),
                                       feature(r, 2, properties={"WK_CODE": "WK051802", "JAAR": 2018})), None,
                  "de gebieden horen bij verschillende jaren (2017, 2018); laad één jaar per bestand."),
    "broken_json": (lambda r: collection(feature(r))[:-3], None, "ongeldige JSON (regel 1)."),
}


@pytest.fixture(scope="module")
def base_db(tmp_path_factory):
    """A database that already holds a map, so that a refused file has something to leave alone."""
    folder = tmp_path_factory.mktemp("geo_base")
    con = store.connect(folder / "base.duckdb")
    rng = random.Random(SEED)
    report = load_file(con, write(folder, "goed.geojson", collection(feature(rng, 1), feature(rng, 2))))
    assert report.rows_accepted == 2, report.lines()
    con.close()
    return folder / "base.duckdb"


@pytest.fixture
def loaded(base_db, tmp_path):
    shutil.copy(base_db, tmp_path / "db.duckdb")
    con = store.connect(tmp_path / "db.duckdb")
    yield con
    con.close()


@pytest.mark.parametrize("name", sorted(ROW_FAULTS))
def test_a_bad_feature_is_named_with_its_row_and_property(loaded, tmp_path, name):
    text, (column, message) = ROW_FAULTS[name](random.Random(f"{SEED}-{name}"))
    before = snapshot(loaded)
    report = load_file(loaded, write(tmp_path, f"{name}.geojson", text))
    assert report.refused
    assert report.problem_lines() == [f"{name}.geojson: {NONE_LOADED}",
                                      f"{name}.geojson, rij 1, kolom {column}: {message}"]
    assert snapshot(loaded) == before


@pytest.mark.parametrize("name", sorted(FILE_FAULTS))
def test_a_bad_file_is_refused_with_one_line(loaded, tmp_path, name):
    build, jaar, message = FILE_FAULTS[name]
    before = snapshot(loaded)
    report = load_file(loaded, write(tmp_path, f"{name}.geojson", build(random.Random(f"{SEED}-{name}"))),
                       LoadOptions(jaar=jaar))
    assert report.refused and report.problem_lines() == [f"{name}.geojson: {message}"]
    assert snapshot(loaded) == before


def test_good_features_load_beside_a_bad_one(con, tmp_path):
    rng = random.Random(SEED)
    text = collection(feature(rng, 1), feature(rng, 2, geometry={"type": "Polygon", "coordinates": "4.3 52.07"}),
                      feature(rng, 3))
    report = load_file(con, write(tmp_path, "deels.geojson", text), refresh=False)
    assert (report.rows_accepted, report.rows_rejected) == (2, 1)
    assert report.problem_lines() == ["deels.geojson, rij 2, kolom coordinates: coordinates is geen lijst maar tekst"]
    assert con.execute("SELECT code FROM region_boundaries ORDER BY code").fetchall() == [("WK051801",), ("WK051803",)]


def test_a_self_crossing_polygon_is_repaired(con, tmp_path):
    bowtie = [[4.30, 52.07], [4.32, 52.09], [4.32, 52.07], [4.30, 52.09], [4.30, 52.07]]
    rng = random.Random(SEED)
    report = load_file(con, write(tmp_path, "strik.geojson", with_geometry(rng, {"type": "Polygon",
                                                                                 "coordinates": [bowtie]})),
                       refresh=False)
    assert report.rows_accepted == 1
    assert report.warnings[0] == "1 ongeldige polygonen hersteld (shapely make_valid)"
    geometry = shape(json.loads(con.execute("SELECT geometry FROM region_boundaries").fetchall()[0][0]))
    assert geometry.is_valid and geometry.area == pytest.approx(0.0002, rel=1e-3)


@pytest.mark.parametrize("crs", [None, {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}])
def test_swapped_latitude_and_longitude_are_turned_back(con, tmp_path, crs):
    rng = random.Random(SEED)
    points = ring(rng)
    swapped = [[y, x] for x, y in points]
    members = {"crs": crs} if crs else {}
    text = collection(feature(rng, geometry={"type": "Polygon", "coordinates": [swapped]}), **members)
    report = load_file(con, write(tmp_path, "om.geojson", text), refresh=False)
    assert report.rows_accepted == 1
    assert report.warnings[0] == ("breedte- en lengtegraad stonden omgekeerd (herkend aan de ligging van Nederland) "
                                  "en zijn omgedraaid")
    geometry = shape(json.loads(con.execute("SELECT geometry FROM region_boundaries").fetchall()[0][0]))
    assert geometry.equals_exact(shape({"type": "Polygon", "coordinates": [points]}), 1e-6)


def test_the_command_line_answers_hostile_maps_without_a_traceback(tmp_path):
    rng = random.Random(SEED)
    deep = write(tmp_path, "diep.geojson", FILE_FAULTS["deep_brackets"][0](rng))
    text = write(tmp_path, "tekst.geojson", ROW_FAULTS["string_coordinates"](rng)[0])
    proc = subprocess.run([sys.executable, "-m", "loaders", "load", str(deep), str(text), "--db",
                           str(tmp_path / "cli.duckdb")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert "diep.geojson: de JSON is 100.001 niveaus diep genest; de Jeugdmonitor leest hoogstens 64 niveaus." in lines
    assert any(line.startswith("tekst.geojson, rij 1, kolom coordinates: coördinaat '") for line in lines)
