"""Indicators: declared in `catalog`, computed in `compute`, suppressed in `suppression`, read via `api`.

Every figure these functions return has been through suppression.
"""

from indicators import catalog, stats, suppression
from indicators.api import (
    OnbekendeRegio,
    benchmarks,
    change,
    compute_frame,
    coverage,
    funnel,
    regio_breaks,
    target_path,
)
from indicators.compute import NietsGepubliceerd, refresh
from indicators.queries_other import unmapped_taakvelden
from indicators.verdeling import wachttijd_verdeling

__all__ = [
    "NietsGepubliceerd", "OnbekendeRegio", "benchmarks", "catalog", "change", "compute_frame", "coverage", "funnel", "refresh",
    "regio_breaks", "stats", "suppression", "target_path", "unmapped_taakvelden", "wachttijd_verdeling",
]
