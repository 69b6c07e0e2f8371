"""Seeded generator of national-size synthetic data in the contract's formats (all of it fictional).

`python -m benchmarks generate --scale national --data DIR` writes into DIR: `regios.csv`, `normen.csv`,
`bevolking.csv`, `budget.csv` (cp1252, Dutch amounts), `bereik.csv`, one KWB file per year and the trajectory
files, plus `manifest.json` listing them in load order with the options each needs. The same seed and generator
version give the same files, so an existing folder is reused instead of regenerated.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import numpy as np

from benchmarks.kwb import write_kwb
from benchmarks.trajecten import NORMEN, write_trajecten
from benchmarks.world import SCALES, World, build_world, regios_rows, wijk_population

VERSION = 4
DEFAULT_SEED = 20261123
MANIFEST = "manifest.json"
BUDGET_SHARES = {"preventief": 4, "collectief": 5, "toegang": 10, "individueel_ambulant": 38,
                 "individueel_verblijf": 25, "jeugdbescherming": 8, "jeugdreclassering": 2, "pgb": 4, "overig": 4}
EURO_PER_YOUNG_PERSON = 1_700
AANBOD = (("Opvoedondersteuning", "preventief", 0.04), ("Jongerenwerk", "collectief", 0.06),
          ("Huiswerkbegeleiding", "collectief", 0.02))


def _write(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> dict:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return {"file": path.name, "rows": len(rows)}


def _youth(world: World, year: int) -> tuple[np.ndarray, np.ndarray]:
    """Inhabitants aged 0-17 and 0-22 per wijk (integers)."""
    pop = wijk_population(world, year)
    return np.rint(pop * world.wk_f17).astype(np.int64), np.rint(pop * world.wk_f22).astype(np.int64)


def _bevolking(world: World) -> list[list]:
    rows = []
    n_gm = len(world.gm_code)
    for year in world.scale.years:
        y17, y22 = _youth(world, year)
        for lo, hi, wijk in ((0, 17, y17), (0, 22, y22)):
            gm = np.bincount(world.wk_gm, weights=wijk, minlength=n_gm).astype(np.int64)
            rows += [[c, year, lo, hi, int(v)] for c, v in zip(world.gm_code, gm)]
            rows += [[c, year, lo, hi, int(v)] for c, v in zip(world.wk_code, wijk)]
    return rows


def dutch_amount(value: float) -> str:
    """1234567.891 -> '1.234.567,89'."""
    return f"{value:,.2f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _budget(world: World, rng: np.random.Generator) -> list[list]:
    rows = []
    names = list(BUDGET_SHARES)
    base = np.array(list(BUDGET_SHARES.values()), dtype=float)
    for t, year in enumerate(world.scale.years):
        _, y22 = _youth(world, year)
        gm_youth = np.bincount(world.wk_gm, weights=y22, minlength=len(world.gm_code))
        for g, code in enumerate(world.gm_code):
            begroting = rng.dirichlet(base * 40) * gm_youth[g] * EURO_PER_YOUNG_PERSON * 1.04 ** t
            for soort, amounts in (("begroting", begroting), ("realisatie", begroting * rng.normal(1.03, 0.04, 9))):
                for cat, amount in zip(names, amounts):
                    text = f"€ {dutch_amount(round(amount))[:-3]}" if rng.random() < 0.1 else dutch_amount(amount)
                    rows.append([year, code, soort, cat, text])
    return rows


def _bereik(world: World, rng: np.random.Generator) -> list[list]:
    rows = []
    for year in world.scale.years:
        y17, _ = _youth(world, year)
        for aanbod, soort, rate in AANBOD:
            counts = rng.poisson(y17 * rate * rng.uniform(0.5, 1.5, len(y17)))
            rows += [[year, c, aanbod, soort, int(n)] for c, n in zip(world.wk_code, counts)]
    return rows


def generate(scale_name: str, folder: Path, seed: int = DEFAULT_SEED) -> dict:
    """Write every file for a scale into `folder`; returns the manifest."""

    began = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    world = build_world(SCALES[scale_name], seed)
    rng = np.random.default_rng([seed, 5])
    files = [
        dict(_write(folder / "regios.csv", ["regio_code", "regio_naam", "niveau", "ouder_code",
                                            "vergelijkingsgroep"], regios_rows(world)), kind="regios"),
        dict(_write(folder / "normen.csv", ["productcategorie", "norm_dagen", "soort_dagen", "bron"],
                    [list(n) for n in NORMEN]), kind="normen"),
        dict(_write(folder / "bevolking.csv", ["regio_code", "jaar", "leeftijd_van", "leeftijd_tot", "aantal"],
                    _bevolking(world)), kind="bevolking"),
        dict(_write(folder / "budget.csv", ["jaar", "regio_code", "soort", "categorie", "bedrag"],
                    _budget(world, rng), encoding="cp1252"), kind="budget"),
        dict(_write(folder / "bereik.csv", ["jaar", "wijk_code", "aanbod", "soort", "deelnemers"],
                    _bereik(world, rng)), kind="bereik"),
    ]
    files += write_kwb(world, folder, seed)
    files += write_trajecten(world, folder, seed)
    manifest = {"generator": VERSION, "scale": scale_name, "seed": seed, "files": files,
                "regions": {"GM": len(world.gm_code), "WK": len(world.wk_code), "BU": len(world.bu_code),
                            "JZ": len(world.jz_code), "PV": len(world.pv_code)},
                "seconds": round(time.perf_counter() - began, 2)}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def read_manifest(folder: Path) -> dict | None:
    path = folder / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def ensure_data(scale_name: str, folder: Path, seed: int = DEFAULT_SEED) -> tuple[dict, bool]:
    """Reuse the data in `folder` when it was generated for this scale, seed and version; else generate it.

    Returns the manifest and whether it was reused. A non-empty folder without a manifest is not ours: refuse it
    rather than mix files.
    """
    manifest = read_manifest(folder)
    if manifest and (manifest["generator"], manifest["scale"], manifest["seed"]) == (VERSION, scale_name, seed) \
            and all((folder / f["file"]).exists() for f in manifest["files"]):
        return manifest, True
    if manifest is None and folder.exists() and any(folder.iterdir()):
        raise SystemExit(f"Map {folder} bevat al bestanden maar geen {MANIFEST}: kies een lege map met --data.")
    if manifest:
        for entry in manifest["files"]:
            (folder / entry["file"]).unlink(missing_ok=True)
    return generate(scale_name, folder, seed), False
