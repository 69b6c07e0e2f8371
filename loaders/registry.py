"""Every file kind in one place: its columns, checks, target tables and keys, detection, demo file and upload label.

A new kind is one entry here (plus its prepare function and its table in `store/schema.py`); the pipeline's
dispatch and detection, the command line's and the upload page's choices, the demo's table list and the keys the
writer replaces by are all derived from `KIND_LIST`.

`reads` says what the prepare function gets: "sql" - the file staged as a DuckDB text table (`loaders.stage.Staged`),
validated with `loaders.sqlcheck`; "frame" - pandas chunks of strings (`loaders.read.RawTable`), for the kinds
that reshape their file in pandas (CBS, GeoJSON). `chunked` frame kinds are validated and written per chunk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from loaders import cbs, geo, kinds
from loaders.columns import Column


@dataclass(frozen=True)
class Kind:
    name: str
    label: str                                  # the upload page's choice
    prepare: Callable
    reads: str                                  # "sql" or "frame"
    tables: dict[str, tuple[str, ...]]          # target table -> key (a row with the same key is replaced)
    detection: tuple[tuple[str, ...], ...] = ()  # column groups that must all be present (any alias per group)
    detect_rank: int = 0                        # detection tries kinds by rank (most specific first)
    columns: tuple[Column, ...] = ()            # the file's columns with their aliases and checks
    demo: tuple[str, ...] = ()                  # files of this kind in the fictional demo (data/demo/)
    chunked: bool = False
    extra_tables: dict[str, tuple[str, ...]] = field(default_factory=dict)  # written, but not the kind's own


REGION_TABLES = {
    "regions": ("code",), "region_parents": ("code", "parent_code"), "region_years": ("code", "jaar"),
    "region_breaks": ("code", "jaar"), "region_boundaries": ("code", "jaar"),
}

KIND_LIST: tuple[Kind, ...] = (
    Kind("cbs", "CBS StatLine, breed (cbs)", cbs.prepare_cbs, "frame",
         {"cbs_values": ("table_id", "regio_code", "periode", "measure"), "cbs_measures": ("table_id", "measure")},
         detection=(("wijkenenbuurten", "regios", "wijken", "gemeenten", "regiokenmerken", "codering_3",
                     "codering"),), detect_rank=10,
         demo=tuple(f"cbs_kwb_{y}.csv" for y in range(2019, 2026)),
         extra_tables={k: REGION_TABLES[k] for k in ("regions", "region_parents", "region_years", "region_breaks")}),
    Kind("cbs-long", "CBS OData4, lang (cbs-long)", cbs.prepare_cbs_long, "frame",
         {"cbs_values": ("table_id", "regio_code", "periode", "measure"), "cbs_measures": ("table_id", "measure")},
         detection=(("measure",), ("value",)), detect_rank=1, chunked=True, demo=("cbs_jeugdzorg_vormen.csv",),
         extra_tables={k: REGION_TABLES[k] for k in ("regions", "region_years")}),
    Kind("trajecten", "Trajecten eigen registratie (trajecten)", kinds.prepare_trajecten, "sql",
         {"trajecten": ("client_id", "productcategorie", "aanmelddatum")},
         detection=(("client_id", "clientnummer", "bsn_hash"), ("aanmelddatum", "verzoekdatum", "datum_aanmelding")),
         detect_rank=2, columns=tuple(kinds.TRAJECTEN), demo=("trajecten.xlsx",)),
    Kind("bereik", "Bereik preventief aanbod (bereik)", kinds.prepare_bereik, "sql",
         {"bereik_aantallen": ("jaar", "wijk_code", "aanbod", "soort"),
          "bereik_deelnemers": ("jaar", "wijk_code", "aanbod", "soort", "client_id")},
         detection=(("aanbod",), ("soort",)), detect_rank=3, columns=tuple(kinds.BEREIK_BASE),
         demo=("bereik_preventief.csv",)),
    Kind("bevolking", "Bevolking (bevolking)", kinds.prepare_bevolking, "sql",
         {"bevolking": ("regio_code", "jaar", "leeftijd_van", "leeftijd_tot")},
         detection=(("leeftijd_van",), ("leeftijd_tot",)), detect_rank=4, columns=tuple(kinds.BEVOLKING),
         demo=("bevolking.csv",)),
    Kind("budget", "Budgetregels (budget)", kinds.prepare_budget, "sql",
         {"budget": ("jaar", "regio_code", "soort", "taakveld", "categorie")},
         detection=(("bedrag",),), detect_rank=5, columns=tuple(kinds.BUDGET), demo=("budget.csv",)),
    Kind("streefwaarden", "Streefwaarden (streefwaarden)", kinds.prepare_streefwaarden, "sql",
         {"streefwaarden": ("indicator_id", "regio_code", "jaar")},
         detection=(("indicator_id",),), detect_rank=6, columns=tuple(kinds.STREEFWAARDEN),
         demo=("streefwaarden.csv",)),
    Kind("normen", "Wachttijdnormen (normen)", kinds.prepare_normen, "sql", {"normen": ("productcategorie",)},
         detection=(("norm_dagen",),), detect_rank=7, columns=tuple(kinds.NORMEN), demo=("normen.csv",)),
    Kind("regios", "Regio's (regios)", kinds.prepare_regios, "sql",
         {k: REGION_TABLES[k] for k in ("regions", "region_parents")},
         detection=(("regio_code",), ("niveau",)), detect_rank=9, columns=tuple(kinds.REGIOS), demo=("regios.csv",)),
    Kind("geo", "Wijkgrenzen GeoJSON (geo)", geo.prepare_geo, "frame",
         {"region_boundaries": REGION_TABLES["region_boundaries"]}, demo=("wijken.geojson",)),
    Kind("taakvelden", "Indeling taakvelden (taakvelden)", kinds.prepare_taakvelden, "sql",
         {"taakveld_mapping": ("taakveld", "jaar_van")},
         detection=(("taakveld",), ("categorie",)), detect_rank=8, columns=tuple(kinds.TAAKVELDEN)),
)

KINDS: dict[str, Kind] = {k.name: k for k in KIND_LIST}
KIND_NAMES: tuple[str, ...] = tuple(KINDS)


def detection() -> list[tuple[str, tuple[tuple[str, ...], ...]]]:
    """(kind, column groups) in the order detection tries them."""
    return [(k.name, k.detection) for k in sorted(KIND_LIST, key=lambda k: k.detect_rank) if k.detection]


def table_keys() -> dict[str, tuple[str, ...]]:
    """The key of every table a load writes: a row with the same key is replaced, so loading twice equals once."""
    keys: dict[str, tuple[str, ...]] = {}
    for kind in KIND_LIST:
        keys.update(kind.tables)
        keys.update(kind.extra_tables)
    return keys


def labels() -> dict[str, str]:
    return {k.name: k.label for k in KIND_LIST}


def tables_with_loads() -> tuple[str, ...]:
    """Every table whose rows carry the load that wrote them (what removing the demo deletes)."""
    return tuple(table_keys())
