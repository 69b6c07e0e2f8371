"""Small choropleth maps as PNG images for the workbook (Pillow; no browser or chart engine at run time).

Lon/lat are drawn equirectangular with the longitude scaled by cos(latitude), which is true to shape at the
scale of one gemeente. Colours: a sequential blue ramp, or a diverging red-blue ramp centred on zero.
"""

from __future__ import annotations

import io
import json
import math

from PIL import Image, ImageDraw, ImageFont

from common import nl

BLUES = ((239, 243, 255), (8, 69, 148))
NEGATIVE, POSITIVE, MIDDLE = (33, 102, 172), (178, 24, 43), (247, 247, 247)
GREY = (200, 200, 200)
SIZE = (420, 360)
LEGEND = 46


def _rings(geometry: dict) -> list[list[tuple[float, float]]]:
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [[(float(x), float(y)) for x, y, *_ in poly[0]] for poly in polys]


def _mix(a: tuple, b: tuple, t: float) -> tuple[int, int, int]:
    t = min(max(t, 0.0), 1.0)
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def colour(value: float | None, low: float, high: float, diverging: bool) -> tuple[int, int, int]:
    if value is None or value != value:
        return GREY
    if diverging:
        top = max(abs(low), abs(high)) or 1.0
        return _mix(MIDDLE, POSITIVE if value >= 0 else NEGATIVE, abs(value) / top)
    return _mix(*BLUES, (value - low) / ((high - low) or 1.0))


def _font(size: int):
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default()


def png(geometries: dict[str, str], values: dict[str, float | None], title: str, *, diverging: bool,
        value_range: tuple[float, float], suffix: str, demo: bool) -> bytes:
    """A map of the wijken coloured by value, with a title, a legend (low, high) and the demo note."""
    shapes = {code: _rings(json.loads(g)) for code, g in geometries.items()}
    points = [p for rings in shapes.values() for ring in rings for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    kx = math.cos(math.radians((south + north) / 2))
    width, height = SIZE
    top = 30
    scale = min((width - 20) / max((east - west) * kx, 1e-9), (height - top - LEGEND - 10) / max(north - south, 1e-9))
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    low, high = value_range
    for code, rings in shapes.items():
        fill = colour(values.get(code), low, high, diverging)
        for ring in rings:
            xy = [(10 + (x - west) * kx * scale, top + (north - y) * scale) for x, y in ring]
            draw.polygon(xy, fill=fill, outline="white", width=2)
    draw.text((10, 6), title, fill="black", font=_font(16))
    y = height - LEGEND + 6
    for i in range(200):
        v = low + (high - low) * i / 199
        draw.line([(10 + i, y), (10 + i, y + 14)], fill=colour(v, low, high, diverging))
    fmt = (lambda v: nl.signed(v, 1) + suffix) if diverging else (lambda v: nl.number(v, 1) + suffix)
    draw.text((10, y + 18), fmt(low), fill="black", font=_font(12))
    draw.text((210, y + 18), fmt(high), fill="black", font=_font(12), anchor="ra")
    if demo:
        draw.text((width - 10, height - 16), "Fictieve demodata", fill=(110, 110, 110), font=_font(12), anchor="ra")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
