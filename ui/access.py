"""Preparation for the Toegang page: wait-time statistics per wijk, the distribution grid and referrer shares."""

from __future__ import annotations

import pandas as pd

from common import nl
from indicators import catalog, wachttijd
from indicators.verdeling import KLASSEN
from ui import data
from ui.state import Selection

VERWIJZER_PREFIX = "verwijzer_"
SOURCE = "Eigen registratie (trajecten)"


def category_label(categorie: str) -> str:
    label = catalog.categorie_label(categorie)
    return label[:1].upper() + label[1:]


def _year(con, version: str, indicator_id: str, sel: Selection) -> pd.DataFrame:
    rows = data.year_values(con, version, indicator_id, sel.gemeente, sel.jaar)
    return rows[rows["niveau"].isin(["WK", "GM"])]


def _label(rows: pd.DataFrame) -> pd.Series:
    return rows["regio_naam"] + rows["onderdrukt"].map({True: f" {nl.MARKER}", False: ""})


def wait_rows(con, version: str, sel: Selection, categorie: str | None = None) -> pd.DataFrame:
    """Gemeente first, then the wijken: median (with its 95% interval) and P80 wait, for all productcategorieën or
    one; `oordeel` says whether a wijk's median differs from the gemeente's (`indicators.wachttijd`)."""
    found = wachttijd.ids(categorie) if categorie else {"mediaan": "wachttijd_mediaan_dagen",
                                                        "p80": "wachttijd_p80_dagen"}
    med = _year(con, version, found["mediaan"], sel)
    p80 = _year(con, version, found["p80"], sel).set_index("regio_code")
    gemeente = med.loc[med["niveau"] == "GM", "waarde"]
    centre = float(gemeente.iloc[0]) if len(gemeente) and pd.notna(gemeente.iloc[0]) else None
    verdicts = [wachttijd.median_verdict(lo, hi, centre) if n == "WK" else ""
                for lo, hi, n in zip(med["ci_laag"], med["ci_hoog"], med["niveau"])]
    out = pd.DataFrame({
        "regio_code": med["regio_code"], "niveau": med["niveau"],
        "label": _label(med) + pd.Series([{"hoger": " ▲", "lager": " ▼"}.get(v, "") for v in verdicts],
                                         index=med.index),
        "mediaan": med["waarde"], "ci_laag": med["ci_laag"], "ci_hoog": med["ci_hoog"],
        "p80": med["regio_code"].map(p80["waarde"]), "onderdrukt": med["onderdrukt"], "noemer": med["noemer"],
        "oordeel": verdicts,
    })
    return out.sort_values(["niveau", "label"], key=lambda s: s.map({"GM": 0, "WK": 1}) if s.name == "niveau"
                           else s).reset_index(drop=True)


def wait_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Regio": rows["label"],
        "Mediaan (dagen)": [nl.MARKER if s else nl.number(v) for v, s in zip(rows["mediaan"], rows["onderdrukt"])],
        "95%-interval mediaan": [_interval(lo, hi, s) for lo, hi, s in zip(rows["ci_laag"], rows["ci_hoog"],
                                                                         rows["onderdrukt"])],
        "Mediaan t.o.v. gemeente": [f"afwijkend, {o}" if o else "" for o in rows["oordeel"]],
        "80e percentiel (dagen)": [nl.MARKER if s else nl.number(v) for v, s in zip(rows["p80"], rows["onderdrukt"])],
        # a median can be published while its number of trajectories is withheld
        "Gestarte trajecten": [nl.MARKER if s or pd.isna(v) else nl.number(v)
                               for v, s in zip(rows["noemer"], rows["onderdrukt"])],
    })


def _interval(low, high, suppressed: bool) -> str:
    if suppressed:
        return nl.MARKER
    return nl.MISSING if pd.isna(low) or pd.isna(high) else f"{nl.number(low)} – {nl.number(high)} dagen"


def category_overview(con, version: str, sel: Selection, categorieen: list[str], norms: dict) -> pd.DataFrame:
    """Per productcategorie the gemeente's median (with interval), P80 and share within its own norm, with units."""
    rows = []
    ids = {categorie: wachttijd.ids(categorie) for categorie in categorieen}
    gemeente = data.gemeente_values(con, version, [i for found in ids.values() for i in found.values()],
                                    sel.gemeente, sel.jaar)
    for categorie in categorieen:
        values = {k: gemeente[i] for k, i in ids[categorie].items()}
        med, p80, binnen = values["mediaan"], values["p80"], values["binnen"]
        norm = norms.get(categorie)

        def days(row):
            return nl.MISSING if row is None else (nl.MARKER if row["onderdrukt"] else
                                                    f"{nl.number(row['waarde'])} dagen")
        rows.append({
            "Productcategorie": category_label(categorie),
            "Norm": norm.label.removeprefix("norm ") if norm else "geen norm geladen",
            "Gestart": nl.MISSING if med is None or med["onderdrukt"] else nl.number(med["noemer"]),
            "Mediaan": days(med),
            "95%-interval mediaan": nl.MISSING if med is None else _interval(med["ci_laag"], med["ci_hoog"],
                                                                           med["onderdrukt"]),
            "80e percentiel": days(p80),
            "Binnen de norm": nl.MISSING if binnen is None else nl.by_unit(binnen["waarde"], "%",
                                                                          bool(binnen["onderdrukt"])),
        })
    return pd.DataFrame(rows)


def categories(verdeling: pd.DataFrame) -> list[str]:
    return sorted(verdeling["productcategorie"].unique()) if not verdeling.empty else []


def distribution_cells(verdeling: pd.DataFrame, categorie: str, gemeente_naam: str) -> pd.DataFrame:
    """Every region (gemeente first) by every wait class, for one productcategorie.

    A class without a row gets no number (`–`), not a zero: the indicator layer published nothing for it.
    """
    part = verdeling[verdeling["productcategorie"] == categorie]
    part = part.assign(rij=part["regio_naam"].where(part["niveau"] == "WK", gemeente_naam))
    regions = list(dict.fromkeys(part.sort_values("niveau", key=lambda s: s.map({"GM": 0, "WK": 1}))["rij"]))
    grid = pd.MultiIndex.from_product([regions, [k for k, _ in KLASSEN]], names=["rij", "kolom"])
    cells = part.rename(columns={"klasse": "kolom"}).set_index(["rij", "kolom"])[["aantal", "onderdrukt"]]
    cells = cells.reindex(grid).reset_index()
    cells["onderdrukt"] = cells["onderdrukt"].fillna(False).astype(bool)
    return cells


def distribution_table(cells: pd.DataFrame) -> pd.DataFrame:
    text = [nl.MARKER if s else nl.MISSING if pd.isna(v) else nl.number(v)
            for v, s in zip(cells["aantal"], cells["onderdrukt"])]
    table = cells.assign(tekst=text).pivot(index="rij", columns="kolom", values="tekst")
    table = table.reindex(index=list(dict.fromkeys(cells["rij"])), columns=list(dict.fromkeys(cells["kolom"])))
    return table.fillna(nl.MISSING).rename_axis(columns=None).rename_axis("Regio (dagen →)").reset_index()


def referrer_rows(con, version: str, sel: Selection) -> pd.DataFrame:
    """Shares per referrer for the gemeente and its wijken (label, deel, waarde, onderdrukt)."""
    ids = [i for i in data.available(con, version, sel.gemeente, "GM") if i.startswith(VERWIJZER_PREFIX)]
    per_indicator = data.year_rows(con, version, sel.gemeente, sel.jaar, ids, ("WK", "GM"))
    indicators = data.present_indicators(con, version)
    parts = []
    for indicator_id in ids:
        rows = per_indicator[indicator_id]
        naam = indicators[indicator_id].naam.removeprefix("Verwijzer: ")
        parts.append(pd.DataFrame({"label": rows["regio_naam"], "niveau": rows["niveau"], "deel": naam,
                                   "waarde": rows["waarde"], "onderdrukt": rows["onderdrukt"]}))
    if not parts:
        return pd.DataFrame(columns=["label", "niveau", "deel", "waarde", "onderdrukt"])
    out = pd.concat(parts, ignore_index=True)
    out = out[out["onderdrukt"] | out["waarde"].notna()]
    hidden = out.groupby("label")["onderdrukt"].transform("all")
    out["label"] = out["label"].where(~hidden, out["label"] + f" {nl.MARKER}")
    return out.sort_values(["niveau", "label"], key=lambda s: s.map({"GM": 0, "WK": 1}) if s.name == "niveau"
                           else s).reset_index(drop=True)


def referrer_table(rows: pd.DataFrame) -> pd.DataFrame:
    text = [nl.MARKER if s else nl.pct(v) for v, s in zip(rows["waarde"], rows["onderdrukt"])]
    table = rows.assign(tekst=text).pivot(index="label", columns="deel", values="tekst")
    table = table.reindex(list(dict.fromkeys(rows["label"])))
    return table.fillna(nl.MISSING).rename_axis(columns=None).rename_axis("Regio").reset_index()


def present_categories(con, version: str, sel: Selection) -> list[str]:
    """Productcategorieën with wait figures for the gemeente (from the per-category indicator ids)."""
    found = [catalog.WACHTTIJD_CATEGORIE.fullmatch(i) for i in data.available(con, version, sel.gemeente, "GM")]
    return sorted({m.group(1) for m in found if m})


def days(row, column: str) -> str:
    """A wait with its unit for a tile: '12 dagen', the marker, or a dash."""
    if row is None:
        return nl.MISSING
    if row["onderdrukt"]:
        return nl.MARKER
    value = row[column]
    return nl.MISSING if pd.isna(value) else f"{nl.number(value)} dagen"
