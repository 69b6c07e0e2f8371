"""Trajectories from own registration, national size, written as `;` CSV through DuckDB.

Everything is drawn with numpy in whole arrays (5 million rows take seconds, not minutes). The files carry what
real exports carry: ISO dates in one file and Dutch `15-3-2024` dates with alias column names in the other, a few
rows whose startdatum lies before the aanmelddatum (rejected by the loader) and a few exact duplicates (loaded once).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from benchmarks.world import FICTIEF, World
from common.verwijzers import CODES as VERWIJZERS

CATEGORIEEN = ("basishulp", "jeugdhulp_ambulant", "jeugd_ggz", "jeugdhulp_verblijf", "jeugdbescherming",
               "jeugdreclassering")


@dataclass(frozen=True)
class Categorie:
    share: float
    ages: tuple[int, int]
    wait: tuple[float, float]       # median and sigma of the lognormal wait
    werkdagen: bool                 # wait counted in working days
    duration: tuple[float, float]   # median and sigma of the lognormal duration in days
    verwijzers: tuple[float, ...]   # weights in the order of VERWIJZERS


PROFILE = {
    "basishulp": Categorie(0.38, (0, 20), (4, 0.8), True, (80, 0.7), (55, 7, 8, 0, 0, 0, 25, 5)),
    "jeugdhulp_ambulant": Categorie(0.28, (1, 21), (28, 0.7), False, (190, 0.65), (50, 25, 8, 7, 5, 0, 0, 5)),
    "jeugd_ggz": Categorie(0.15, (4, 22), (50, 0.6), False, (230, 0.6), (15, 60, 8, 12, 0, 0, 0, 5)),
    "jeugdhulp_verblijf": Categorie(0.06, (0, 20), (21, 0.9), False, (420, 0.6), (40, 5, 0, 10, 35, 5, 0, 5)),
    "jeugdbescherming": Categorie(0.09, (0, 17), (3, 0.7), True, (480, 0.5), (0, 0, 0, 0, 40, 55, 0, 5)),
    "jeugdreclassering": Categorie(0.04, (12, 22), (6, 0.6), True, (260, 0.45), (0, 0, 0, 0, 50, 45, 0, 5)),
}
NORMEN = [  # productcategorie, norm_dagen, soort_dagen, bron
    ("basishulp", 5, "werkdagen", "Toegang buurtteam binnen 5 werkdagen (fictieve benchmarknorm)"),
    ("jeugdhulp_ambulant", 42, "kalenderdagen", "Fictieve benchmarknorm"),
    ("jeugd_ggz", 98, "kalenderdagen", "Treeknorm: 4 weken tot intake en 10 weken tot behandeling"),
    ("jeugdhulp_verblijf", 42, "kalenderdagen", "Fictieve benchmarknorm"),
    ("jeugdbescherming", 5, "werkdagen", "Fictieve benchmarknorm"),
    ("jeugdreclassering", 10, "werkdagen", "Fictieve benchmarknorm"),
]
PROVIDERS_PER_JZ = 6
TRAJECTS_PER_CLIENT = 1.5
COLUMNS_ISO = ("client_id", "wijk_code", "aanmelddatum", "toewijzingsdatum", "startdatum", "einddatum",
               "productcategorie", "aanbieder", "verwijzer", "huishouden_id", "geboortejaar")
COLUMNS_ALIAS = ("clientnummer", "wijk", "verzoekdatum", "toewijzingsdatum", "datum_start", "datum_einde",
                 "categorie", "aanbieder", "verwijzer", "gezin_id", "geboortejaar")


def _request_days(rng: np.random.Generator, world: World, n: int) -> np.ndarray:
    first = np.datetime64(f"{world.scale.first_year}-01-01")
    days = np.arange(first, np.datetime64(f"{world.scale.last_year + 1}-01-01"))
    years = days.astype("datetime64[Y]").astype(int) + 1970 - world.scale.first_year
    weekday = (days.astype(np.int64) - 4) % 7          # 1970-01-01 was a Thursday; Monday = 0
    w = (1 + 0.03 * years) * np.where(weekday >= 5, 0.1, 1.0)
    return days[rng.choice(len(days), size=n, p=w / w.sum())]


def _draw(rng: np.random.Generator, world: World, n: int) -> dict[str, np.ndarray]:
    last = np.datetime64(f"{world.scale.last_year}-12-31")
    demand = world.wk_pop * world.wk_f22 * world.wk_risk
    wijk = rng.choice(len(demand), size=n, p=demand / demand.sum())
    per_wijk = np.bincount(wijk, minlength=len(demand))
    pool = np.maximum(1, np.rint(per_wijk / TRAJECTS_PER_CLIENT)).astype(np.int64)
    offset = np.concatenate([[0], np.cumsum(pool)[:-1]])
    client = offset[wijk] + (rng.random(n) * pool[wijk]).astype(np.int64)
    cat = rng.choice(len(CATEGORIEEN), size=n, p=[PROFILE[c].share for c in CATEGORIEEN])
    aanmeld = _request_days(rng, world, n)
    start = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    einde = start.copy()
    verwijzer = np.zeros(n, dtype=np.int64)
    age = np.zeros(n, dtype=np.int64)
    for k, name in enumerate(CATEGORIEEN):
        p, rows = PROFILE[name], np.flatnonzero(cat == k)
        wait = np.rint(rng.lognormal(np.log(p.wait[0]), p.wait[1], len(rows))).astype(np.int64)
        if p.werkdagen:
            start[rows] = np.busday_offset(aanmeld[rows], wait, roll="forward")
        else:
            start[rows] = aanmeld[rows] + wait
        einde[rows] = start[rows] + np.rint(rng.lognormal(np.log(p.duration[0]), p.duration[1], len(rows))).astype(
            np.int64)
        weights = np.array(p.verwijzers, dtype=float)
        verwijzer[rows] = rng.choice(len(VERWIJZERS), size=len(rows), p=weights / weights.sum())
        age[rows] = rng.integers(p.ages[0], p.ages[1] + 1, len(rows))
    withdrawn = rng.random(n) < 0.003
    start[(start > last) | withdrawn] = np.datetime64("NaT")
    einde[np.isnat(start) | (einde > last)] = np.datetime64("NaT")
    toewijzing = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    allocated = np.flatnonzero(~np.isnat(start) & (rng.random(n) >= 0.15))
    wait = (start[allocated] - aanmeld[allocated]).astype(np.int64)
    toewijzing[allocated] = aanmeld[allocated] + (wait * rng.random(len(allocated))).astype(np.int64)
    jz = world.gm_jz[world.wk_gm[wijk]]
    return {
        "client": client, "wijk": wijk, "cat": cat, "aanmeld": aanmeld, "toewijzing": toewijzing, "start": start,
        "einde": einde, "verwijzer": verwijzer,
        "aanbieder": jz * PROVIDERS_PER_JZ + rng.integers(0, PROVIDERS_PER_JZ, n),
        "geboortejaar": aanmeld.astype("datetime64[Y]").astype(np.int64) + 1970 - age,
    }


def _take(cols: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[rows] for k, v in cols.items()}


def draw_trajecten(world: World, seed: int) -> dict[str, np.ndarray]:
    """All trajectories, sorted by aanmelddatum; unique on (client, category, aanmelddatum) except the duplicates.

    `invalid` marks the rows the loader must reject, `duplicate` the extra copies it must load only once.
    """
    rng = np.random.default_rng([seed, 4])
    target = world.scale.trajecten
    n_dup = max(2, target // 2_000)
    cols = _draw(rng, world, int((target - n_dup) * 1.01) + 10)
    key = (cols["client"] * len(CATEGORIEEN) + cols["cat"]) * 100_000 + (
        cols["aanmeld"] - np.datetime64("2000-01-01")).astype(np.int64)
    _, first = np.unique(key, return_index=True)
    cols = _take(cols, np.sort(first)[: target - n_dup])
    started = np.flatnonzero(~np.isnat(cols["start"]))
    invalid = rng.choice(started, size=max(2, target // 5_000), replace=False)
    cols["start"][invalid] = cols["aanmeld"][invalid] - rng.integers(1, 21, len(invalid))
    cols["toewijzing"][invalid] = np.datetime64("NaT")
    n = len(cols["client"])
    cols["invalid"] = np.isin(np.arange(n), invalid)
    cols["duplicate"] = np.zeros(n, dtype=bool)
    valid = np.setdiff1d(np.arange(n), invalid)
    rows = np.concatenate([np.arange(n), rng.choice(valid, size=n_dup, replace=False)])
    cols = _take(cols, rows)
    cols["duplicate"][n:] = True
    return _take(cols, np.argsort(cols["aanmeld"], kind="stable"))


def _date(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype(np.int64).astype(np.int32), type=pa.int32(), mask=np.isnat(values)).cast(
        pa.date32())


def _dictionary(index: np.ndarray, names) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(index.astype(np.int32)), pa.array([str(x) for x in names]))


def _arrow(world: World, cols: dict[str, np.ndarray]) -> pa.Table:
    n_providers = len(world.jz_code) * PROVIDERS_PER_JZ
    providers = [f"Aanbieder {k + 1:03d} {FICTIEF}" for k in range(n_providers)]
    return pa.table({
        "client": pa.array(cols["client"]), "wijk": _dictionary(cols["wijk"], world.wk_code),
        "aanmeld": _date(cols["aanmeld"]), "toewijzing": _date(cols["toewijzing"]),
        "start": _date(cols["start"]), "einde": _date(cols["einde"]),
        "cat": _dictionary(cols["cat"], CATEGORIEEN), "aanbieder": _dictionary(cols["aanbieder"], providers),
        "verwijzer": _dictionary(cols["verwijzer"], VERWIJZERS), "geboortejaar": pa.array(cols["geboortejaar"]),
    })


SELECT = """
SELECT printf('C%08X', (client * 2654435761) % 4294967296) AS "{0}", wijk AS "{1}",
       strftime(aanmeld, $fmt) AS "{2}", strftime(toewijzing, $fmt) AS "{3}", strftime(start, $fmt) AS "{4}",
       strftime(einde, $fmt) AS "{5}", cat AS "{6}", aanbieder AS "{7}", verwijzer AS "{8}",
       printf('H%08X', ((client // 2) * 2246822519) % 4294967296) AS "{9}", geboortejaar AS "{10}"
FROM traj WHERE part = $part
"""


def write_trajecten(world: World, folder: Path, seed: int) -> list[dict]:
    """Write the trajectory files; returns their manifest entries."""
    cols = draw_trajecten(world, seed)
    part_of = cols["wijk"] % world.scale.trajecten_files
    table = _arrow(world, cols).append_column("part", pa.array(part_of))
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.register("traj", table)
    entries = []
    for part in range(world.scale.trajecten_files):
        dutch = part % 2 == 1
        names = COLUMNS_ALIAS if dutch else COLUMNS_ISO
        path = folder / f"trajecten_{part + 1}.csv"
        sql = SELECT.format(*names)
        params = {"fmt": "%-d-%-m-%Y" if dutch else "%Y-%m-%d", "part": part}
        con.sql(sql, params=params).write_csv(str(path), sep=";", header=True)
        mine = part_of == part
        entries.append({"file": path.name, "kind": "trajecten", "rows": int(mine.sum()),
                        "invalid": int(cols["invalid"][mine].sum()), "duplicates": int(cols["duplicate"][mine].sum())})
    con.close()
    return entries
