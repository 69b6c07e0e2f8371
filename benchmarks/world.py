"""The fictional country the benchmark data describes: gemeenten, wijken, buurten and their benchmark regions.

Codes are chosen so they collide neither with real CBS codes nor with the demo (GM9991-GM9999, JZ99, PV99):
gemeenten GM7001.., jeugdregio's JZ51.., provinces PV51... Wijk and buurt codes follow the CBS pattern
(`WK` + gemeente digits + 2, `BU` + wijk digits + 2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FICTIEF = "(fictief)"
NL_CODE = "NL01"
SIZE_CLASSES = (
    (0, "tot 20.000 inwoners"),
    (20_000, "20.000-50.000 inwoners"),
    (50_000, "50.000-100.000 inwoners"),
    (100_000, "100.000-250.000 inwoners"),
    (250_000, "250.000 inwoners en meer"),
)


@dataclass(frozen=True)
class Scale:
    name: str
    gemeenten: int
    wijken: int
    buurten: int
    first_year: int
    last_year: int
    trajecten: int
    inwoners: int
    trajecten_files: int = 2

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


SCALES = {
    "small": Scale("small", 4, 16, 48, 2023, 2025, 6_000, 160_000),
    "gemeente": Scale("gemeente", 1, 60, 280, 2016, 2025, 400_000, 900_000),
    "national": Scale("national", 342, 3_300, 14_500, 2016, 2025, 5_000_000, 17_900_000),
}


@dataclass
class World:
    """Arrays describing every region; wijk and buurt arrays point to their parent by index."""

    scale: Scale
    gm_code: np.ndarray
    gm_name: np.ndarray
    gm_pop: np.ndarray          # inhabitants in the first year
    gm_growth: np.ndarray       # yearly growth factor
    gm_jz: np.ndarray           # index into jz_code
    gm_group: np.ndarray        # vergelijkingsgroep (size class)
    jz_code: np.ndarray
    jz_pv: np.ndarray           # index into pv_code
    pv_code: np.ndarray
    wk_code: np.ndarray
    wk_gm: np.ndarray
    wk_pop: np.ndarray
    wk_f22: np.ndarray          # share of inhabitants aged 0-22
    wk_f17: np.ndarray          # share aged 0-17
    wk_risk: np.ndarray         # relative demand for youth care
    bu_code: np.ndarray
    bu_wk: np.ndarray
    bu_pop: np.ndarray


def allocate(total: int, weights: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Split `total` into integers proportional to `weights`, each between lo and hi (largest remainder)."""
    raw = weights / weights.sum() * total
    counts = np.clip(np.floor(raw), lo, hi).astype(np.int64)
    order = np.argsort(-(raw - counts), kind="stable")
    while counts.sum() != total:
        step = 1 if counts.sum() < total else -1
        movable = order[(counts[order] < hi) if step > 0 else (counts[order] > lo)]
        need = min(abs(total - counts.sum()), len(movable))
        counts[movable[:need]] += step
    return counts


def _split(rng: np.random.Generator, amounts: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Split each parent's amount over its children with Dirichlet-like shares."""
    w = rng.gamma(2.0, 1.0, len(parent))
    share = w / np.bincount(parent, weights=w)[parent]
    return amounts[parent] * share


def build_world(scale: Scale, seed: int) -> World:
    rng = np.random.default_rng([seed, 1])
    n_gm = scale.gemeenten
    gm_pop = np.sort(rng.lognormal(0, 1.2, n_gm))[::-1]
    gm_pop = np.maximum(np.rint(gm_pop / gm_pop.sum() * scale.inwoners), 1_000).astype(np.int64)
    gm_code = np.array([f"GM{7001 + i}" for i in range(n_gm)])
    gm_name = np.array([f"Proefgemeente {i + 1:03d} {FICTIEF}" for i in range(n_gm)])
    n_jz = int(np.clip(n_gm // 2, 1, 42))
    n_pv = int(np.clip(n_gm // 28, 1, 12))
    gm_jz = rng.permutation(np.arange(n_gm) % n_jz)
    jz_pv = (np.arange(n_jz) * n_pv) // n_jz
    thresholds = np.array([t for t, _ in SIZE_CLASSES])
    labels = np.array([label for _, label in SIZE_CLASSES])
    gm_group = labels[np.searchsorted(thresholds, gm_pop, side="right") - 1]

    wk_per_gm = allocate(scale.wijken, gm_pop ** 0.8, 1, 99)
    wk_gm = np.repeat(np.arange(n_gm), wk_per_gm)
    wk_num = np.concatenate([np.arange(1, k + 1) for k in wk_per_gm])
    wk_code = np.array([f"WK{gm_code[g][2:]}{k:02d}" for g, k in zip(wk_gm, wk_num)])
    wk_pop = _split(rng, gm_pop.astype(float), wk_gm)
    bu_per_wk = allocate(scale.buurten, wk_pop ** 0.7, 1, 99)
    bu_wk = np.repeat(np.arange(len(wk_code)), bu_per_wk)
    bu_num = np.concatenate([np.arange(1, k + 1) for k in bu_per_wk])
    bu_code = np.array([f"BU{wk_code[w][2:]}{k:02d}" for w, k in zip(bu_wk, bu_num)])
    wk_f22 = rng.uniform(0.20, 0.32, len(wk_code))
    return World(
        scale=scale, gm_code=gm_code, gm_name=gm_name, gm_pop=gm_pop,
        gm_growth=1 + rng.normal(0.005, 0.004, n_gm), gm_jz=gm_jz, gm_group=gm_group,
        jz_code=np.array([f"JZ{51 + j}" for j in range(n_jz)]), jz_pv=jz_pv,
        pv_code=np.array([f"PV{51 + p}" for p in range(n_pv)]),
        wk_code=wk_code, wk_gm=wk_gm, wk_pop=wk_pop, wk_f22=wk_f22,
        wk_f17=wk_f22 * rng.uniform(0.74, 0.80, len(wk_code)),
        wk_risk=rng.lognormal(0, 0.3, len(wk_code)),
        bu_code=bu_code, bu_wk=bu_wk, bu_pop=_split(rng, wk_pop, bu_wk),
    )


def wijk_population(world: World, year: int) -> np.ndarray:
    """Inhabitants per wijk in a year (float; callers round)."""
    t = year - world.scale.first_year
    return world.wk_pop * world.gm_growth[world.wk_gm] ** t


def regios_rows(world: World) -> list[list[str]]:
    """The `regios` file: NL, provinces, jeugdregio's, gemeenten (two parents), wijken, buurten."""
    rows = [[NL_CODE, f"Nederland {FICTIEF}", "NL", "", ""]]
    rows += [[c, f"Proefprovincie {c[2:]} {FICTIEF}", "PV", NL_CODE, ""] for c in world.pv_code]
    rows += [[c, f"Proefjeugdregio {c[2:]} {FICTIEF}", "JZ", world.pv_code[world.jz_pv[j]], ""]
             for j, c in enumerate(world.jz_code)]
    for g, code in enumerate(world.gm_code):
        jz = world.gm_jz[g]
        parents = f"{world.jz_code[jz]}|{world.pv_code[world.jz_pv[jz]]}"
        rows.append([code, world.gm_name[g], "GM", parents, world.gm_group[g]])
    rows += [[c, f"Proefwijk {c[2:]} {FICTIEF}", "WK", world.gm_code[world.wk_gm[w]], ""]
             for w, c in enumerate(world.wk_code)]
    rows += [[c, f"Proefbuurt {c[2:]} {FICTIEF}", "BU", world.wk_code[world.bu_wk[b]], ""]
             for b, c in enumerate(world.bu_code)]
    return rows
