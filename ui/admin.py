"""The Gegevens page's tables: indicator definitions with their sources, coverage; and the council workbook."""

from __future__ import annotations

import importlib

import pandas as pd

from common import cli, nl
from ui.style import LEVEL_LABELS

SOURCE_LABELS = {
    "cbs": "CBS", "cbs-long": "CBS (lang)", "trajecten": "trajecten", "bereik": "bereik", "bevolking": "bevolking",
    "budget": "budget", "normen": "normen",
}


def definitions_table(catalog: pd.DataFrame, present: set[str]) -> pd.DataFrame:
    """Every indicator with name, description, unit, direction, numerator, denominator and sources."""
    return pd.DataFrame({
        "Indicator": catalog["naam"],
        "Code": catalog["id"],
        "Beschrijving": catalog["beschrijving"],
        "Eenheid": catalog["eenheid"].map(lambda e: nl.UNIT_LABELS.get(e, e)),
        "Leeftijd": catalog["leeftijd"].fillna(""),
        "Richting": catalog["richting"],
        "Teller": catalog["teller"].fillna(""),
        "Noemer": catalog["noemer"].fillna(""),
        "Bronnen": catalog["bronnen"].map(lambda b: ", ".join(SOURCE_LABELS.get(s, s) for s in b)),
        "In database": catalog["id"].map(lambda i: "ja" if i in present else "nee"),
    }).reset_index(drop=True)


def coverage_table(coverage: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """Indicator and level by year: 'published/regions' (e.g. 7/8 wijken have a published value)."""
    if coverage.empty:
        return pd.DataFrame()
    cells = coverage.assign(cel=[f"{nl.number(g)}/{nl.number(r)}" for g, r in
                                 zip(coverage["gepubliceerd"], coverage["regios"])])
    cells["Indicator"] = cells["indicator_id"].map(catalog["naam"]).fillna(cells["indicator_id"])
    cells["Niveau"] = cells["niveau"].map(LEVEL_LABELS).fillna(cells["niveau"])
    cells["_o"] = cells["indicator_id"].map(catalog["volgorde"]).fillna(10_000)
    wide = cells.pivot_table(index=["_o", "Indicator", "Niveau"], columns="jaar", values="cel", aggfunc="first",
                             sort=False)
    wide = wide.sort_index(level=0).fillna(nl.MISSING)
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index().drop(columns="_o")


WORKBOOK_UNAVAILABLE = ("De raadsrapportage kan nu niet worden gemaakt door een fout in de Jeugdmonitor zelf. "
                        "De oorzaak staat in het logboek ({log}); meld dit aan de beheerder.")


def workbook_builder():
    """`reports.excel.build_workbook`, or None after logging why it cannot be imported (the page then says so in
    Dutch: the button never silently disappears)."""
    try:
        module = importlib.import_module("reports.excel")
    except ImportError:
        cli.logger().exception("raadsrapportage: reports.excel kan niet worden geladen")
        return None
    return module.build_workbook
