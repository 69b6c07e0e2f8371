"""Generate the fictional demo data of Jeugdmonitor (all of it is invented).

Run as ``python data/demo/generate.py``; the files are written next to this script. Every random choice comes
from fixed seeds and nothing depends on the clock, so two runs give byte-identical files. Each file has its own
random stream, so changing one file's recipe leaves the others unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.styles import Font

SEED = 20261123
OUT = Path(__file__).resolve().parent
YEARS = list(range(2019, 2026))
LAST_DAY = date(2025, 12, 31)
FICTIEF = "(fictief)"

KWB_TABLES = {2019: "84583NED", 2020: "84799NED", 2021: "85039NED", 2022: "85318NED",
              2023: "85618NED", 2024: "85984NED", 2025: "86165NED"}
# (bijstand, jeugdzorg count, jeugdzorg percentage) column suffixes, which change between tables as in reality
KWB_SUFFIXES = {2019: (80, 87, 88), 2020: (80, 87, 88), 2021: (80, 87, 88), 2022: (80, 87, 88),
                2023: (89, 96, 97), 2024: (84, 91, 92), 2025: (84, 91, 92)}


def rng_for(stream: int) -> np.random.Generator:
    """One independent, seeded random stream per output file."""
    return np.random.default_rng([SEED, stream])


# --------------------------------------------------------------------------------------------------------------
# The fictional world
# --------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Wijk:
    code: str
    naam: str
    inwoners_2019: int
    groei: float            # yearly population growth
    aandeel_0_17: float     # share of inhabitants aged 0-17
    aandeel_18_24: float
    huishoudgrootte: float
    aandeel_hh_kind: float  # share of households with children
    bijstand: float         # share of inhabitants on bijstand
    jz_pct_2019: float      # CBS % young people (<23) with jeugdzorg
    jz_stijging: float      # percentage points per year
    zorg: float             # relative demand for trajectories
    wacht: float            # relative wait times
    bereik: float           # relative reach of preventive offers


WIJKEN = [
    Wijk("WK999901", "Centrum (fictief)", 9200, 0.004, 0.12, 0.13, 1.65, 0.15, 0.045, 10.8, 0.20, 1.00, 1.00, 0.96),
    Wijk("WK999902", "Oosterpark (fictief)", 12400, 0.003, 0.23, 0.10, 2.25, 0.33, 0.095, 14.0, 0.26, 1.45, 1.35, 1.10),
    Wijk("WK999903", "De Velden (fictief)", 15900, 0.005, 0.215, 0.08, 2.45, 0.38, 0.030, 10.6, 0.20, 0.95, 1.00, 1.00),
    Wijk("WK999904", "Westhoven (fictief)", 10300, 0.002, 0.21, 0.07, 2.50, 0.36, 0.008, 7.8, 0.10, 0.65, 0.85, 0.92),
    Wijk("WK999905", "Molenkwartier (fictief)", 8600, 0.003, 0.19, 0.09, 2.15, 0.28, 0.035, 11.4, 0.22, 1.05, 1.05, 0.95),
    Wijk("WK999906", "Zuiderhaven (fictief)", 7300, 0.002, 0.17, 0.09, 1.95, 0.24, 0.050, 12.2, 0.18, 1.10, 1.10, 0.94),
    Wijk("WK999907", "Noorderbos (fictief)", 5800, 0.040, 0.26, 0.06, 2.70, 0.45, 0.015, 9.0, 0.15, 0.85, 0.95, 1.05),
    Wijk("WK999908", "Buitengebied (fictief)", 350, 0.000, 0.17, 0.08, 2.60, 0.30, 0.010, 5.0, 0.00, 0.70, 1.00, 0.50),
]
KLEIN = "WK999908"  # the small wijk: all own-registration figures stay under 10

GEMEENTE = ("GM9999", "Voorbeeldstad (fictief)")


@dataclass(frozen=True)
class Vergelijker:
    code: str
    naam: str
    inwoners_2019: int
    groei: float
    in_jeugdregio: bool
    groep: str
    aandeel_0_14: float
    aandeel_15_24: float
    huishoudgrootte: float
    aandeel_hh_kind: float
    bijstand: float
    jz_pct_2019: float


G50 = "50.000-100.000 inwoners"
G100 = "100.000-150.000 inwoners"
VERGELIJKERS = [
    Vergelijker("GM9991", "Kanaaldorp (fictief)", 58300, 0.004, True, G50, 0.162, 0.118, 2.25, 0.33, 0.024, 9.6),
    Vergelijker("GM9992", "Heuvelrand (fictief)", 66900, 0.006, True, G50, 0.171, 0.112, 2.35, 0.36, 0.017, 9.2),
    Vergelijker("GM9993", "Nieuwe Haven (fictief)", 81200, 0.005, True, G50, 0.158, 0.128, 2.10, 0.31, 0.041, 12.1),
    Vergelijker("GM9994", "Dijkstein (fictief)", 73500, 0.003, False, G50, 0.155, 0.121, 2.15, 0.32, 0.035, 11.2),
    Vergelijker("GM9995", "Bergeveen (fictief)", 52800, 0.002, False, G50, 0.166, 0.109, 2.30, 0.35, 0.021, 8.7),
    Vergelijker("GM9996", "Lindenburg (fictief)", 94100, 0.007, False, G50, 0.160, 0.125, 2.20, 0.33, 0.030, 10.9),
    Vergelijker("GM9997", "Grootmeer (fictief)", 118700, 0.008, False, G100, 0.154, 0.140, 2.05, 0.30, 0.046, 12.4),
    Vergelijker("GM9998", "Rivierstad (fictief)", 139400, 0.009, False, G100, 0.150, 0.152, 1.95, 0.28, 0.052, 11.6),
]


# Context for the expected-use model (indicators.models): % households with a low income, % inhabitants with an
# origin outside Europe, CBS stedelijkheid (1 = zeer sterk stedelijk .. 5 = niet stedelijk). Molenkwartier and
# Westhoven truly differ from their composition: more and less jeugdzorg than wijken like them.
WIJK_CONTEXT = {
    "WK999901": (11.0, 14.0, 1), "WK999902": (18.0, 28.0, 2), "WK999903": (7.0, 9.0, 2),
    "WK999904": (15.0, 22.0, 1), "WK999905": (2.0, 2.0, 5), "WK999906": (12.0, 15.0, 2),
    "WK999907": (5.0, 6.0, 4), "WK999908": (5.0, 2.0, 5),
}
# The planted model of the comparison wijken: rate ratio per step (steps as in indicators.models.context).
MODEL_RR = {"laag": (1.10, 5), "bijstand": (1.08, 10), "herkomst": (1.03, 10), "kinderen": (1.06, 10),
            "jong": (0.92, 10), "stedelijk": (1.02, 1)}
MODEL_ALPHA = 0.005
# Comparison wijken that truly differ from their composition: (gemeente, wijk number) -> factor.
MODEL_PLANTED = {("GM9993", 3): 1.6, ("GM9996", 7): 0.6, ("GM9997", 12): 1.5, ("GM9998", 5): 0.62}
WIJK_INWONERS = 6500   # a comparison gemeente has about one wijk per this many inhabitants


@dataclass(frozen=True)
class VergelijkWijk:
    code: str
    naam: str
    gemeente: str
    aandeel: float          # share of the gemeente's inhabitants
    jong: float             # share of 0-14 among 0-24
    hh_kind: float
    bijstand: float         # per inhabitant
    laag: float             # % households with a low income
    herkomst: float         # % origin outside Europe
    stedelijkheid: int      # CBS code
    effect: float           # persistent deviation from the model (gamma) times a planted factor


def build_vergelijk_wijken() -> list[VergelijkWijk]:
    """Fictional wijken of the comparison gemeenten, so that the expected-use model has enough wijken to fit."""
    rng = rng_for(20)
    out = []
    for v in VERGELIJKERS:
        n = max(6, round(v.inwoners_2019 / WIJK_INWONERS))
        shares = rng.dirichlet(np.full(n, 6.0))
        deprivation = rng.normal(0, 1, n)
        for i in range(n):
            d = deprivation[i]
            factor = MODEL_PLANTED.get((v.code, i + 1), 1.0)
            effect = factor * (1.0 if factor != 1.0 else rng.gamma(1 / MODEL_ALPHA, MODEL_ALPHA))
            out.append(VergelijkWijk(
                code=f"WK{v.code[2:]}{i + 1:02d}", naam=f"{v.naam.replace(' (fictief)', '')} wijk {i + 1} (fictief)",
                gemeente=v.code, aandeel=float(shares[i]),
                jong=float(np.clip(0.57 + rng.normal(0, 0.06), 0.35, 0.75)),
                hh_kind=float(np.clip(v.aandeel_hh_kind + rng.normal(0, 0.07), 0.1, 0.55)),
                bijstand=float(np.clip(v.bijstand * (1 + 0.55 * d) + rng.normal(0, 0.004), 0.002, 0.12)),
                laag=float(np.clip(8 + 3.5 * d + rng.normal(0, 1.5), 1.5, 30)),
                herkomst=float(np.clip(10 + 6 * d + rng.normal(0, 4), 0.5, 55)),
                stedelijkheid=int(np.clip(round(3 - 0.8 * d + rng.normal(0, 0.8)), 1, 5)),
                effect=float(effect)))
    return out


VERGELIJK_WIJKEN = build_vergelijk_wijken()


def model_rate(laag: float, bijstand_per_inw: float, herkomst: float, hh_kind: float, jong: float,
               stedelijkheid: int) -> float:
    """The planted expected share of young people with jeugdzorg, from a wijk's composition."""
    x = {"laag": laag - 9, "bijstand": 1000 * bijstand_per_inw - 30, "herkomst": herkomst - 12,
         "kinderen": 100 * hh_kind - 30, "jong": 100 * jong - 57, "stedelijk": (6 - stedelijkheid) - 3}
    return 0.10 * math.exp(sum(math.log(rr) * x[k] / step for k, (rr, step) in MODEL_RR.items()))


def pad(text: str, width: int) -> str:
    return text.ljust(width)


def dec1(x: float) -> str:
    """One decimal with a decimal comma, as in StatLine CSV exports."""
    return f"{x:.1f}".replace(".", ",")


def round_to(x: float, step: int) -> int:
    return int(step * math.floor(x / step + 0.5))


def write_csv(name: str, header: list[str], rows: list[list], encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    (OUT / name).write_bytes(buf.getvalue().encode(encoding))


# --------------------------------------------------------------------------------------------------------------
# Population: single years of age 0-24 per wijk and year; KWB, bevolking, trajectories and reach all derive from it
# --------------------------------------------------------------------------------------------------------------

def build_population() -> dict[tuple[str, int], dict]:
    rng = rng_for(1)
    pop: dict[tuple[str, int], dict] = {}
    for w in WIJKEN:
        ages_shape = np.ones(25)
        if w.code == "WK999907":
            ages_shape[0:6] = 1.35          # young families in the new-build wijk
        if w.code == "WK999901":
            ages_shape[0:4] = 0.8
        base_noise = rng.normal(1.0, 0.06, 25)
        for year in YEARS:
            t = year - 2019
            total = w.inwoners_2019 * (1 + w.groei) ** t * rng.normal(1.0, 0.002)
            share_young = w.aandeel_0_17 * (1 - 0.004 * t if w.code != "WK999907" else 1 + 0.01 * t)
            weights = ages_shape * base_noise * rng.normal(1.0, 0.03, 25)
            child = weights[:18] / weights[:18].sum() * total * share_young
            adult = weights[18:] / weights[18:].sum() * total * w.aandeel_18_24
            ages = np.rint(np.concatenate([child, adult])).astype(int)
            pop[(w.code, year)] = {"totaal": int(round(total)), "leeftijd": ages}
    return pop


def band(ages: np.ndarray, lo: int, hi: int) -> int:
    return int(ages[lo:hi + 1].sum())


# --------------------------------------------------------------------------------------------------------------
# 1. regios.csv
# --------------------------------------------------------------------------------------------------------------

def write_regios() -> None:
    rows = [
        ["NL01", "Nederland (fictief)", "NL", "", ""],
        ["PV99", "Provincie Voorbeeld (fictief)", "PV", "NL01", ""],
        ["JZ99", "Jeugdregio Voorbeeldstreek (fictief)", "JZ", "PV99", ""],
        [GEMEENTE[0], GEMEENTE[1], "GM", "JZ99|PV99", G50],
    ]
    for v in VERGELIJKERS:
        rows.append([v.code, v.naam, "GM", "JZ99|PV99" if v.in_jeugdregio else "PV99", v.groep])
    for w in WIJKEN:
        rows.append([w.code, w.naam, "WK", GEMEENTE[0], ""])
    for vw in VERGELIJK_WIJKEN:
        rows.append([vw.code, vw.naam, "WK", vw.gemeente, ""])
    write_csv("regios.csv", ["regio_code", "regio_naam", "niveau", "ouder_code", "vergelijkingsgroep"], rows)


# --------------------------------------------------------------------------------------------------------------
# 2. CBS KWB, one wide file per year, as StatLine exports it
# --------------------------------------------------------------------------------------------------------------

def youth_care_truth(pop) -> dict:
    """True (unrounded) number of young people <23 with jeugdzorg per region and year."""
    rng = rng_for(2)
    truth: dict[tuple[str, int], dict] = {}
    for year in YEARS:
        t = year - 2019
        wijk_sum = 0.0
        for w in WIJKEN:
            ages = pop[(w.code, year)]["leeftijd"]
            n_0_22 = band(ages, 0, 22)
            pct = w.jz_pct_2019 + w.jz_stijging * t + rng.normal(0, 0.25)
            if year in (2022, 2023):
                pct += 0.2
            count = pct / 100 * n_0_22
            wijk_sum += count
            truth[(w.code, year)] = {"aantal": count, "n_0_22": n_0_22}
        gm_n = sum(truth[(w.code, year)]["n_0_22"] for w in WIJKEN)
        # young people without a known address count only for the gemeente
        truth[(GEMEENTE[0], year)] = {"aantal": wijk_sum * rng.normal(1.03, 0.005), "n_0_22": gm_n}
    return truth


def kwb_rows(pop, truth) -> dict[int, list[dict]]:
    rng = rng_for(3)
    out: dict[int, list[dict]] = {y: [] for y in YEARS}

    def add(year, code, gemeentenaam, soort, inw, k0_14, k15_24, hh, hh_kind, bijstand, jz, ctx=None):
        """jz is (true count, population 0-22), rounded and suppressed only when written; ctx the model context
        (% low income, % origin outside Europe, stedelijkheid), from context_for when not given."""
        out[year].append(dict(code=code, gemeentenaam=gemeentenaam, soort=soort, inw=inw, k0_14=k0_14,
                              k15_24=k15_24, hh=hh, hh_kind=hh_kind, bijstand=bijstand, jz=jz,
                              ctx=ctx or context_for(code)))

    # comparison gemeenten, computed first so that JZ99 can add them up
    gm_values: dict[tuple[str, int], dict] = {}
    for v in VERGELIJKERS:
        for year in YEARS:
            t = year - 2019
            inw = int(v.inwoners_2019 * (1 + v.groei) ** t * rng.normal(1, 0.001))
            k0_14 = int(inw * (v.aandeel_0_14 - 0.0012 * t))
            k15_24 = int(inw * v.aandeel_15_24)
            n_0_22 = k0_14 + int(0.8 * k15_24)
            pct = v.jz_pct_2019 + 0.19 * t + rng.normal(0, 0.15)
            gm_values[(v.code, year)] = dict(
                inw=inw, k0_14=k0_14, k15_24=k15_24, hh=int(inw / v.huishoudgrootte),
                hh_kind=int(inw / v.huishoudgrootte * v.aandeel_hh_kind),
                bijstand=round_to(inw * v.bijstand * (1 - 0.02 * t + (0.04 if year == 2021 else 0)), 10),
                jz_true=pct / 100 * n_0_22, n_0_22=n_0_22)

    for year in YEARS:
        t = year - 2019
        # Nederland and the province: invented round-ish national figures
        for code, naam, soort, inw0, pct0 in (("NL01", "Nederland (fictief)", "Land", 17282163, 9.9),
                                              ("PV99", "Provincie Voorbeeld (fictief)", "Provincie", 1296420, 10.2)):
            inw = int(inw0 * (1.0062 ** t))
            k0_14 = int(inw * (0.159 - 0.0013 * t))
            k15_24 = int(inw * 0.123)
            n_0_22 = k0_14 + int(0.8 * k15_24)
            pct = pct0 + 0.18 * t + rng.normal(0, 0.05)
            add(year, code, naam, soort, inw, k0_14, k15_24, int(inw / 2.14), int(inw / 2.14 * 0.33),
                round_to(inw * 0.0241 * (1 - 0.02 * t), 10), (pct / 100 * n_0_22, n_0_22))
        # jeugdregio: its gemeenten in this demo plus some smaller ones that are not in it
        members = [GEMEENTE[0]] + [v.code for v in VERGELIJKERS if v.in_jeugdregio]
        gm_own = gemeente_kwb(pop, truth, year)
        tot = {k: 0.0 for k in ("inw", "k0_14", "k15_24", "hh", "hh_kind", "bijstand", "jz_true", "n_0_22")}
        for code in members:
            vals = gm_own if code == GEMEENTE[0] else gm_values[(code, year)]
            for k in tot:
                tot[k] += vals[k]
        rest = 41250 * (1.004 ** t)
        add(year, "JZ99", "Jeugdregio Voorbeeldstreek (fictief)", "Jeugdregio", int(tot["inw"] + rest), int(tot["k0_14"] + rest * 0.17), int(tot["k15_24"] + rest * 0.11),
            int(tot["hh"] + rest / 2.4), int(tot["hh_kind"] + rest / 2.4 * 0.37),
            round_to(tot["bijstand"] + rest * 0.015, 10),
            (tot["jz_true"] + rest * 0.26 * 0.095, tot["n_0_22"] + rest * 0.26))
        wijk_rows = vergelijk_wijk_kwb(gm_values, year)
        for v in VERGELIJKERS:
            g = gm_values[(v.code, year)]
            add(year, v.code, v.naam, "Gemeente", g["inw"], g["k0_14"], g["k15_24"], g["hh"], g["hh_kind"],
                g["bijstand"], (g["jz_true"], g["n_0_22"]))
        add(year, GEMEENTE[0], GEMEENTE[1], "Gemeente", gm_own["inw"], gm_own["k0_14"],
            gm_own["k15_24"], gm_own["hh"], gm_own["hh_kind"], gm_own["bijstand"],
            (gm_own["jz_true"], gm_own["n_0_22"]))
        for w in WIJKEN:
            v = wijk_kwb(pop, truth, w, year)
            add(year, w.code, GEMEENTE[1], "Wijk", v["inw"], v["k0_14"], v["k15_24"], v["hh"],
                v["hh_kind"], v["bijstand"], (v["jz_true"], v["n_0_22"]))
        for r in wijk_rows:
            add(year, *r)
    return out


def context_for(code: str) -> tuple[float, float, int]:
    """Model context of a region: a wijk's own, a gemeente's the mean of its wijken, invented for the rest."""
    if code in WIJK_CONTEXT:
        return WIJK_CONTEXT[code]
    own = [WIJK_CONTEXT[w.code] for w in WIJKEN] if code == GEMEENTE[0] else [
        (w.laag, w.herkomst, w.stedelijkheid) for w in VERGELIJK_WIJKEN if w.gemeente == code]
    if own:
        return (float(np.mean([c[0] for c in own])), float(np.mean([c[1] for c in own])),
                int(round(np.mean([c[2] for c in own]))))
    return {"NL01": (8.0, 12.0, 3), "PV99": (7.5, 9.0, 3)}.get(code, (7.8, 10.0, 3))


def vergelijk_wijk_kwb(gm_values: dict, year: int) -> list[tuple]:
    """KWB rows (arguments of `add` after the year) of the comparison gemeenten's wijken: their share of the
    gemeente, and jeugdzorg counts drawn from the planted model (one scale for all wijken, so that their total is
    the comparison gemeenten' total without giving any gemeente an effect of its own)."""
    rng = rng_for(21 + year - 2019)
    base = []
    for v in VERGELIJKERS:
        g = gm_values[(v.code, year)]
        young = g["k0_14"] + g["k15_24"]
        for w in (w for w in VERGELIJK_WIJKEN if w.gemeente == v.code):
            k0_14 = young * w.aandeel * w.jong
            k15_24 = young * w.aandeel - k0_14
            e = k0_14 + 0.8 * k15_24
            rate = model_rate(w.laag, w.bijstand, w.herkomst, w.hh_kind, w.jong, w.stedelijkheid)
            base.append((v, g, w, k0_14, k15_24, e, e * rate))
    scale = sum(gm_values[(v.code, year)]["jz_true"] for v in VERGELIJKERS) / sum(b[-1] for b in base)
    rows = []
    for v, g, w, k0_14, k15_24, e, mu in base:
        inw = g["inw"] * w.aandeel
        hh = inw / v.huishoudgrootte
        count = float(rng.poisson(scale * mu * w.effect))
        rows.append((w.code, v.naam, "Wijk", round_to(inw, 5), round_to(k0_14, 5), round_to(k15_24, 5),
                     round_to(hh, 10), round_to(hh * w.hh_kind, 10), round_to(inw * w.bijstand, 5),
                     (count, e), (w.laag, w.herkomst, w.stedelijkheid)))
    return rows


def wijk_kwb(pop, truth, w: Wijk, year: int) -> dict:
    t = year - 2019
    p = pop[(w.code, year)]
    ages = p["leeftijd"]
    inw = p["totaal"]
    k15_24 = band(ages, 15, 24)
    return dict(
        inw=round_to(inw, 5), k0_14=round_to(band(ages, 0, 14), 5), k15_24=round_to(k15_24, 5),
        hh=round_to(inw / w.huishoudgrootte, 10), hh_kind=round_to(inw / w.huishoudgrootte * w.aandeel_hh_kind, 10),
        bijstand=round_to(inw * w.bijstand * (1 - 0.025 * t + (0.05 if year == 2021 else 0)), 10),
        jz_true=truth[(w.code, year)]["aantal"], n_0_22=truth[(w.code, year)]["n_0_22"], inw_exact=inw,
        k0_14_exact=band(ages, 0, 14), k15_24_exact=k15_24)


def gemeente_kwb(pop, truth, year: int) -> dict:
    """Gemeente figures are exact sums of the wijk's unrounded figures (CBS rounds wijken, not the gemeente)."""
    vals = [wijk_kwb(pop, truth, w, year) for w in WIJKEN]
    inw = sum(v["inw_exact"] for v in vals)
    t = year - 2019
    hh = sum(pop[(w.code, year)]["totaal"] / w.huishoudgrootte for w in WIJKEN)
    hh_kind = sum(pop[(w.code, year)]["totaal"] / w.huishoudgrootte * w.aandeel_hh_kind for w in WIJKEN)
    bijstand = sum(pop[(w.code, year)]["totaal"] * w.bijstand for w in WIJKEN) * (
        1 - 0.025 * t + (0.05 if year == 2021 else 0))
    return dict(inw=inw, k0_14=sum(v["k0_14_exact"] for v in vals), k15_24=sum(v["k15_24_exact"] for v in vals),
                hh=int(hh), hh_kind=int(hh_kind), bijstand=round_to(bijstand, 10),
                jz_true=truth[(GEMEENTE[0], year)]["aantal"], n_0_22=truth[(GEMEENTE[0], year)]["n_0_22"])


def jz_cells(jz_true: float, n_0_22: float) -> tuple[str, str]:
    """CBS rounds counts to multiples of 5 and shows 0-7 as secret ('.')."""
    if jz_true < 7.5:
        return ".", "."
    return str(round_to(jz_true, 5)), dec1(jz_true / n_0_22 * 100)


def write_kwb(pop, truth) -> None:
    rows_by_year = kwb_rows(pop, truth)
    for year in YEARS:
        s_bijstand, s_jz, s_pct = KWB_SUFFIXES[year]
        header = ["ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3", "AantalInwoners_5",
                  "k_0Tot15Jaar_8", "k_15Tot25Jaar_9", "HuishoudensTotaal_29", "HuishoudensMetKinderen_32",
                  f"PersonenPerSoortUitkeringBijstand_{s_bijstand}", f"JongerenMetJeugdzorgInNatura_{s_jz}",
                  f"PercentageJongerenMetJeugdzorg_{s_pct}", "HuishoudensMetEenLaagInkomen_89",
                  # until 2021 the KWB gave migration background as a percentage, later origin as a count
                  "NietWestersTotaal_18" if year <= 2021 else "BuitenEuropa_19", "MateVanStedelijkheid_127"]
        rows = []
        for i, r in enumerate(rows_by_year[year]):
            jz, jz_pct = jz_cells(*r["jz"])
            if year == 2025:
                jz, jz_pct = ".", "."  # CBS publishes the youth-care figures of a KWB year later
            if r["code"] == "GM9994" and year == 2020:
                jz, jz_pct = "x", "x"  # a secret cell
            bijstand = str(r["bijstand"])
            if r["code"] == KLEIN:
                bijstand = "x" if year in (2023, 2024) else "10"
            code = pad(r["code"], 10)
            laag, herkomst, stedelijk = r["ctx"]
            herkomst_cell = str(round(herkomst)) if year <= 2021 else str(round_to(r["inw"] * herkomst / 100, 5))
            rows.append([str(i), code, pad(r["gemeentenaam"], 40), pad(r["soort"], 10), code,
                         str(r["inw"]), str(r["k0_14"]), str(r["k15_24"]), str(r["hh"]), str(r["hh_kind"]),
                         bijstand, jz, jz_pct, dec1(laag), herkomst_cell, str(stedelijk)])
        write_csv(f"cbs_kwb_{year}.csv", header, rows, encoding="utf-8-sig")


# --------------------------------------------------------------------------------------------------------------
# 3. CBS OData4 long file: jeugdzorg by form, GM9999 and its wijken
# --------------------------------------------------------------------------------------------------------------

VORMEN = [("T001", None), ("A041", 0.86), ("A042", 0.075), ("A043", 0.09), ("A044", 0.022)]
VORM_FACTOR = {"WK999902": {"A042": 1.35, "A043": 1.45, "A044": 1.6},
               "WK999904": {"A042": 0.6, "A043": 0.55, "A044": 0.5}}


def write_vormen(truth) -> None:
    rng = rng_for(4)
    rows = []
    regions = [GEMEENTE[0]] + [w.code for w in WIJKEN]
    i = 0
    for code in regions:
        for year in YEARS[:-1]:
            total = truth[(code, year)]["aantal"]
            for vorm, share in VORMEN:
                if share is None:
                    value = total
                else:
                    factor = VORM_FACTOR.get(code, {}).get(vorm, 1.0)
                    value = total * share * factor * rng.normal(1, 0.04)
                if value < 7.5:
                    attr, cell = "Confidential", "."
                else:
                    attr, cell = "None", str(round_to(value, 5))
                rows.append([str(i), "M001234", attr, cell, pad(code, 10), f"{year}JJ00", vorm])
                i += 1
    write_csv("cbs_jeugdzorg_vormen.csv",
              ["Id", "Measure", "ValueAttribute", "Value", "WijkenEnBuurten", "Perioden", "TypeJeugdzorg"],
              rows, encoding="utf-8-sig")
    write_csv("cbs_jeugdzorg_vormen_meta.csv", ["Identifier", "Title", "Unit"],
              [["M001234", "Jongeren met jeugdzorg in natura", "aantal"]], encoding="utf-8-sig")


# --------------------------------------------------------------------------------------------------------------
# 6. bevolking.csv
# --------------------------------------------------------------------------------------------------------------

BANDS = [(0, 3), (4, 11), (12, 17), (18, 22)]


def write_bevolking(pop) -> None:
    rows = []
    for year in YEARS:
        for lo, hi in BANDS:
            rows.append([GEMEENTE[0], year, lo, hi, sum(band(pop[(w.code, year)]["leeftijd"], lo, hi) for w in WIJKEN)])
        for w in WIJKEN:
            for lo, hi in BANDS:
                rows.append([w.code, year, lo, hi, band(pop[(w.code, year)]["leeftijd"], lo, hi)])
    write_csv("bevolking.csv", ["regio_code", "jaar", "leeftijd_van", "leeftijd_tot", "aantal"], rows)


# --------------------------------------------------------------------------------------------------------------
# 4. trajecten.xlsx
# --------------------------------------------------------------------------------------------------------------

CATEGORIEEN = {
    # share of requests, age range (lo, hi, peak), wait (median, sigma, in working days?), duration (median, sigma)
    "basishulp": dict(aandeel=0.42, leeftijd=(0, 20, 9), wacht=(3.3, 0.75, True), duur=(70, 0.70)),
    "jeugdhulp_ambulant": dict(aandeel=0.25, leeftijd=(1, 21, 11), wacht=(22.0, 0.70, False), duur=(190, 0.65)),
    "jeugd_ggz": dict(aandeel=0.155, leeftijd=(4, 22, 15), wacht=(34.0, 0.55, False), duur=(230, 0.60)),
    "jeugdhulp_verblijf": dict(aandeel=0.055, leeftijd=(0, 20, 13), wacht=(21.0, 0.90, False), duur=(420, 0.60)),
    "jeugdbescherming": dict(aandeel=0.085, leeftijd=(0, 17, 8), wacht=(3.0, 0.70, True), duur=(480, 0.50)),
    "jeugdreclassering": dict(aandeel=0.035, leeftijd=(12, 22, 17), wacht=(6.0, 0.60, True), duur=(260, 0.45)),
}
CATEGORIE_FACTOR = {
    "WK999902": {"jeugdbescherming": 1.6, "jeugdhulp_verblijf": 1.5, "jeugdreclassering": 1.8, "jeugd_ggz": 0.85},
    "WK999904": {"jeugd_ggz": 1.4, "jeugdbescherming": 0.5, "jeugdhulp_verblijf": 0.6, "jeugdreclassering": 0.5},
    "WK999901": {"jeugdreclassering": 1.3, "jeugd_ggz": 1.1},
}
# share of long waits (waiting lists) and their multiplier
WACHTLIJST = {"jeugd_ggz": (0.15, 2.4), "jeugdhulp_ambulant": (0.09, 2.5), "jeugdhulp_verblijf": (0.10, 2.0)}
JAAR_VOLUME = {2019: 0.92, 2020: 0.87, 2021: 0.98, 2022: 1.04, 2023: 1.08, 2024: 1.03, 2025: 1.01}
JAAR_WACHT = {2019: 0.95, 2020: 1.05, 2021: 1.10, 2022: 1.30, 2023: 1.45, 2024: 1.20, 2025: 1.00}
NIET_VERWERKT_VANAF = date(2025, 10, 1)
MAAND = [1.05, 1.1, 1.1, 1.05, 1.0, 1.0, 0.7, 0.65, 1.15, 1.15, 1.1, 0.85]

VERWIJZERS = {
    "basishulp": {"gemeentelijke_toegang": 55, "geen": 25, "jeugdarts": 8, "huisarts": 7, "onbekend": 5},
    "jeugdhulp_ambulant": {"gemeentelijke_toegang": 50, "huisarts": 25, "jeugdarts": 8, "medisch_specialist": 7,
                           "gecertificeerde_instelling": 5, "onbekend": 5},
    "jeugd_ggz": {"huisarts": 60, "gemeentelijke_toegang": 15, "medisch_specialist": 12, "jeugdarts": 8,
                  "onbekend": 5},
    "jeugdhulp_verblijf": {"gemeentelijke_toegang": 40, "gecertificeerde_instelling": 35, "medisch_specialist": 10,
                           "rechter": 5, "huisarts": 5, "onbekend": 5},
    "jeugdbescherming": {"rechter": 55, "gecertificeerde_instelling": 40, "onbekend": 5},
    "jeugdreclassering": {"gecertificeerde_instelling": 50, "rechter": 45, "onbekend": 5},
}
AANBIEDERS = {
    "basishulp": {"Buurtteam Voorbeeldstad (fictief)": 85, "Stichting Opgroeien Samen (fictief)": 15},
    "jeugdhulp_ambulant": {"De Brug Jeugd en Gezin (fictief)": 40, "Kwadrant Ambulant (fictief)": 30,
                           "Praktijk Wilgenhof (fictief)": 20, "Stichting Opgroeien Samen (fictief)": 10},
    "jeugd_ggz": {"Jeugd-GGZ De Linde (fictief)": 45, "Psychologenpraktijk Noordkade (fictief)": 30,
                  "Kinderpsychiatrie Voorbeeldstreek (fictief)": 25},
    "jeugdhulp_verblijf": {"Horizonhuis (fictief)": 45, "Gezinshuis De Hoeve (fictief)": 30,
                           "Pleegzorg Voorbeeldstreek (fictief)": 25},
    "jeugdbescherming": {"Jeugdbescherming Regio Voorbeeld (fictief)": 90, "Landelijke GI Voorbeeld (fictief)": 10},
    "jeugdreclassering": {"Jeugdbescherming Regio Voorbeeld (fictief)": 70, "Jeugdreclassering Voorbeeld (fictief)": 30},
}


def pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[rng.choice(len(keys), p=p / p.sum())]


def age_weights(lo: int, hi: int, peak: int) -> np.ndarray:
    ages = np.arange(lo, hi + 1)
    spread = max(peak - lo, hi - peak) + 1
    return 1 - np.abs(ages - peak) / spread


def request_dates(rng: np.random.Generator, year: int, n: int) -> list[date]:
    days = [date(year, 1, 1) + timedelta(d) for d in range((date(year, 12, 31) - date(year, 1, 1)).days + 1)]
    w = np.array([MAAND[d.month - 1] * (0.05 if d.weekday() >= 5 else 1.0) for d in days])
    if year == 2020:  # fewer requests during the first lockdown
        w *= np.array([0.6 if d.month in (3, 4, 5) else 1.0 for d in days])
    idx = rng.choice(len(days), size=n, p=w / w.sum())
    return sorted(days[i] for i in idx)


def busday_add(start: date, n: int) -> date:
    return np.busday_offset(np.datetime64(start), int(n), roll="forward").astype(object)


def next_weekday(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(1)
    return d


class Registry:
    """Pseudonymous clients and households, per wijk."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.used: set[str] = set()
        self.clients: dict[str, list[dict]] = {w.code: [] for w in WIJKEN}
        self.households: dict[str, list[dict]] = {w.code: [] for w in WIJKEN}

    def _new_id(self, prefix: str, digits: int, upper: int) -> str:
        while True:
            candidate = f"{prefix}{int(self.rng.integers(1000, upper)):0{digits}d}"
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate

    def client_for(self, wijk: str, year: int, lo: int, hi: int, peak: int, avoid: set[str]) -> dict:
        """An earlier client of the wijk (28%) or a new one, sometimes a sibling in an existing household."""
        clients = self.clients[wijk]
        if clients and self.rng.random() < 0.28:
            for _ in range(12):
                back = min(int(self.rng.geometric(1 / 120)), len(clients)) - 1
                c = clients[len(clients) - 1 - back]
                if lo <= year - c["geboortejaar"] <= hi and c["id"] not in avoid:
                    return c
        w = age_weights(lo, hi, peak)
        age = lo + int(self.rng.choice(len(w), p=w / w.sum()))
        geboortejaar = year - age
        household = None
        homes = self.households[wijk]
        if homes and self.rng.random() < 0.22:
            for _ in range(10):
                back = min(int(self.rng.geometric(1 / 80)), len(homes)) - 1
                h = homes[len(homes) - 1 - back]
                if all(abs(b - geboortejaar) <= 8 for b in h["geboortejaren"]):
                    household = h
                    break
        if household is None:
            household = {"id": self._new_id("H", 6, 999999), "geboortejaren": []}
            homes.append(household)
        household["geboortejaren"].append(geboortejaar)
        client = {"id": self._new_id("C", 7, 9999999), "geboortejaar": geboortejaar, "gezin": household["id"]}
        clients.append(client)
        return client


def make_trajectories(pop) -> list[dict]:
    rng = rng_for(5)
    registry = Registry(rng)
    cat_names = list(CATEGORIEEN)
    rows = []
    seen: dict[tuple[date, str], set[str]] = {}  # (request date, category) -> clients, to avoid duplicates
    for year in YEARS:
        t = year - 2019
        for w in WIJKEN:
            if w.code == KLEIN:
                n = int(rng.integers(2, 7))
            else:
                expected = 0.054 * band(pop[(w.code, year)]["leeftijd"], 0, 22) * w.zorg * JAAR_VOLUME[year]
                n = int(rng.poisson(expected))
            shares = np.array([CATEGORIEEN[c]["aandeel"] * CATEGORIE_FACTOR.get(w.code, {}).get(c, 1.0)
                               * ((1 + 0.03 * t) if c == "basishulp" else 1.0) for c in cat_names])
            for verzoek in request_dates(rng, year, n):
                cat = cat_names[rng.choice(len(cat_names), p=shares / shares.sum())]
                spec = CATEGORIEEN[cat]
                avoid = seen.setdefault((verzoek, cat), set())
                client = registry.client_for(w.code, year, *spec["leeftijd"], avoid)
                avoid.add(client["id"])
                rows.append(trajectory(rng, w, year, verzoek, cat, client))
    rows.sort(key=lambda r: (r["verzoekdatum"], r["clientnummer"], r["productcategorie"]))
    return rows


def trajectory(rng, w: Wijk, year: int, verzoek: date, cat: str, client: dict) -> dict:
    spec = CATEGORIEEN[cat]
    median, sigma, werkdagen = spec["wacht"]
    factor = JAAR_WACHT[year] * w.wacht
    wacht = median * factor * math.exp(rng.normal(0, sigma))
    lijst = WACHTLIJST.get(cat)
    if lijst and rng.random() < lijst[0]:
        wacht *= lijst[1]
    if werkdagen:
        start = busday_add(verzoek, round(min(wacht, 60)))
    else:
        start = verzoek + timedelta(int(round(min(wacht, 200))))
        if cat != "jeugdhulp_verblijf":
            start = next_weekday(start)
    toewijzing = None
    empty_share = 0.4 if cat == "basishulp" else 0.08
    if rng.random() >= empty_share:
        span = (start - verzoek).days
        toewijzing = verzoek + timedelta(int(round(span * rng.uniform(0.05, 0.6))))
        if toewijzing > LAST_DAY:
            toewijzing = None
    if verzoek >= NIET_VERWERKT_VANAF and rng.random() < (0.04 if cat == "basishulp" else 0.15):
        start = LAST_DAY + timedelta(1)  # requests at year end whose start is not registered yet
    eind = None
    if start > LAST_DAY:
        start = None
    else:
        d_median, d_sigma = spec["duur"]
        duur = max(1, int(round(d_median * (1 + 0.035 * (year - 2019)) * math.exp(rng.normal(0, d_sigma)))))
        eind = start + timedelta(duur)
        if eind > LAST_DAY:
            eind = None
    return {
        "clientnummer": client["id"], "wijk": w.code, "verzoekdatum": verzoek, "toewijzingsdatum": toewijzing,
        "startdatum": start, "einddatum": eind, "productcategorie": cat, "aanbieder": pick(rng, AANBIEDERS[cat]),
        "verwijzer": pick(rng, VERWIJZERS[cat]), "gezin_id": client["gezin"], "geboortejaar": client["geboortejaar"],
    }


XLSX_COLUMNS = ["clientnummer", "wijk", "verzoekdatum", "toewijzingsdatum", "startdatum", "einddatum",
                "productcategorie", "aanbieder", "verwijzer", "gezin_id", "geboortejaar"]
FIXED_TIME = datetime(2025, 1, 1, 0, 0, 0)


def write_trajecten(rows: list[dict]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Trajecten"
    ws.append(XLSX_COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([r[c] for c in XLSX_COLUMNS])
    for col in ("C", "D", "E", "F"):
        for cell in ws[col][1:]:
            if cell.value is not None:
                cell.number_format = "dd-mm-yyyy"
    widths = [13, 11, 13, 16, 12, 12, 20, 42, 27, 10, 12]
    for i, width in enumerate(widths):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = width
    ws.freeze_panes = "A2"
    wb.properties.creator = "Jeugdmonitor demo-generator (fictief)"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    (OUT / "trajecten.xlsx").write_bytes(reproducible_zip(buf.getvalue()))


def reproducible_zip(data: bytes) -> bytes:
    """Rewrite an xlsx with constant timestamps (openpyxl stamps the current time on save)."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 lambda m: m.group(1) + stamp.encode() + m.group(3), content)
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, content)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------------------
# 5. bereik_preventief.csv: one row per participant
# --------------------------------------------------------------------------------------------------------------

AANBOD = {
    "Buurtsportcoach": ("collectief", 34),
    "Jongerenwerk": ("collectief", 18),
    "Huiswerkbegeleiding": ("collectief", 14),
    "Schoolmaatschappelijk werk": ("preventief", 20),
    "Stevig Ouderschap": ("preventief", 14),
}
AANBOD_FACTOR = {"WK999902": {"Huiswerkbegeleiding": 1.8, "Jongerenwerk": 1.5},
                 "WK999904": {"Jongerenwerk": 0.5, "Huiswerkbegeleiding": 0.6},
                 "WK999907": {"Stevig Ouderschap": 1.6}}


def write_bereik(pop) -> None:
    rng = rng_for(6)
    used: set[str] = set()

    def new_id() -> str:
        while True:
            candidate = f"P{int(rng.integers(10000, 100000))}"
            if candidate not in used:
                used.add(candidate)
                return candidate

    offers = list(AANBOD)
    rows = []
    previous: dict[str, list[str]] = {w.code: [] for w in WIJKEN}
    for year in YEARS:
        t = year - 2019
        for w in WIJKEN:
            n_0_17 = band(pop[(w.code, year)]["leeftijd"], 0, 17)
            if w.code == KLEIN:
                n = int(rng.integers(3, 9))
            else:
                reach = (0.152 + 0.0185 * t) * w.bereik * rng.normal(1, 0.03)
                n = int(round(reach * n_0_17))
            returning = [p for p in previous[w.code] if rng.random() < 0.45][: int(n * 0.6)]
            persons = returning + [new_id() for _ in range(n - len(returning))]
            previous[w.code] = persons
            weights = np.array([AANBOD[o][1] * AANBOD_FACTOR.get(w.code, {}).get(o, 1.0) for o in offers])
            p = weights / weights.sum()
            for person in persons:
                k = 2 if (w.code != KLEIN and rng.random() < 0.05) else 1
                for i in rng.choice(len(offers), size=k, replace=False, p=p):
                    rows.append([year, w.code, offers[i], AANBOD[offers[i]][0], person])
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[4]))
    write_csv("bereik_preventief.csv", ["jaar", "wijk_code", "aanbod", "soort", "client_id"], rows)


# --------------------------------------------------------------------------------------------------------------
# 7. budget.csv (cp1252 on purpose)
# --------------------------------------------------------------------------------------------------------------

BEGROTING = {2019: 36.2e6, 2020: 37.0e6, 2021: 38.1e6, 2022: 39.4e6, 2023: 40.9e6, 2024: 42.3e6, 2025: 43.6e6,
             2026: 44.8e6}
REALISATIE = {2019: 1.018, 2020: 0.984, 2021: 1.046, 2022: 1.052, 2023: 1.061, 2024: 1.034, 2025: 1.021}
PREVENTIEF_AANDEEL = {2019: 0.050, 2020: 0.055, 2021: 0.061, 2022: 0.067, 2023: 0.074, 2024: 0.081, 2025: 0.089,
                      2026: 0.102}
TOEGANG = 0.125
TAAKVELDEN_OUD = [  # up to 2024: (taakveld, share of the rest after prevention and access, omschrijving)
    ("6.72", 0.76, "Maatwerkdienstverlening 18-: jeugdhulp in natura en pgb"),
    ("6.82", 0.24, "Geëscaleerde zorg 18-: jeugdbescherming, jeugdreclassering en verblijf"),
]
TAAKVELDEN_2025 = [
    ("6.751", 0.26, "Jeugdhulp ambulant: jeugd- en opvoedhulp"),
    ("6.752", 0.20, "Jeugdhulp ambulant: jeugd-GGZ"),
    ("6.753", 0.12, "Jeugdhulp ambulant: jeugdhulp bij beperking"),
    ("6.761", 0.10, "Jeugdhulp met verblijf: pleegzorg"),
    ("6.762", 0.08, "Jeugdhulp met verblijf: gezinshuizen"),
    ("6.763", 0.06, "Jeugdhulp met verblijf: residentiële jeugdhulp"),
    ("6.821", 0.15, "Jeugdbescherming (gecertificeerde instelling)"),
    ("6.822", 0.03, "Jeugdreclassering"),
]
CATEGORIE_REST = [("individueel_ambulant", 0.58), ("individueel_verblijf", 0.20), ("jeugdbescherming", 0.12),
                  ("jeugdreclassering", 0.025), ("pgb", 0.05), ("overig", 0.025)]
CATEGORIE_OMSCHRIJVING = {
    "preventief": "Preventie in de wijk: opvoedcursussen en schoolmaatschappelijk werk",
    "collectief": "Collectief aanbod: buurtsportcoach, jongerenwerk, huiswerkbegeleiding",
    "toegang": "Buurtteam jeugd en gezin (toegang)",
    "individueel_ambulant": "Individuele jeugdhulp ambulant",
    "individueel_verblijf": "Jeugdhulp met verblijf (pleegzorg, gezinshuis, residentieel)",
    "jeugdbescherming": "Jeugdbescherming",
    "jeugdreclassering": "Jeugdreclassering",
    "pgb": "Persoonsgebonden budget jeugd",
    "overig": "Overige kosten jeugd: coördinatie en één loket",
}
WIJK_CATEGORIE_FACTOR = {
    "WK999902": {"individueel_verblijf": 1.5, "jeugdbescherming": 1.6, "jeugdreclassering": 1.8, "preventief": 1.3,
                 "collectief": 1.3},
    "WK999904": {"individueel_verblijf": 0.6, "jeugdbescherming": 0.5, "jeugdreclassering": 0.5, "pgb": 1.4},
}
FORMULE_REGEL = ("WK999905", 2021, "realisatie", "overig")


def money(x: float) -> str:
    s = f"{x:,.2f}"
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


def write_budget(pop) -> None:
    rng = rng_for(7)
    rows = []
    years = YEARS + [2026]
    for year in years:
        for soort in ("begroting", "realisatie"):
            if soort == "realisatie" and year == 2026:
                continue
            total = BEGROTING[year] * (REALISATIE[year] if soort == "realisatie" else 1.0)
            p = PREVENTIEF_AANDEEL[year] * (0.96 if soort == "realisatie" else 1.0)
            # prevention is underspent when individual care is overspent: recompute the rest from the total
            rest = total * (1 - p - TOEGANG)
            lines = [("6.1", total * p * 0.5, "Samenkracht: collectief jeugdaanbod, jongerenwerk en sport"),
                     ("6.2" if year < 2025 else "6.22", total * TOEGANG,
                      "Wijkteams: buurtteam jeugd en gezin" if year < 2025 else "Toegang jeugd: buurtteam en één loket")]
            for taakveld, share, text in (TAAKVELDEN_OUD if year < 2025 else TAAKVELDEN_2025):
                lines.append((taakveld, rest * share, text))
            lines.append(("7.1", total * p * 0.5, "Volksgezondheid: jeugdgezondheidszorg (consultatiebureau, JGZ)"))
            for taakveld, amount, text in lines:
                amount *= rng.normal(1, 0.004)
                rows.append([year, GEMEENTE[0], soort, taakveld, "", money(amount), text])
            rows.extend(wijk_budget_lines(rng, pop, year, soort, total, p))
    write_csv("budget.csv", ["jaar", "regio_code", "soort", "taakveld", "categorie", "bedrag", "omschrijving"],
              rows, encoding="cp1252")


def wijk_budget_lines(rng, pop, year: int, soort: str, total: float, p: float) -> list[list]:
    """About 88% of the youth budget is booked per wijk, spread by population and need."""
    booked = total * 0.88
    pop_year = min(year, 2025)
    shares = {"preventief": p / 2, "collectief": p / 2, "toegang": TOEGANG}
    shares.update({c: (1 - p - TOEGANG) * s for c, s in CATEGORIE_REST})
    base = {}
    for w in WIJKEN:
        ages = pop[(w.code, pop_year)]["leeftijd"]
        base[w.code] = {
            "preventief": band(ages, 0, 17) * w.bereik, "collectief": band(ages, 0, 17) * w.bereik,
            "toegang": band(ages, 0, 22) * math.sqrt(w.zorg),
        }
        for c, _ in CATEGORIE_REST:
            base[w.code][c] = band(ages, 0, 22) * w.zorg * WIJK_CATEGORIE_FACTOR.get(w.code, {}).get(c, 1.0)
    rows = []
    for w in WIJKEN:
        for cat, share in shares.items():
            weight = base[w.code][cat] / sum(base[x.code][cat] for x in WIJKEN)
            amount = booked * share * weight * rng.normal(1, 0.01)
            text = CATEGORIE_OMSCHRIJVING[cat]
            if (w.code, year, soort, cat) == FORMULE_REGEL:
                text = '=HYPERLINK("http://example.invalid","klik")'
            rows.append([year, w.code, soort, "", cat, money(amount), text])
    return rows


# --------------------------------------------------------------------------------------------------------------
# 8. streefwaarden.csv, 9. normen.csv
# --------------------------------------------------------------------------------------------------------------

def write_streefwaarden() -> None:
    bron = "Beleidskader Jeugd 2026-2030 (fictief)"
    rows = [
        ["preventief_budget_aandeel_pct", GEMEENTE[0], 2027, "10", bron],
        ["preventief_budget_aandeel_pct", GEMEENTE[0], 2030, "25", bron],
        ["wachttijd_binnen_norm_pct", GEMEENTE[0], 2025, "90", bron],
        ["bereik_preventief_pct", GEMEENTE[0], 2025, "30", bron],
        ["bereik_preventief_pct", GEMEENTE[0], 2030, "40", bron],
        ["jeugdhulp_pct", GEMEENTE[0], 2025, "10,5", bron],
        ["jeugdhulp_pct", GEMEENTE[0], 2030, "9,5", bron],
    ]
    write_csv("streefwaarden.csv", ["indicator_id", "regio_code", "jaar", "waarde", "bron"], rows)


def write_normen() -> None:
    rows = [
        ["basishulp", 5, "werkdagen", "Uitvoeringsplan Zorg voor Jeugd Utrecht 2014"],
        ["jeugd_ggz", 28, "kalenderdagen", "Treeknorm GGZ (aanmelding tot intake)"],
        ["jeugdhulp_ambulant", 42, "kalenderdagen", "Beleidskader Nieuwegein 2018-2022 (6 weken)"],
        ["jeugdhulp_verblijf", 42, "kalenderdagen", "Regionale werkafspraak Voorbeeldstreek, 6 weken (fictief)"],
        ["jeugdbescherming", 5, "werkdagen", "Werkafspraak gecertificeerde instelling Voorbeeldstreek (fictief)"],
        ["jeugdreclassering", 10, "werkdagen", "Werkafspraak jeugdreclassering Voorbeeldstreek (fictief)"],
    ]
    write_csv("normen.csv", ["productcategorie", "norm_dagen", "soort_dagen", "bron"], rows)


# --------------------------------------------------------------------------------------------------------------
# 10. wijken.geojson: a jittered grid of 3 x 3 cells (7 wijken) inside a ring (Buitengebied), in km, then WGS84
# --------------------------------------------------------------------------------------------------------------

GRID_X = [1.0, 2.35, 3.65, 5.0]
GRID_Y = [0.8, 1.95, 3.05, 4.2]
CELLS = {  # (column, row), column west to east, row south to north
    "WK999901": [(1, 1)],
    "WK999902": [(2, 1)],
    "WK999903": [(0, 0), (1, 0)],
    "WK999904": [(0, 1), (0, 2)],
    "WK999905": [(1, 2)],
    "WK999906": [(2, 0)],
    "WK999907": [(2, 2)],
}
KM_PER_DEG_LON = 111.32 * math.cos(math.radians(52.05))
KM_PER_DEG_LAT = 111.2


def to_lonlat(x: float, y: float) -> list[float]:
    return [round(5.40 + (x - 3.0) / KM_PER_DEG_LON, 5), round(52.05 + (y - 2.5) / KM_PER_DEG_LAT, 5)]


def build_geometry() -> dict[str, list[list[tuple[float, float]]]]:
    rng = rng_for(8)
    vertex = {}
    for i, x in enumerate(GRID_X):
        for j, y in enumerate(GRID_Y):
            vertex[(i, j)] = (x + rng.uniform(-0.18, 0.18), y + rng.uniform(-0.15, 0.15))
    edge_points: dict[tuple, list[tuple[float, float]]] = {}

    def points(a, b):
        key = (min(a, b), max(a, b))
        if key not in edge_points:
            (x1, y1), (x2, y2) = vertex[key[0]], vertex[key[1]]
            length = math.hypot(x2 - x1, y2 - y1)
            nx, ny = -(y2 - y1) / length, (x2 - x1) / length
            pts = []
            for f in (1 / 3, 2 / 3):
                off = rng.uniform(-0.09, 0.09)
                pts.append((x1 + f * (x2 - x1) + off * nx, y1 + f * (y2 - y1) + off * ny))
            edge_points[key] = pts
        pts = edge_points[key]
        return pts if a == key[0] else pts[::-1]

    def ring(cells):
        directed = []
        for c, r in cells:
            corners = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)]  # counter-clockwise
            directed += [(corners[k], corners[(k + 1) % 4]) for k in range(4)]
        boundary = [e for e in directed if (e[1], e[0]) not in directed]
        nxt = dict(boundary)
        start = min(nxt)
        out, cur = [], start
        while True:
            out.append(vertex[cur])
            out.extend(points(cur, nxt[cur]))
            cur = nxt[cur]
            if cur == start:
                break
        out.append(out[0])
        return out

    shapes = {code: [ring(cells)] for code, cells in CELLS.items()}
    core = ring([(c, r) for c in range(3) for r in range(3)])
    outer = []
    corners = [(0.0, 0.0), (6.0, 0.0), (6.0, 5.0), (0.0, 5.0)]
    for k in range(4):
        (x1, y1), (x2, y2) = corners[k], corners[(k + 1) % 4]
        steps = 6 if k % 2 == 0 else 5
        for s in range(steps):
            f = s / steps
            jitter = 0.0 if s == 0 else rng.uniform(-0.15, 0.15)
            nx, ny = -(y2 - y1) / math.hypot(x2 - x1, y2 - y1), (x2 - x1) / math.hypot(x2 - x1, y2 - y1)
            outer.append((x1 + f * (x2 - x1) + jitter * nx, y1 + f * (y2 - y1) + jitter * ny))
    outer.append(outer[0])
    shapes[KLEIN] = [outer, core[::-1]]  # exterior counter-clockwise, hole clockwise
    return shapes


def write_geojson() -> None:
    shapes = build_geometry()
    features = []
    for w in WIJKEN:
        rings = [[to_lonlat(x, y) for x, y in r] for r in shapes[w.code]]
        features.append({"type": "Feature",
                         "properties": {"statcode": w.code, "statnaam": w.naam, "fictief": True},
                         "geometry": {"type": "Polygon", "coordinates": rings}})
    lines = ['{"type":"FeatureCollection","features":[']
    lines.append(",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features))
    lines.append("]}")
    (OUT / "wijken.geojson").write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------------------------
# manifest.json
# --------------------------------------------------------------------------------------------------------------

def write_manifest() -> None:
    entries = [{"file": "regios.csv", "kind": "regios", "options": {}}]
    for year in YEARS:
        entries.append({"file": f"cbs_kwb_{year}.csv", "kind": "cbs",
                        "options": {"jaar": year, "table": KWB_TABLES[year]}})
    entries += [
        {"file": "cbs_jeugdzorg_vormen.csv", "kind": "cbs-long", "options": {"meta": "cbs_jeugdzorg_vormen_meta.csv"}},
        {"file": "bevolking.csv", "kind": "bevolking", "options": {}},
        {"file": "trajecten.xlsx", "kind": "trajecten", "options": {"sheet": "Trajecten"}},
        {"file": "bereik_preventief.csv", "kind": "bereik", "options": {}},
        {"file": "budget.csv", "kind": "budget", "options": {}},
        {"file": "streefwaarden.csv", "kind": "streefwaarden", "options": {}},
        {"file": "normen.csv", "kind": "normen", "options": {}},
        {"file": "wijken.geojson", "kind": "geo", "options": {"jaar": YEARS[0]}},  # one map for every year
    ]
    (OUT / "manifest.json").write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    pop = build_population()
    truth = youth_care_truth(pop)
    write_regios()
    write_kwb(pop, truth)
    write_vormen(truth)
    write_bevolking(pop)
    write_trajecten(make_trajectories(pop))
    write_bereik(pop)
    write_budget(pop)
    write_streefwaarden()
    write_normen()
    write_geojson()
    write_manifest()


if __name__ == "__main__":
    main()
