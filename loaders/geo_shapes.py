"""GeoJSON geometry to shapely: structure checked first (each fault its Dutch reason), then projection, repair,
simplification and WGS84 GeoJSON text for storage.

Projections: WGS84 (CRS84 / EPSG:4326, longitude first) and RD New (EPSG:28992), declared in the file's `crs` or
recognised from the coordinates' range inside the Netherlands. Latitude and longitude given the wrong way round are
recognised by the same bounding box and turned back. RD New goes to WGS84 through pyproj (EPSG's 2D Helmert
transformation, about a metre; no grid files are needed or downloaded).
"""

from __future__ import annotations

import numpy as np
import pyproj
import shapely

# Bounding boxes (west, south, east, north) around the Netherlands with its territorial waters.
NL_WGS84 = (2.5, 50.5, 7.5, 54.0)
NL_RD = (-10_000.0, 280_000.0, 310_000.0, 650_000.0)
# Simplification tolerance in degrees: 0.00002 degree is about 2 m north-south and 1.4 m east-west at 52 degrees,
# far below a screen pixel on a gemeente's wijk map (a 5 km wide gemeente at 700 px is 7 m a pixel). It takes the
# 37,137 points of Den Haag's GDAL export to about 5,600; CBS's generalised maps lose little.
SIMPLIFY_DEGREES = 0.00002
DECIMALS = 6  # about 0.1 m
MIN_AREA = 1e-10  # square degrees, about 0.7 m2: below it a polygon is a line (collinear points), not an area

_RD_TO_WGS84 = pyproj.Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
_NUMBER = (int, float)
JSON_TYPES = {str: "tekst", int: "een getal", float: "een getal", bool: "waar/onwaar", list: "een lijst",
              dict: "een object", type(None): "leeg (null)"}


class GeometryProblem(ValueError):
    """One fault in a feature's geometry: the property it concerns and a Dutch reason."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


def json_type(value) -> str:
    return JSON_TYPES.get(type(value), "iets anders")


def _ring(ring, where: str) -> np.ndarray:
    if not isinstance(ring, list):
        raise GeometryProblem("coordinates", f"{where} is geen lijst van punten maar {json_type(ring)}")
    for point in ring:
        if not isinstance(point, list):
            raise GeometryProblem("coordinates", f"een punt van {where} is geen lijst [x, y] maar {json_type(point)}")
        if len(point) < 2:
            raise GeometryProblem("coordinates", f"een punt van {where} heeft minder dan twee getallen")
        for value in point[:2]:
            if type(value) not in _NUMBER:
                shown = f"'{value}'" if isinstance(value, str) else json_type(value)
                raise GeometryProblem("coordinates", f"coördinaat {shown} in {where} is geen getal")
    try:
        points = np.array([point[:2] for point in ring], dtype=float)
    except OverflowError:
        points = np.array([np.inf])
    if not np.isfinite(points).all():
        raise GeometryProblem("coordinates", f"{where} bevat een coördinaat die geen eindig getal is")
    if len(points) < 4:
        raise GeometryProblem("coordinates", f"{where} heeft {len(points)} punten; een ring heeft er minstens 4")
    return points


def _polygon(rings, where: str) -> shapely.Polygon:
    if not isinstance(rings, list):
        raise GeometryProblem("coordinates", f"{where} is geen lijst van ringen maar {json_type(rings)}")
    if not rings:
        raise GeometryProblem("coordinates", f"{where} is leeg (geen ringen)")
    arrays = [_ring(r, "de buitenrand" if i == 0 else f"gat {i}") for i, r in enumerate(rings)]
    return shapely.Polygon(arrays[0], arrays[1:])


def parse(geometry) -> shapely.Geometry:
    """A GeoJSON Polygon or MultiPolygon as a shapely geometry; raises GeometryProblem naming what is wrong."""
    if geometry is None:
        raise GeometryProblem("geometry", "gebied zonder geometrie")
    if not isinstance(geometry, dict):
        raise GeometryProblem("geometry", f"geometry is geen object maar {json_type(geometry)}")
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        shown = f"'{kind}'" if isinstance(kind, str) else json_type(kind)
        raise GeometryProblem("geometry", f"geometrie van het type {shown}; verwacht Polygon of MultiPolygon")
    coords = geometry.get("coordinates")
    if not isinstance(coords, list):
        raise GeometryProblem("coordinates", f"coordinates is geen lijst maar {json_type(coords)}")
    if not coords:
        raise GeometryProblem("coordinates", "lege geometrie (geen coördinaten)")
    if kind == "Polygon":
        return _polygon(coords, "de polygoon")
    return shapely.MultiPolygon([_polygon(p, f"deel {i} van de multipolygoon") for i, p in enumerate(coords, 1)])


def _inside(bounds: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    west, south, east, north = box
    return ((bounds[:, 0] >= west) & (bounds[:, 1] >= south) & (bounds[:, 2] <= east) & (bounds[:, 3] <= north))


def _swapped(bounds: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    return _inside(bounds[:, [1, 0, 3, 2]], box)


def recognise(bounds: np.ndarray, declared: str | None) -> tuple[str | None, np.ndarray]:
    """The file's coordinate frame ('rd', 'wgs84' or 'swapped') and which features fit it.

    A declared RD New must fit RD New; a declared WGS84 may come with its axes swapped. Without a declaration the
    frame most features fit is taken.
    """
    fits = {"rd": _inside(bounds, NL_RD), "wgs84": _inside(bounds, NL_WGS84), "swapped": _swapped(bounds, NL_WGS84)}
    candidates = {"rd": ("rd",), "wgs84": ("wgs84", "swapped"), None: ("rd", "wgs84", "swapped")}[declared]
    frame = max(candidates, key=lambda c: int(fits[c].sum()))
    if not fits[frame].any():
        return None, fits[frame]
    return frame, fits[frame]


def to_wgs84(geometries: np.ndarray, frame: str) -> np.ndarray:
    if frame == "swapped":
        return shapely.transform(geometries, lambda c: c[:, ::-1])
    if frame == "rd":
        return shapely.transform(geometries, lambda c: np.column_stack(rd_to_wgs84(c[:, 0], c[:, 1])))
    return geometries


def rd_to_wgs84(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """RD New metres to WGS84 longitude and latitude."""
    return _RD_TO_WGS84.transform(x, y)


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """The polygonal parts of a repaired geometry (make_valid may add lines or points where a shape folded)."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def repair(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Invalid shapes repaired with shapely make_valid, keeping their polygonal parts; returns the mask repaired."""
    invalid = ~shapely.is_valid(geometries)
    repaired = geometries.copy()
    repaired[invalid] = [_polygonal(g) for g in shapely.make_valid(geometries[invalid])]
    return repaired, invalid


def as_text(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Simplified, rounded GeoJSON text per geometry, and a mask of those with no area left (text None)."""
    simple = shapely.simplify(geometries, SIMPLIFY_DEGREES, preserve_topology=True)
    rounded = shapely.transform(simple, lambda c: np.round(c, DECIMALS))
    rounded = np.where(shapely.is_valid(rounded), rounded, simple)
    unusable = shapely.is_empty(rounded) | (shapely.area(rounded) < MIN_AREA)
    text = shapely.to_geojson(np.where(unusable, shapely.Polygon(), rounded))
    return np.where(unusable, None, text), unusable
