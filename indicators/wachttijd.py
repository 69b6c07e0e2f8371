"""Wait times against their norms: the norm of a productcategorie and when a wijk's median wait differs.

A norm is set per productcategorie (table `normen`), in calendar or working days; the wait statistics are in
calendar days, so a norm in working days is drawn at its calendar-day equivalent (5 working days = 7 days).
A wijk's median differs from the gemeente's ("afwijkend") only when the gemeente's median lies outside the wijk's
distribution-free 95% interval (`stats.median_ci_ranks`); with no interval (fewer than 6 starts) there is no verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from indicators import catalog


@dataclass(frozen=True)
class Norm:
    categorie: str
    dagen: int
    soort_dagen: str
    bron: str | None

    @property
    def kalenderdagen(self) -> float:
        """The norm on a calendar-day axis."""
        return self.dagen * 7 / 5 if self.soort_dagen == "werkdagen" else float(self.dagen)

    @property
    def label(self) -> str:
        text = f"norm {self.dagen} {self.soort_dagen}"
        return text + (f" (± {self.kalenderdagen:.0f} kalenderdagen)" if self.soort_dagen == "werkdagen" else "")


def norms(con: duckdb.DuckDBPyConnection) -> dict[str, Norm]:
    """The loaded norms by productcategorie as it appears in indicator ids."""
    rows = con.cursor().execute("SELECT productcategorie, norm_dagen, soort_dagen, bron FROM normen").fetchall()
    return {catalog.slug(c): Norm(catalog.slug(c), int(d), s, b) for c, d, s, b in rows}


def ids(categorie: str) -> dict[str, str]:
    """The three indicator ids of one productcategorie: mediaan, p80, binnen_norm."""
    return {stat.split("_")[0]: f"wachttijd_{categorie}_{stat}" for stat in catalog.WACHTTIJD_STATS}


def median_verdict(ci_laag, ci_hoog, gemeente: float | None) -> str:
    """'hoger' / 'lager' when the gemeente's median lies outside the wijk's interval, else ''."""
    if gemeente is None or pd.isna(gemeente) or ci_laag is None or ci_hoog is None or pd.isna(ci_laag) \
            or pd.isna(ci_hoog):
        return ""
    if gemeente < ci_laag:
        return "hoger"
    return "lager" if gemeente > ci_hoog else ""
