"""The pandas baseline: the same indicators computed the way an analyst would, straight from the CSV files.

Read the CSVs with pandas, apply the loader's row rules (start before request, end before start; the same
trajectory once), then groupby per region level and year, with `quantile` (linear interpolation) for the
medians and P80. Values only; suppression is the product's business and the comparison looks at published rows.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

TRAJECT_IDS = ("clienten_aantal", "trajecten_per_client", "wachttijd_mediaan_dagen", "wachttijd_p80_dagen",
               "wachttijd_binnen_norm_pct", "wachtlijst_aantal", "trajectduur_mediaan_dagen")
OTHER_IDS = ("jeugdhulp_aantal", "preventief_budget_aandeel_pct", "jeugdbudget_totaal_eur")
INDICATOR_IDS = TRAJECT_IDS + OTHER_IDS
ALIASES = {"clientnummer": "client_id", "bsn_hash": "client_id", "wijk": "wijk_code", "verzoekdatum": "aanmelddatum",
           "datum_aanmelding": "aanmelddatum", "datum_start": "startdatum", "begindatum": "startdatum",
           "datum_einde": "einddatum", "categorie": "productcategorie", "vorm": "productcategorie",
           "gezin_id": "huishouden_id"}
DATES = ("aanmelddatum", "toewijzingsdatum", "startdatum", "einddatum")
LEVELS = ("WK", "GM")


def read_trajecten(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, sep=";", dtype={"geboortejaar": "Int64"}).rename(columns=ALIASES)
    sample = frame["aanmelddatum"].dropna().iloc[0]
    fmt = "%Y-%m-%d" if sample[4] == "-" else "%d-%m-%Y"
    for col in DATES:
        frame[col] = pd.to_datetime(frame[col], format=fmt)
    return frame


def read_inputs(folder: Path, manifest: dict) -> dict:
    by_kind: dict[str, list[dict]] = {}
    for entry in manifest["files"]:
        by_kind.setdefault(entry["kind"], []).append(entry)
    return {
        "regios": pd.read_csv(folder / "regios.csv", sep=";", dtype=str, keep_default_na=False),
        "normen": pd.read_csv(folder / "normen.csv", sep=";"),
        "budget": pd.read_csv(folder / "budget.csv", sep=";", encoding="cp1252"),
        "trajecten": pd.concat([read_trajecten(folder / e["file"]) for e in by_kind["trajecten"]],
                               ignore_index=True),
        "kwb": {e["jaar"]: pd.read_csv(folder / e["file"], sep=";", encoding="utf-8-sig", decimal=",",
                                       na_values=["."]) for e in by_kind["cbs"]},
    }


def comparison_groups(regios: pd.DataFrame) -> pd.Series:
    """gemeente code -> `VG:<vergelijkingsgroep>`."""
    gm = regios[(regios["niveau"] == "GM") & (regios["vergelijkingsgroep"] != "")]
    return ("VG:" + gm["vergelijkingsgroep"]).set_axis(gm["regio_code"])


def _long(values: pd.Series, indicator: str, level: str, year: int) -> pd.DataFrame:
    return pd.DataFrame({"indicator_id": indicator, "regio_code": values.index.astype(str), "niveau": level,
                         "periode": str(year), "soort": "", "waarde": values.to_numpy(dtype=float)})


def clean_trajecten(t: pd.DataFrame, regios: pd.DataFrame, normen: pd.DataFrame) -> pd.DataFrame:
    bad = (t["startdatum"] < t["aanmelddatum"]) | (t["einddatum"] < t["startdatum"]) | \
        (t["toewijzingsdatum"] < t["aanmelddatum"]) | (t["einddatum"].notna() & t["startdatum"].isna())
    t = t[~bad].drop_duplicates(["client_id", "productcategorie", "aanmelddatum"]).copy()
    wijken = regios[regios["niveau"] == "WK"].set_index("regio_code")["ouder_code"]
    t["WK"] = t["wijk_code"]
    t["GM"] = t["wijk_code"].map(wijken)
    t["wacht"] = (t["startdatum"] - t["aanmelddatum"]).dt.days
    t = t.merge(normen[["productcategorie", "norm_dagen", "soort_dagen"]], on="productcategorie", how="left")
    werkdagen = (t["soort_dagen"] == "werkdagen") & t["startdatum"].notna()
    t["wacht_norm"] = t["wacht"].astype(float)
    t.loc[werkdagen, "wacht_norm"] = np.busday_count(
        t.loc[werkdagen, "aanmelddatum"].to_numpy().astype("datetime64[D]"),
        t.loc[werkdagen, "startdatum"].to_numpy().astype("datetime64[D]"),
    )
    t["binnen_norm"] = t["wacht_norm"] <= t["norm_dagen"]
    t["duur"] = (t["einddatum"] - t["startdatum"]).dt.days
    return t


def trajecten_indicators(t: pd.DataFrame) -> pd.DataFrame:
    out = []
    years = sorted(t["aanmelddatum"].dt.year.unique())
    for year in years:
        jan1, dec31 = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
        active = t[t["startdatum"].notna() & (t["startdatum"] <= dec31)
                   & (t["einddatum"].isna() | (t["einddatum"] >= jan1))]
        started = t[t["startdatum"].dt.year == year]
        normed = started[started["norm_dagen"].notna()]
        ended = t[t["einddatum"].dt.year == year]
        waiting = t[(t["aanmelddatum"] <= dec31) & (t["startdatum"].isna() | (t["startdatum"] > dec31))]
        for level in LEVELS:
            clients = active.groupby(level)["client_id"].nunique()
            out += [
                _long(clients, "clienten_aantal", level, year),
                _long(active.groupby(level).size() / clients, "trajecten_per_client", level, year),
                _long(started.groupby(level)["wacht"].quantile(0.5), "wachttijd_mediaan_dagen", level, year),
                _long(started.groupby(level)["wacht"].quantile(0.8), "wachttijd_p80_dagen", level, year),
                _long(normed.groupby(level)["binnen_norm"].mean() * 100, "wachttijd_binnen_norm_pct", level, year),
                _long(waiting.groupby(level).size(), "wachtlijst_aantal", level, year),
                _long(ended.groupby(level)["duur"].quantile(0.5), "trajectduur_mediaan_dagen", level, year),
            ]
    return pd.concat(out, ignore_index=True)


def jeugdhulp_aantal(kwb: dict[int, pd.DataFrame], regios: pd.DataFrame) -> pd.DataFrame:
    """CBS's own counts per gemeente and wijk, and per comparison group the unweighted mean of its gemeenten (where
    at least two have a figure)."""
    groups = comparison_groups(regios)
    out = []
    for year, frame in kwb.items():
        column = next(c for c in frame.columns if c.rsplit("_", 1)[0] == "JongerenMetJeugdzorgInNatura")
        codes = frame["WijkenEnBuurten"].str.strip()
        values = pd.Series(frame[column].to_numpy(dtype=float), index=codes).dropna()
        for level in ("GM", "WK"):
            out.append(_long(values[values.index.str.startswith(level)], "jeugdhulp_aantal", level, year))
        gemeenten = values[values.index.isin(groups.index)]
        grouped = gemeenten.groupby(groups)
        means = grouped.mean()[grouped.count() >= 2]  # a group in which one gemeente has a figure is no comparison
        out.append(_long(means, "jeugdhulp_aantal", "VG", year))
    return pd.concat(out, ignore_index=True)


def parse_amount(text: pd.Series) -> pd.Series:
    """'€ 1.234.567,89' -> 1234567.89."""
    cleaned = text.str.replace("€", "", regex=False).str.strip().str.replace(".", "", regex=False)
    return cleaned.str.replace(",", ".", regex=False).astype(float)


def budget_indicators(budget: pd.DataFrame) -> pd.DataFrame:
    b = budget.assign(bedrag=parse_amount(budget["bedrag"]))
    b["preventief"] = b["bedrag"].where(b["categorie"].isin(["preventief", "collectief"]), 0.0)
    sums = b.groupby(["regio_code", "jaar", "soort"])[["preventief", "bedrag"]].sum().reset_index()
    niveau = sums["regio_code"].str[:2]
    out = []
    for indicator, values in (("preventief_budget_aandeel_pct", sums["preventief"] / sums["bedrag"] * 100),
                              ("jeugdbudget_totaal_eur", sums["bedrag"])):
        out.append(pd.DataFrame({"indicator_id": indicator, "regio_code": sums["regio_code"], "niveau": niveau,
                                 "periode": sums["jaar"].astype(str), "soort": sums["soort"], "waarde": values}))
    return pd.concat(out, ignore_index=True)


def run_baseline(folder: Path, manifest: dict) -> tuple[pd.DataFrame, dict]:
    """Compute the baseline; returns the values and the timings (read, compute, total) in seconds."""
    began = time.perf_counter()
    inputs = read_inputs(folder, manifest)
    read_done = time.perf_counter()
    t = clean_trajecten(inputs["trajecten"], inputs["regios"], inputs["normen"])
    values = pd.concat([trajecten_indicators(t), jeugdhulp_aantal(inputs["kwb"], inputs["regios"]),
                        budget_indicators(inputs["budget"])], ignore_index=True)
    done = time.perf_counter()
    timings = {"read": read_done - began, "compute": done - read_done, "total": done - began}
    return values, timings
