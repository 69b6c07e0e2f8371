"""Wijk, buurt and gemeente boundaries from GeoJSON as PDOK, CBS and municipalities publish them, stored per year.

A feature's code comes from the first of CODE_PROPERTIES it has (finest level first, so a wijk feature that also
names its gemeente is the wijk), its name from the names that go with that code. The year a map belongs to comes
from the file (`jrstatcode` such as `2017GM0003`, `JAAR`, a year in the collection's name or title, or in the file
name), else from `--jaar`; a map whose year cannot be known is refused, so a 2017 gemeente map never draws as today's.
Every fault is one Dutch line with the feature's number as row and the property as column; geometry is parsed and
repaired with shapely, projected with pyproj (see loaders/geo_shapes.py).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import shapely

from loaders import geo_shapes
from loaders.columns import LoadContext, Prepared
from loaders.geo_shapes import GeometryProblem, json_type
from loaders.read import RawTable
from loaders.report import FileRefused, Problem
from loaders.cbs_regions import code_niveau
from loaders.values import looks_like_formula

# (code property, the name properties that go with it), finest level first; matched without regard to case.
CODE_PROPERTIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("BU_CODE", ("BU_NAAM",)), ("buurtcode", ("buurtnaam",)),
    ("WK_CODE", ("WK_NAAM",)), ("WKC", ("WKN",)), ("wijkcode", ("wijknaam",)),
    ("cbsCode", ("naam",)), ("statcode", ("statnaam",)), ("regio_code", ("regio_naam", "naam")),
    ("GM_CODE", ("GM_NAAM",)), ("GMC", ("GMN",)), ("gemeentecode", ("gemeentenaam",)),
)
NAME_FALLBACK = ("statnaam", "naam")
YEAR_PROPERTIES = ("jrstatcode", "jaarstatcode", "jaar")
CODE_EXAMPLE = "zoals GM0518, WK051801, WK0363AA of BU05180101"
_YEAR = re.compile(r"(?<![0-9])(19[0-9]{2}|20[0-9]{2}|2100)(?![0-9])")
_RD = re.compile(r"EPSG:+(28992|7415)\b")
_WGS84 = re.compile(r"CRS84\b|EPSG:+(4326|4258)\b")
MAX_NAME = 200


def _declared_projection(data: dict, display: str) -> str | None:
    """'rd', 'wgs84' or None (no `crs` member); refuses a `crs` that is not a readable projection we know."""
    crs = data.get("crs")
    if crs is None:
        return None
    if not isinstance(crs, dict):
        raise FileRefused(f"{display}: het lid crs is {json_type(crs)} in plaats van een object zoals "
                          '{"type": "name", "properties": {"name": "EPSG:28992"}}.')
    props = crs.get("properties")
    name = props.get("name") if isinstance(props, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise FileRefused(f"{display}: het lid crs noemt geen projectie (crs.properties.name ontbreekt).")
    if _RD.search(name):
        return "rd"
    if _WGS84.search(name):
        return "wgs84"
    raise FileRefused(f"{display}: projectie {name[:80]} wordt niet ondersteund (gebruik WGS84 of RD New, EPSG:28992).")


def _features(data, display: str) -> list:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        kind = data.get("type") if isinstance(data, dict) else None
        what = f" maar een los GeoJSON-{kind}" if isinstance(kind, str) else ""
        raise FileRefused(f"{display}: geen GeoJSON FeatureCollection{what}.")
    features = data.get("features")
    if not isinstance(features, list):
        raise FileRefused(f"{display}: het lid features is {json_type(features)} in plaats van een lijst van gebieden.")
    if not features:
        raise FileRefused(f"{display}: de FeatureCollection bevat geen gebieden.")
    return features


class Feature:
    """What one feature says, and what is wrong with it (column, message) pairs."""

    def __init__(self, number: int, feature):
        self.number, self.problems = number, []
        self.code = self.niveau = self.name = self.year = self.geometry = None
        self.year_source = None
        if not isinstance(feature, dict):
            self.problems.append(("features", f"het gebied is geen object maar {json_type(feature)}"))
            return
        props = feature.get("properties")
        if props is None or isinstance(props, dict):
            self.props = {str(k).lower(): (str(k), v) for k, v in (props or {}).items()}
            self._code()
            self._year()
        else:
            self.problems.append(("properties", f"properties is geen object maar {json_type(props)}"))
        try:
            self.geometry = geo_shapes.parse(feature.get("geometry"))
        except GeometryProblem as problem:
            self.problems.append((problem.column, problem.message))

    def _code(self) -> None:
        for code_key, name_keys in CODE_PROPERTIES:
            key, value = self.props.get(code_key.lower(), (None, None))
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            text = value.strip().upper() if isinstance(value, str) else None
            self.niveau = code_niveau(text) if text else None
            if self.niveau is None:
                shown = f"'{value.strip()[:40]}'" if isinstance(value, str) else json_type(value)
                self.problems.append((key, f"{shown} is geen CBS-code ({CODE_EXAMPLE})"))
                return
            self.code = text
            self._name(name_keys + NAME_FALLBACK)
            return
        names = ", ".join(k for k, _ in CODE_PROPERTIES)
        self.problems.append(("properties", f"gebied zonder CBS-code (verwacht een van: {names})"))

    def _name(self, keys: tuple[str, ...]) -> None:
        key, value = next((self.props[k.lower()] for k in keys if self.props.get(k.lower(), (0, None))[1] is not None),
                          (None, None))
        if key is None:
            return
        if not isinstance(value, str):
            self.problems.append((key, f"de naam is geen tekst maar {json_type(value)}"))
        elif looks_like_formula(pd.Series([value.strip()])).iloc[0]:
            self.problems.append((key, f"'{value.strip()[:40]}' lijkt een spreadsheetformule; zo'n naam wordt niet geladen"))
        elif len(value.strip()) > MAX_NAME:
            self.problems.append((key, f"de naam is langer dan {MAX_NAME} tekens"))
        else:
            self.name = value.strip() or None

    def _year(self) -> None:
        for year_key in YEAR_PROPERTIES:
            key, value = self.props.get(year_key, (None, None))
            if value is None or value == "":
                continue
            m = _YEAR.match(str(value).strip()) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
            if m is None:
                shown = f"'{str(value)[:40]}'" if isinstance(value, str) else json_type(value)
                self.problems.append((key, f"{shown} begint niet met een jaartal"))
                return
            self.year, self.year_source = int(m.group(1)), key
            return


def _year_in(text, source: str) -> tuple[int, str] | None:
    found = set(_YEAR.findall(text)) if isinstance(text, str) else set()
    return (int(found.pop()), source) if len(found) == 1 else None


def _map_year(data: dict, features: list[Feature], ctx: LoadContext) -> tuple[int, str]:
    """The year the map belongs to and where it was read; refuses a file whose year is unknown or contradicted."""
    display, given = ctx.display, ctx.options.jaar
    stated = {(f.year, f.year_source) for f in features if f.year is not None}
    years = sorted({y for y, _ in stated})
    if len(years) > 1:
        raise FileRefused(f"{display}: de gebieden horen bij verschillende jaren ({', '.join(map(str, years))}); "
                          "laad één jaar per bestand.")
    if years:
        found = (years[0], next(s for y, s in sorted(stated)))
    else:
        found = (_year_in(data.get("name"), "de naam van de collectie") or _year_in(data.get("title"), "de titel")
                 or _year_in(display, "de bestandsnaam"))
    if found and given is not None and found[0] != given:
        raise FileRefused(f"{display}: het bestand hoort bij {found[0]} (volgens {found[1]}), maar --jaar zegt {given}.")
    if found:
        return found
    if given is not None:
        return given, "--jaar"
    raise FileRefused(f"{display}: het jaar van deze kaart staat niet in het bestand (jrstatcode, JAAR of een jaartal "
                      "in de naam); geef het op met --jaar (of bij het uploaden).")


def _project(display: str, declared: str | None, good: list[Feature],
             problems: list[Problem]) -> tuple[list[Feature], np.ndarray, list[str]]:
    geometries = np.array([f.geometry for f in good], dtype=object)
    frame, fits = geo_shapes.recognise(shapely.bounds(geometries), declared)
    if frame is None:
        said = {"rd": "de opgegeven projectie RD New", "wgs84": "de opgegeven projectie WGS84"}.get(declared)
        raise FileRefused(f"{display}: geen enkel gebied ligt in Nederland volgens "
                          f"{said or 'WGS84 (lengte- en breedtegraad) of RD New (meters)'}.")
    where = ("RD New (x van -10.000 tot 310.000 en y van 280.000 tot 650.000 meter)" if frame == "rd"
             else "WGS84 (lengtegraad 2,5 tot 7,5 en breedtegraad 50,5 tot 54)")
    for feature in np.array(good, dtype=object)[~fits]:
        problems.append(Problem(row=feature.number, column="coordinates",
                                message=f"het gebied ligt niet in Nederland in {where}"))
    notes = []  # WGS84 without a `crs` is GeoJSON's default (RFC 7946): nothing to say
    if declared is None and frame == "rd":
        notes.append("het bestand noemt geen projectie; RD New herkend aan de coördinaten")
    if frame == "swapped":
        notes.append("breedte- en lengtegraad stonden omgekeerd (herkend aan de ligging van Nederland) en zijn "
                     "omgedraaid")
    kept = [f for f, ok in zip(good, fits) if ok]
    return kept, geo_shapes.to_wgs84(geometries[fits], frame), notes


def _merge_duplicates(features: list[Feature], geometries: np.ndarray) -> tuple[pd.DataFrame, int]:
    """One row per code: a code given in several features (parts of one wijk) becomes the union of its parts."""
    frame = pd.DataFrame({"code": [f.code for f in features], "niveau": [f.niveau for f in features],
                          "name": [f.name for f in features], "geometry": list(geometries)})
    repeated = int(frame["code"].duplicated().sum())
    if repeated:
        frame = frame.groupby("code", sort=False, as_index=False).agg(
            niveau=("niveau", "first"), name=("name", "first"), geometry=("geometry", shapely.union_all))
    return frame, repeated


def _lines(display: str, problems: list[Problem]) -> list[str]:
    return [f"{display}, rij {p.row}, kolom {p.column}: {p.message}" for p in sorted(problems, key=lambda p: p.row)]


def _stored(display: str, declared: str | None, good: list[Feature],
            problems: list[Problem]) -> tuple[pd.DataFrame, list[str]]:
    """Projected, repaired, merged and simplified: one row per code with its GeoJSON text, and what to tell."""
    good, geometries, warnings = _project(display, declared, good, problems) if good else ([], None, [])
    if not good:
        raise FileRefused([f"{display}: geen enkel gebied kan worden geladen."] + _lines(display, problems))
    geometries, repaired = geo_shapes.repair(geometries)
    frame, repeated = _merge_duplicates(good, geometries)
    text, unusable = geo_shapes.as_text(np.array(frame["geometry"], dtype=object))
    numbers = {f.code: f.number for f in good}
    problems += [Problem(row=numbers[c], column="coordinates",
                         message="de polygoon heeft geen oppervlakte, ook niet na herstel")
                 for c in frame["code"][unusable]]
    if unusable.all():
        raise FileRefused([f"{display}: geen enkel gebied kan worden geladen."] + _lines(display, problems))
    if repaired.sum():
        warnings.append(f"{int(repaired.sum())} ongeldige polygonen hersteld (shapely make_valid)")
    if repeated:
        warnings.append(f"{repeated} gebieden hadden een code die al eerder in het bestand stond; de delen zijn "
                        "samengevoegd tot één gebied")
    return frame.assign(geometry=text)[~unusable], warnings


def prepare_geo(raw: RawTable, ctx: LoadContext) -> Prepared:
    data = raw.json_data
    features = [Feature(n, f) for n, f in enumerate(_features(data, ctx.display), start=1)]
    declared = _declared_projection(data, ctx.display)
    year, source = _map_year(data, features, ctx)
    problems = [Problem(row=f.number, column=c, message=m) for f in features for c, m in f.problems]
    frame, warnings = _stored(ctx.display, declared, [f for f in features if not f.problems], problems)
    frame["jaar"] = year
    problems.sort(key=lambda p: p.row)
    named = frame.loc[frame["name"].notna(), ["code", "name"]]
    return Prepared(tables={"region_boundaries": frame[["code", "jaar", "niveau", "name", "geometry"]],
                            "region_names_if_missing": named},
                    rows_accepted=len(frame), problems=problems,
                    warnings=warnings + [f"kaart opgeslagen als die van {year} (jaar uit {source})"])
