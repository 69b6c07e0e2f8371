"""Wijk and buurt boundaries from GeoJSON (WGS84, or RD New converted to WGS84)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from loaders.columns import LoadContext, Prepared
from loaders.read import RawTable
from loaders.report import FileRefused, Problem

CODE_PROPERTIES = ("statcode", "WK_CODE", "BU_CODE", "regio_code")
WGS84_NAMES = ("EPSG:4326", "CRS84", "OGC:1.3:CRS84", "EPSG::4326")
RD_NAMES = ("EPSG:28992", "EPSG::28992")


def rd_to_wgs84(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """RD New (EPSG:28992) to WGS84 with the standard polynomial approximation (within about a metre)."""
    dx, dy = (x - 155000) * 1e-5, (y - 463000) * 1e-5
    som_n = (3235.65389 * dy - 32.58297 * dx**2 - 0.2475 * dy**2 - 0.84978 * dx**2 * dy - 0.0655 * dy**3
             - 0.01709 * dx**2 * dy**2 - 0.00738 * dx + 0.0053 * dx**4 - 0.00039 * dx**2 * dy**3
             + 0.00033 * dx**4 * dy - 0.00012 * dx * dy)
    som_e = (5260.52916 * dx + 105.94684 * dx * dy + 2.45656 * dx * dy**2 - 0.81885 * dx**3
             + 0.05594 * dx * dy**3 - 0.05607 * dx**3 * dy + 0.01199 * dy - 0.00256 * dx**3 * dy**2
             + 0.00128 * dx * dy**4 + 0.00022 * dy**2 - 0.00022 * dx**2 + 0.00026 * dx**5)
    return 5.387206 + som_e / 3600, 52.15517 + som_n / 3600


def _crs(data: dict, display: str) -> str:
    name = str(((data.get("crs") or {}).get("properties") or {}).get("name") or "")
    if not name:
        return "auto"
    if any(n in name for n in RD_NAMES):
        return "rd"
    if any(n in name for n in WGS84_NAMES):
        return "wgs84"
    raise FileRefused(f"{display}: projectie {name} wordt niet ondersteund (gebruik WGS84 of RD New, EPSG:28992).")


def _map_coords(coords, fn):
    if coords and isinstance(coords[0], (int, float)):
        return fn(coords)
    return [_map_coords(c, fn) for c in coords]


def _flat(coords) -> list:
    if coords and isinstance(coords[0], (int, float)):
        return [coords]
    return [p for c in coords for p in _flat(c)]


def _convert(geometry: dict, crs: str) -> tuple[dict | None, str | None]:
    points = np.array([p[:2] for p in _flat(geometry.get("coordinates") or [])], dtype=float)
    if points.size == 0:
        return None, "geometrie zonder coördinaten"
    if crs == "auto":
        crs = "rd" if (np.abs(points) > 360).any() else "wgs84"
    if crs == "rd":
        if not ((points[:, 0] > -10000).all() and (points[:, 0] < 300000).all()
                and (points[:, 1] > 280000).all() and (points[:, 1] < 630000).all()):
            return None, "coördinaten buiten Nederland (verwacht RD New of WGS84)"

        def convert(p):
            lon, lat = rd_to_wgs84(np.array(p[0]), np.array(p[1]))
            return [round(float(lon), 6), round(float(lat), 6)]

        return {"type": geometry["type"], "coordinates": _map_coords(geometry["coordinates"], convert)}, None
    if not ((points[:, 0] >= -180).all() and (points[:, 0] <= 180).all()
            and (points[:, 1] >= -90).all() and (points[:, 1] <= 90).all()):
        return None, "coördinaten zijn geen lengte- en breedtegraden"
    return geometry, None


def prepare_geo(raw: RawTable, ctx: LoadContext) -> Prepared:
    data = raw.json_data
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise FileRefused(f"{ctx.display}: geen GeoJSON FeatureCollection.")
    crs = _crs(data, ctx.display)
    features = data.get("features") or []
    if not features:
        raise FileRefused(f"{ctx.display}: de FeatureCollection bevat geen gebieden.")
    known = set(ctx.known_regions["code"])
    rows, problems = [], []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        code = next((str(props[k]).strip().upper() for k in CODE_PROPERTIES if props.get(k)), None)
        geometry = feature.get("geometry") or {}
        if code is None:
            problems.append(Problem(row=number, column="statcode", message="gebied zonder code (statcode, WK_CODE, BU_CODE of regio_code)"))
            continue
        if code not in known:
            problems.append(Problem(row=number, column="statcode", message=f"onbekende regiocode '{code}'"))
            continue
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            problems.append(Problem(row=number, column="geometry", message="geen (Multi)Polygon"))
            continue
        converted, error = _convert(geometry, crs)
        if error:
            problems.append(Problem(row=number, column="geometry", message=error))
            continue
        rows.append({"code": code, "geometry": json.dumps(converted, separators=(",", ":"))})
    frame = pd.DataFrame(rows, columns=["code", "geometry"]).drop_duplicates("code", keep="last")
    return Prepared(tables={"region_geometry": frame}, rows_accepted=len(frame), problems=problems)
