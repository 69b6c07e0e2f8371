"""The sentence under a comparison: which jeugdregio, province and comparison group, with their figures.

The regions come from `indicators.regions.comparison_regions` (a loaded `regios` file, else the built-in CBS
reference of that year); how many gemeenten a comparison group holds and how many of them have a figure is said,
and a group in which fewer than two gemeenten have one is named as no comparison.
"""

from __future__ import annotations

import pandas as pd

from common import nl
from indicators.regions import comparison_regions
from ui.data import cache


@cache
def regions(_con, version: str, gemeente: str, jaar: int) -> list[dict]:
    return comparison_regions(_con, gemeente, jaar)


@cache
def with_figure(_con, version: str, indicator_id: str, jaar: int, soort: str, codes: tuple[str, ...]) -> int:
    """How many of these gemeenten have a published value of the indicator in the year."""
    return _con.cursor().execute(
        """SELECT count(DISTINCT regio_code) FROM indicator_values
           WHERE indicator_id = ? AND periode = CAST(jaar AS TEXT) AND jaar = ? AND soort = ? AND niveau = 'GM'
             AND waarde IS NOT NULL AND list_contains(?, regio_code)""",
        [indicator_id, int(jaar), soort, list(codes)]).fetchone()[0]


def _value(rows: pd.DataFrame, code: str, eenheid: str) -> str | None:
    found = rows[(rows["regio_code"] == code) & rows["waarde"].notna()]
    return nl.by_unit(found["waarde"].iloc[0], eenheid) if len(found) else None


def _gemeenten(n: int) -> str:
    return f"{nl.number(n)} gemeente" + ("" if n == 1 else "n")


def note(con, version: str, ind, soort: str, gemeente: str, jaar: int, rows: pd.DataFrame) -> str:
    """'Ter vergelijking in 2024: jeugdregio Drenthe (12 gemeenten) 1.234; provincie …; Nederland …; vergelijkbare
    gemeenten (20.000 tot 50.000 inwoners): 182 gemeenten, 90 met een cijfer, gemiddeld …'."""
    rows = rows[rows["jaar"] == jaar]
    parts = []
    for region in regions(con, version, gemeente, jaar):
        value = _value(rows, region["code"], ind.eenheid)
        leden = region["leden"]
        if region["niveau"] == "VG":
            count = with_figure(con, version, ind.id, jaar, soort, tuple(leden))
            text = f"{region['naam'].lower()}: {_gemeenten(len(leden))}, {nl.number(count)} met een cijfer"
            if len(leden) < 2 or count < 2:
                text += ", dus geen vergelijking"
            elif value is not None:
                text += f", gemiddeld {value}"
        elif region["niveau"] == "NL":
            text = f"{region['naam']} " + (value if value is not None else "zonder cijfer")
        else:
            label = {"JZ": "jeugdregio", "PV": "provincie"}[region["niveau"]]
            text = f"{label} {region['naam']} ({_gemeenten(len(leden))}) "
            if value is not None:
                text += value
            else:
                count = with_figure(con, version, ind.id, jaar, soort, tuple(leden))
                text += ("zonder cijfer (CBS geeft er geen, en dit cijfer is niet op te tellen)" if count == len(leden)
                         else f"zonder cijfer ({nl.number(count)} van de {nl.number(len(leden))} hebben er een)")
        parts.append(text)
    if not parts:
        return ""
    return f"Ter vergelijking in {jaar}: " + "; ".join(parts) + "."
