"""KWB-style CBS wide files (Kerncijfers wijken en buurten), one per year, as StatLine exports them.

`;` separator, UTF-8 with BOM, decimal comma, codes padded to 10 characters and names to 40, keys with a numeric
suffix that shifts from year to year, `.` for secret or unknown cells, youth-care counts rounded to multiples of 5
with 0-7 shown as secret. Gemeente figures are CBS's own (slightly more than the sum of the wijken).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.world import World

TABLE_IDS = {2016: "83487NED", 2017: "83765NED", 2018: "84286NED", 2019: "84583NED", 2020: "84799NED",
             2021: "85039NED", 2022: "85318NED", 2023: "85618NED", 2024: "85984NED", 2025: "86165NED"}
JEUGDZORG_RATE = 0.11
JEUGDZORG_STEM = "JongerenMetJeugdzorgInNatura"

# stem, value from the region attributes `a` (with `t` = years since the first), decimals, rounding step for
# counts, first year the table has the measure
MEASURES: list[tuple[str, Callable[[dict], np.ndarray], int, int, int]] = [
    ("AantalInwoners", lambda a: a["pop"], 0, 5, 0),
    ("Mannen", lambda a: a["pop"] * 0.497, 0, 5, 0),
    ("Vrouwen", lambda a: a["pop"] * 0.503, 0, 5, 0),
    ("k_0Tot15Jaar", lambda a: a["pop"] * a["f17"] * 15 / 18, 0, 5, 0),
    ("k_15Tot25Jaar", lambda a: a["pop"] * (a["f22"] - a["f17"] * 15 / 18 + 0.02), 0, 5, 0),
    ("k_25Tot45Jaar", lambda a: a["pop"] * (1 - a["f22"] - a["f65"]) * 0.45, 0, 5, 0),
    ("k_45Tot65Jaar", lambda a: a["pop"] * (1 - a["f22"] - a["f65"]) * 0.55 - a["pop"] * 0.02, 0, 5, 0),
    ("k_65JaarOfOuder", lambda a: a["pop"] * a["f65"], 0, 5, 0),
    ("HuishoudensTotaal", lambda a: a["pop"] / a["hh"], 0, 10, 0),
    ("Eenpersoonshuishoudens", lambda a: a["pop"] / a["hh"] * (2.9 - a["hh"]) / 2, 0, 10, 0),
    ("HuishoudensZonderKinderen", lambda a: a["pop"] / a["hh"] * 0.28, 0, 10, 0),
    ("HuishoudensMetKinderen", lambda a: a["pop"] / a["hh"] * (a["hh"] - 1.5) / 2, 0, 10, 0),
    ("GemiddeldeHuishoudensgrootte", lambda a: a["hh"], 1, 0, 0),
    ("Bevolkingsdichtheid", lambda a: a["pop"] / a["area"] * 100, 0, 1, 0),
    ("Woningvoorraad", lambda a: a["pop"] / a["hh"] * 1.03, 0, 5, 0),
    ("GemiddeldeWOZWaardeVanWoningen", lambda a: a["woz"] * (1.06 ** a["t"]), 0, 1, 0),
    ("PercentageEengezinswoning", lambda a: a["eengezins"], 0, 1, 0),
    ("Koopwoningen", lambda a: a["koop"], 0, 1, 0),
    ("GemiddeldInkomenPerInwoner", lambda a: a["inkomen"] * (1.025 ** a["t"]), 1, 0, 0),
    ("HuishoudensMetEenLaagInkomen", lambda a: a["laag"], 1, 0, 0),
    ("HuishOnderOfRondSociaalMinimum", lambda a: a["laag"] * 0.8, 1, 0, 0),
    ("PersonenPerSoortUitkeringBijstand", lambda a: a["pop"] * a["bijstand"], 0, 10, 0),
    ("PersonenPerSoortUitkeringAO", lambda a: a["pop"] * a["bijstand"] * 1.3, 0, 10, 0),
    ("PersonenPerSoortUitkeringWW", lambda a: a["pop"] * a["bijstand"] * 0.6, 0, 10, 0),
    ("PersonenPerSoortUitkeringAOW", lambda a: a["pop"] * a["f65"] * 0.98, 0, 10, 0),
    (JEUGDZORG_STEM, lambda a: a["jz"], 0, 5, 0),
    ("PercentageJongerenMetJeugdzorg", lambda a: a["jz"] / (a["pop"] * a["f22"]) * 100, 1, 0, 0),
    ("WmoClienten", lambda a: a["pop"] * a["wmo"], 0, 5, 2017),
    ("WmoClientenRelatief", lambda a: a["wmo"] * 1000, 0, 1, 2017),
    ("AantalPubliekeLaadpalen", lambda a: a["pop"] * 0.004 * (a["t"] + 1), 0, 1, 2021),
    ("AfstandTotHuisartsenpraktijk", lambda a: a["afstand"], 1, 0, 0),
    ("AfstandTotKinderdagverblijf", lambda a: a["afstand"] * 0.8, 1, 0, 0),
    ("OppervlakteTotaal", lambda a: a["area"], 0, 1, 0),
    ("MateVanStedelijkheid", lambda a: a["stedelijk"], 0, 1, 0),
]
SMALL_POP = 200  # below this, measures with decimals (shares, averages) are secret in wijken and buurten
SOORT = {0: "Gemeente", 1: "Wijk", 2: "Buurt"}


def _static_attributes(world: World, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng([seed, 2])
    n = len(world.wk_code)
    hh = rng.uniform(1.7, 2.7, n)
    return {
        "f22": world.wk_f22, "f17": world.wk_f17, "risk": world.wk_risk, "hh": hh,
        "f65": rng.uniform(0.10, 0.30, n), "area": rng.lognormal(5.5, 1.0, n),
        "woz": rng.uniform(180, 650, n), "eengezins": rng.uniform(20, 90, n), "koop": rng.uniform(25, 85, n),
        "inkomen": rng.uniform(22, 45, n), "laag": rng.uniform(2, 16, n), "bijstand": rng.uniform(0.003, 0.06, n),
        "wmo": rng.uniform(0.03, 0.11, n), "afstand": rng.uniform(0.3, 3.5, n),
        "stedelijk": rng.integers(1, 6, n).astype(float),
    }


def _row_order(world: World) -> tuple[np.ndarray, np.ndarray]:
    """CBS order: each gemeente, then each of its wijken followed by that wijk's buurten."""
    levels, index = [], []
    bu_by_wk = np.split(np.arange(len(world.bu_code)), np.cumsum(np.bincount(world.bu_wk))[:-1])
    wk_by_gm = np.split(np.arange(len(world.wk_code)), np.cumsum(np.bincount(world.wk_gm))[:-1])
    for g, wijken in enumerate(wk_by_gm):
        levels.append(0)
        index.append(g)
        for w in wijken:
            levels.append(1)
            index.append(w)
            levels.extend([2] * len(bu_by_wk[w]))
            index.extend(bu_by_wk[w])
    return np.array(levels), np.array(index)


def _year_values(world: World, static: dict, year: int, rng: np.random.Generator) -> dict[int, dict]:
    """Attribute arrays per level (0 gemeente, 1 wijk, 2 buurt) for one year."""
    t = year - world.scale.first_year
    growth = world.gm_growth[world.wk_gm] ** t
    wk = dict(static, pop=world.wk_pop * growth)
    trend = (1 + 0.02 * t) * rng.normal(1, 0.05, len(world.wk_code))
    wk["jz"] = wk["pop"] * wk["f22"] * JEUGDZORG_RATE * wk["risk"] * trend
    noise = rng.uniform(0.95, 1.05, len(world.bu_code))  # bounded: shares of at most 90% stay under 100%
    bu = {k: v[world.bu_wk] * noise for k, v in static.items() if k != "stedelijk"}
    bu["stedelijk"] = static["stedelijk"][world.bu_wk]
    bu["pop"] = world.bu_pop * growth[world.bu_wk]
    bu["area"] = static["area"][world.bu_wk] / np.bincount(world.bu_wk)[world.bu_wk]
    bu["jz"] = bu["pop"] * bu["f22"] * JEUGDZORG_RATE * wk["risk"][world.bu_wk] * trend[world.bu_wk] * noise
    n_gm = len(world.gm_code)
    gm_pop = np.bincount(world.wk_gm, weights=wk["pop"], minlength=n_gm)
    gm = {k: np.bincount(world.wk_gm, weights=v * wk["pop"], minlength=n_gm) / gm_pop for k, v in static.items()}
    gm["pop"] = gm_pop
    gm["area"] = np.bincount(world.wk_gm, weights=static["area"], minlength=n_gm)
    gm["jz"] = np.bincount(world.wk_gm, weights=wk["jz"], minlength=n_gm) * 1.03
    gm["stedelijk"] = np.rint(gm["stedelijk"])
    return {0: gm, 1: wk, 2: bu}


def _cells(values: np.ndarray, decimals: int, step: int) -> np.ndarray:
    if decimals:
        return np.char.replace(np.char.mod(f"%.{decimals}f", values), ".", ",")
    rounded = np.rint(values / step) * step if step > 1 else np.rint(values)
    return np.char.mod("%d", rounded)


def _column(stem: str, formula: Callable[[dict], np.ndarray], decimals: int, step: int, levels, index, per_level,
            t: int) -> np.ndarray:
    """One measure's cells for every row of the file (levels/index say which region each row is)."""
    out = np.empty(len(levels), dtype=object)
    for level, attrs in per_level.items():
        mask = levels == level
        values = np.asarray(formula(dict(attrs, t=t)), dtype=float)[index[mask]]
        cells = _cells(values, decimals, step).astype(object)
        pop = attrs["pop"][index[mask]]
        if stem == JEUGDZORG_STEM or stem == "PercentageJongerenMetJeugdzorg":
            cells[attrs["jz"][index[mask]] < 7.5] = "."
        elif level and decimals:
            cells[pop < SMALL_POP] = "."
        out[mask] = cells
    return out


def write_kwb(world: World, folder: Path, seed: int) -> list[dict]:
    """Write one KWB file per year; returns the manifest entries (file, kind, jaar, table, rows)."""
    static = _static_attributes(world, seed)
    levels, index = _row_order(world)
    codes = {0: world.gm_code, 1: world.wk_code, 2: world.bu_code}
    gm_of = {0: np.arange(len(world.gm_code)), 1: world.wk_gm, 2: world.wk_gm[world.bu_wk]}
    code_col = np.empty(len(levels), dtype=object)
    name_col = np.empty(len(levels), dtype=object)
    for level in (0, 1, 2):
        mask = levels == level
        code_col[mask] = np.char.ljust(codes[level][index[mask]].astype(str), 10)
        name_col[mask] = np.char.ljust(world.gm_name[gm_of[level][index[mask]]].astype(str), 40)
    soort_col = np.array([SOORT[lv].ljust(10) for lv in (0, 1, 2)], dtype=object)[levels]
    entries = []
    for year in world.scale.years:
        rng = np.random.default_rng([seed, 3, year])
        per_level = _year_values(world, static, year, rng)
        frame = {"ID": np.arange(len(levels)), "WijkenEnBuurten": code_col, "Gemeentenaam_1": name_col,
                 "SoortRegio_2": soort_col, "Codering_3": code_col}
        position = 4 + int(rng.integers(0, 3))
        for stem, formula, decimals, step, since in MEASURES:
            if year < since:
                continue
            position += 1 + int(rng.integers(0, 3))
            frame[f"{stem}_{position}"] = _column(stem, formula, decimals, step, levels, index, per_level,
                                                  year - world.scale.first_year)
        name = f"kwb_{year}_{TABLE_IDS[year]}.csv"
        pd.DataFrame(frame).to_csv(folder / name, sep=";", index=False, encoding="utf-8-sig")
        entries.append({"file": name, "kind": "cbs", "jaar": year, "table": TABLE_IDS[year], "rows": len(levels)})
    return entries
