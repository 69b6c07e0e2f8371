"""The municipality's own files: trajectories, participation, population, budget, targets, norms, regions."""

from __future__ import annotations

import pandas as pd

from common import verwijzers
from loaders import plausible
from loaders.columns import (
    Column, LoadContext, Prepared, RowChecks, known_region_check, match_columns, typed_frame,
)
from loaders.read import RawTable
from loaders.report import FileRefused

PRODUCTCATEGORIEEN = (
    "basishulp", "jeugdhulp_ambulant", "jeugdhulp_verblijf", "jeugdbescherming", "jeugdreclassering", "jeugd_ggz",
)
BUDGET_CATEGORIEEN = (
    "preventief", "collectief", "toegang", "individueel_ambulant", "individueel_verblijf", "jeugdbescherming",
    "jeugdreclassering", "pgb", "overig",
)
NIVEAUS = plausible.LEVEL_ORDER
MAX_PERSONS = 20_000_000  # more than the Netherlands has inhabitants
MAX_EURO = 1e11
MAX_NORM_DAGEN = 365
MAX_AGE_AT_REQUEST = 27  # verlengde jeugdhulp runs to 23; a few years' margin for late registration

TRAJECTEN = [
    Column(name="client_id", aliases=("clientnummer", "bsn_hash")),
    Column(name="wijk_code", type="regio", aliases=("wijk",)),
    Column(name="aanmelddatum", type="date", aliases=("verzoekdatum", "datum_aanmelding")),
    Column(name="toewijzingsdatum", type="date", required=False),
    Column(name="startdatum", type="date", required=False, aliases=("datum_start", "begindatum")),
    Column(name="einddatum", type="date", required=False, aliases=("datum_einde",), open_end=True),
    Column(name="productcategorie", type="token", aliases=("categorie", "vorm")),
    Column(name="aanbieder", required=False),
    Column(name="verwijzer", required=False, normalise=verwijzers.read),
    Column(name="huishouden_id", required=False, aliases=("gezin_id",)),
    Column(name="geboortejaar", type="int", required=False, minimum=1900, maximum=2100),
]
BEREIK_BASE = [
    Column(name="wijk_code", type="regio", aliases=("wijk",)),
    Column(name="aanbod"),
    Column(name="soort", type="token", choices=("preventief", "collectief")),
]
BEVOLKING = [
    Column(name="regio_code", type="regio"),
    Column(name="jaar", type="int", minimum=1900, maximum=2100),
    Column(name="leeftijd_van", type="int", minimum=0, maximum=120),
    Column(name="leeftijd_tot", type="int", minimum=0, maximum=120),
    Column(name="aantal", type="int", minimum=0, maximum=MAX_PERSONS),
]
BUDGET = [
    Column(name="jaar", type="int", minimum=1900, maximum=2100),
    Column(name="regio_code", type="regio"),
    Column(name="soort", type="token", choices=("begroting", "realisatie")),
    Column(name="bedrag", type="euro", minimum=-MAX_EURO, maximum=MAX_EURO),
    Column(name="categorie", type="token", required=False, choices=BUDGET_CATEGORIEEN),
    Column(name="taakveld", required=False),
]
STREEFWAARDEN = [
    Column(name="indicator_id", type="token"),
    Column(name="regio_code", type="regio"),
    Column(name="jaar", type="int", minimum=1900, maximum=2100),
    Column(name="waarde", type="float", minimum=-1e9, maximum=1e9),
    Column(name="bron", required=False),
]
NORMEN = [
    Column(name="productcategorie", type="token"),
    Column(name="norm_dagen", type="int", minimum=0, maximum=MAX_NORM_DAGEN),
    Column(name="soort_dagen", type="token", choices=("kalenderdagen", "werkdagen")),
    Column(name="bron", required=False),
]
REGIOS = [
    Column(name="regio_code", type="regio"),
    Column(name="regio_naam"),
    Column(name="niveau", type="code", choices=NIVEAUS),
    Column(name="ouder_code", required=False),
    Column(name="vergelijkingsgroep", required=False),
]
TAAKVELDEN = [
    Column(name="taakveld"),
    Column(name="categorie", type="token", choices=BUDGET_CATEGORIEEN),
    Column(name="jaar_van", type="int", required=False, minimum=1900, maximum=2999),
    Column(name="jaar_tot", type="int", required=False, minimum=1900, maximum=2999),
    Column(name="omschrijving", required=False),
]


def _start(raw: RawTable, ctx: LoadContext, spec: list[Column], kind: str):
    found = match_columns(raw, spec, ctx.display, kind)
    checks = RowChecks(raw)
    frame = typed_frame(raw, spec, found, checks)
    return found, checks, frame


def _finish(checks: RowChecks, frames: dict[str, pd.DataFrame], accepted: int, warnings=None) -> Prepared:
    return Prepared(tables=frames, rows_accepted=accepted, problems=checks.problems(), warnings=warnings or [])


def duplicate_warning(count: int, keys, what: str) -> str:
    return f"{count} dubbele {what} (zelfde {', '.join(keys)}) zijn één keer geladen."


def _dedupe(frame: pd.DataFrame, keys: list[str], warnings: list[str], what: str) -> pd.DataFrame:
    dup = frame.duplicated(keys, keep="first")
    if dup.any():
        warnings.append(duplicate_warning(int(dup.sum()), keys, what))
    return frame[~dup]


def prepare_trajecten(raw: RawTable, ctx: LoadContext) -> Prepared:
    found, checks, f = _start(raw, ctx, TRAJECTEN, "trajecten")
    col = lambda name: found.get(name, name)  # noqa: E731
    known_region_check(ctx, checks, f["wijk_code"], col("wijk_code"), ("WK",))
    future = "ligt in de toekomst"
    for name in ("aanmelddatum", "toewijzingsdatum", "startdatum", "einddatum"):
        if name in found:
            checks.reject(f[name] > ctx.today, col(name), lambda v, n=name: f"{n} {_nl_date(v)} {future}",
                          lambda rows, n=name: f.loc[rows, n].astype(str))
    _order(checks, f, found, "startdatum", "aanmelddatum")
    _order(checks, f, found, "toewijzingsdatum", "aanmelddatum")
    _order(checks, f, found, "einddatum", "startdatum")
    if "einddatum" in found:
        checks.reject(f["einddatum"].notna() & f["startdatum"].isna(), col("einddatum"),
                      "einddatum zonder startdatum")
    if "geboortejaar" in found:
        too_late = f["geboortejaar"] > f["aanmelddatum"].dt.year
        checks.reject(too_late, col("geboortejaar"), "geboortejaar ligt na de aanmelddatum")
        age = f["aanmelddatum"].dt.year - f["geboortejaar"]
        checks.reject((age > MAX_AGE_AT_REQUEST) & (f["geboortejaar"] >= 1900), col("geboortejaar"),
                      lambda v: f"geboortejaar {v.split('|')[0]}: de jongere zou bij de aanmelding {v.split('|')[1]} "
                                f"jaar zijn (jeugdhulp loopt tot {MAX_AGE_AT_REQUEST} jaar)",
                      lambda rows: f.loc[rows, "geboortejaar"].astype("int64").astype(str) + "|"
                      + age[rows].astype("int64").astype(str))
    good = f[~checks.bad].copy()
    warnings: list[str] = []
    good = _dedupe(good, ["client_id", "productcategorie", "aanmelddatum"], warnings, "trajecten")
    for name in ("aanmelddatum", "toewijzingsdatum", "startdatum", "einddatum"):
        if name not in found:
            good[name] = pd.Series(pd.NaT, index=good.index, dtype="datetime64[s]")
    unknown_cat = sorted(set(good["productcategorie"].dropna()) - set(PRODUCTCATEGORIEEN))
    if unknown_cat:
        warnings.append(
            "productcategorieën buiten de standaardlijst geladen: " + ", ".join(unknown_cat)
            + " (voeg een wachttijdnorm toe om ze aan een norm te toetsen)."
        )
    good["geboortejaar"] = good["geboortejaar"].astype("Int64")
    return _finish(checks, {"trajecten": good}, len(good), warnings)


def _order(checks: RowChecks, f: pd.DataFrame, found: dict, later: str, earlier: str) -> None:
    if later not in found or earlier not in found:
        return
    wrong = f[later].notna() & f[earlier].notna() & (f[later] < f[earlier])
    checks.reject(
        wrong, found[later],
        lambda v: f"{later} ({_nl_date(v.split('|')[0])}) ligt vóór {earlier} ({_nl_date(v.split('|')[1])})",
        lambda rows: f.loc[rows, later].astype(str) + "|" + f.loc[rows, earlier].astype(str),
    )


def _nl_date(text: str) -> str:
    stamp = pd.Timestamp(text[:10]) if text and text != "NaT" else None
    return f"{stamp.day}-{stamp.month}-{stamp.year}" if stamp is not None else text


def prepare_bereik(raw: RawTable, ctx: LoadContext) -> Prepared:
    lower = {c.lower() for c in raw.frame.columns}
    per_person = "client_id" in lower
    spec = list(BEREIK_BASE)
    if per_person:
        spec.append(Column(name="client_id"))
        has_jaar = "jaar" in lower
        spec.append(Column(name="jaar", type="int", required=not ("datum" in lower), minimum=1900, maximum=2100))
        spec.append(Column(name="datum", type="date", required=not has_jaar))
    else:
        spec += [Column(name="jaar", type="int", minimum=1900, maximum=2100),
                 Column(name="deelnemers", type="int", minimum=0, maximum=MAX_PERSONS)]
    found, checks, f = _start(raw, ctx, spec, "bereik")
    known_region_check(ctx, checks, f["wijk_code"], found["wijk_code"], ("WK",))
    if not per_person:
        plausible.participants_above_population(ctx, checks, f, found["deelnemers"])
    if per_person and "datum" in found:
        checks.reject(f["datum"] > ctx.today, found["datum"], "datum ligt in de toekomst")
        f["jaar"] = f["jaar"].fillna(f["datum"].dt.year) if "jaar" in found else f["datum"].dt.year
    checks.reject(f["jaar"] > ctx.today.year, found.get("jaar", "jaar"), "jaar ligt in de toekomst")
    good = f[~checks.bad].copy()
    good["jaar"] = good["jaar"].astype("int64")
    warnings: list[str] = []
    if per_person:
        good = _dedupe(good[["jaar", "wijk_code", "aanbod", "soort", "client_id"]],
                       ["jaar", "wijk_code", "aanbod", "soort", "client_id"], warnings, "deelnames")
        return _finish(checks, {"bereik_deelnemers": good}, len(good), warnings)
    good = _dedupe(good[["jaar", "wijk_code", "aanbod", "soort", "deelnemers"]],
                   ["jaar", "wijk_code", "aanbod", "soort"], warnings, "regels")
    good["deelnemers"] = good["deelnemers"].astype("int64")
    return _finish(checks, {"bereik_aantallen": good}, len(good), warnings)


def prepare_bevolking(raw: RawTable, ctx: LoadContext) -> Prepared:
    found, checks, f = _start(raw, ctx, BEVOLKING, "bevolking")
    known_region_check(ctx, checks, f["regio_code"], found["regio_code"], NIVEAUS)
    checks.reject(f["leeftijd_van"] > f["leeftijd_tot"], found["leeftijd_van"],
                  "leeftijd_van is groter dan leeftijd_tot")
    plausible.nested_bands(checks, f, found["aantal"])
    good = f[~checks.bad].copy()
    warnings: list[str] = []
    good = _dedupe(good, ["regio_code", "jaar", "leeftijd_van", "leeftijd_tot"], warnings, "regels")
    for c in ("jaar", "leeftijd_van", "leeftijd_tot", "aantal"):
        good[c] = good[c].astype("int64")
    return _finish(checks, {"bevolking": good}, len(good), warnings)


def prepare_budget(raw: RawTable, ctx: LoadContext) -> Prepared:
    lower = {c.lower() for c in raw.frame.columns}
    if not lower & {"categorie", "taakveld"}:
        raise FileRefused(f"{ctx.display}: een budgetbestand heeft een kolom 'categorie' of 'taakveld' nodig.")
    found, checks, f = _start(raw, ctx, BUDGET, "budget")
    known_region_check(ctx, checks, f["regio_code"], found["regio_code"], ("GM", "WK"))
    f["taakveld"] = _taakveld(f["taakveld"])
    neither = f["categorie"].isna() & (f["taakveld"] == "")
    checks.reject(neither, found.get("categorie", found.get("taakveld")), "categorie en taakveld zijn allebei leeg")
    good = f[~checks.bad].copy()
    good["categorie"] = good["categorie"].fillna("")
    good["jaar"] = good["jaar"].astype("int64")
    keys = ["jaar", "regio_code", "soort", "taakveld", "categorie"]
    summed = good.groupby(keys, as_index=False, sort=True)["bedrag"].sum()
    warnings = _unmapped(ctx, summed)
    return _finish(checks, {"budget": summed}, len(good), warnings)


def _taakveld(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.strip().str.replace(",", ".", regex=False)


def _unmapped(ctx: LoadContext, budget: pd.DataFrame) -> list[str]:
    todo = budget[(budget["categorie"] == "") & (budget["taakveld"] != "")][["taakveld", "jaar"]].drop_duplicates()
    if todo.empty:
        return []
    cur = ctx.con  # the load's own cursor: it sees the taakvelden loaded earlier in the same transaction
    cur.register("todo_taakvelden", todo)
    rows = cur.execute(
        """SELECT t.taakveld, list(DISTINCT t.jaar ORDER BY t.jaar) FROM todo_taakvelden t
           WHERE NOT EXISTS (SELECT 1 FROM taakveld_mapping m WHERE m.taakveld = t.taakveld
                             AND t.jaar BETWEEN m.jaar_van AND m.jaar_tot)
           GROUP BY t.taakveld ORDER BY t.taakveld"""
    ).fetchall()
    cur.unregister("todo_taakvelden")
    return [
        f"taakveld {tv} heeft geen categorie in de taakveldindeling (jaren {', '.join(map(str, years))}); "
        "deze regels tellen niet mee tot u de indeling aanvult."
        for tv, years in rows
    ]


def prepare_streefwaarden(raw: RawTable, ctx: LoadContext) -> Prepared:
    found, checks, f = _start(raw, ctx, STREEFWAARDEN, "streefwaarden")
    known_region_check(ctx, checks, f["regio_code"], found["regio_code"], NIVEAUS)
    plausible.indicator_problems(ctx, checks, f, found, raw.frame[found["waarde"]])
    good = f[~checks.bad].copy()
    warnings: list[str] = []
    good = _dedupe(good, ["indicator_id", "regio_code", "jaar"], warnings, "streefwaarden")
    good["jaar"] = good["jaar"].astype("int64")
    return _finish(checks, {"streefwaarden": good}, len(good), warnings)


def prepare_normen(raw: RawTable, ctx: LoadContext) -> Prepared:
    found, checks, f = _start(raw, ctx, NORMEN, "normen")
    good = f[~checks.bad].copy()
    warnings: list[str] = []
    good = _dedupe(good, ["productcategorie"], warnings, "normen")
    good["norm_dagen"] = good["norm_dagen"].astype("int64")
    return _finish(checks, {"normen": good}, len(good), warnings)


def prepare_regios(raw: RawTable, ctx: LoadContext) -> Prepared:
    found, checks, f = _start(raw, ctx, REGIOS, "regios")
    prefix_ok = f["regio_code"].str[:2] == f["niveau"]
    checks.reject(f["niveau"].notna() & ~prefix_ok, found["regio_code"],
                  lambda v: f"code '{v.split('|')[0]}' past niet bij niveau {v.split('|')[1]}",
                  f["regio_code"].astype(str) + "|" + f["niveau"].astype(str))
    parents = plausible.region_parents(ctx, checks, f, found.get("ouder_code"))
    good = f[~checks.bad].copy()
    warnings: list[str] = []
    good = _dedupe(good, ["regio_code"], warnings, "regio's")
    regions = good.rename(columns={"regio_code": "code", "regio_naam": "name"})[
        ["code", "name", "niveau", "vergelijkingsgroep"]
    ]
    links = parents[parents.index.isin(good.index)]
    region_parents = pd.DataFrame({"code": good.loc[links.index, "regio_code"].to_numpy(),
                                   "parent_code": links.to_numpy()}).drop_duplicates()
    prepared = _finish(checks, {"regions": regions, "region_parents": region_parents}, len(good), warnings)
    if len(good):
        prepared.before.append(
            ("DELETE FROM region_parents WHERE list_contains(?, code)", [good["regio_code"].tolist()])
        )
    return prepared


def prepare_taakvelden(raw: RawTable, ctx: LoadContext) -> Prepared:
    found, checks, f = _start(raw, ctx, TAAKVELDEN, "taakvelden")
    f["taakveld"] = _taakveld(f["taakveld"])
    good = f[~checks.bad].copy()
    good["jaar_van"] = good["jaar_van"].fillna(1900).astype("int64")
    good["jaar_tot"] = good["jaar_tot"].fillna(2999).astype("int64")
    warnings: list[str] = []
    good = _dedupe(good, ["taakveld", "jaar_van"], warnings, "taakvelden")
    good["bron"] = ctx.display
    prepared = _finish(checks, {"taakveld_mapping": good}, len(good), warnings)
    prepared.before.append(("DELETE FROM taakveld_mapping", []))
    return prepared
