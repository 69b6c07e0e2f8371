"""Preparation for the Financiën page: the preventive share per soort against its target path, and budget tables."""

from __future__ import annotations

import pandas as pd

from common import nl
from ui import bars, data, lines, style
from ui.state import Selection

SHARE = "preventief_budget_aandeel_pct"
TOTAL = "jeugdbudget_totaal_eur"
SOORT_STYLE = {"realisatie": (style.BLUE, "solid"), "begroting": (style.SKY, "dash")}


BUDGET_SOURCE = "Budgetregels van de gemeente (begroting en realisatie)"


def share_lines(con, version: str, sel: Selection):
    """One line per soort for the gemeente, the years, the target path up to its last target year, and the rows."""
    out, jaren, shown = [], set(), []
    for soort, (color, dash) in SOORT_STYLE.items():
        rows = data.series(con, version, SHARE, sel.gemeente, soort)
        rows = rows[rows["regio_code"] == sel.gemeente]
        if rows.empty:
            continue
        shown.append(rows)
        published = rows[~rows["onderdrukt"] & rows["waarde"].notna()]
        out.append(lines.Line(soort.capitalize(), "GM", color, dash, 4,
                              values=dict(zip(published["jaar"].astype(int), published["waarde"])),
                              suppressed=set(rows.loc[rows["onderdrukt"], "jaar"].astype(int))))
        jaren |= set(rows["jaar"].astype(int))
    years = sorted(jaren)
    target = data.target_path(con, version, SHARE, sel.gemeente, tuple(range(years[0], years[-1] + 11))) \
        if years else pd.DataFrame()
    return out, years, target, pd.concat(shown, ignore_index=True) if shown else pd.DataFrame(columns=["bron"])


def share_alt(share: list[lines.Line], target: pd.DataFrame, sel: Selection) -> str:
    text = f"Lijndiagram: aandeel preventief en collectief in het jeugdbudget van {sel.gemeente_naam} per jaar."
    for line in share:
        last = max(line.values) if line.values else None
        if last is not None:
            text += f" {line.label} {last}: {nl.pct(line.values[last])}."
    if not target.empty:
        fixed = target[target["vastgesteld"]]
        text += " Streefwaarden: " + ", ".join(f"{nl.pct(w)} in {int(j)}" for j, w in
                                                zip(fixed["jaar"], fixed["streefwaarde"])) + "."
    return text


def category_table(rows: pd.DataFrame) -> pd.DataFrame:
    table = rows.assign(categorie=rows["categorie"].map(lambda c: bars.CATEGORY_LABELS.get(c, c)),
                        bedrag=rows["bedrag"].map(nl.euro))
    wide = table.pivot(index="categorie", columns="jaar", values="bedrag").fillna(nl.MISSING)
    wide.columns = [str(c) for c in wide.columns]
    return wide.rename_axis("Categorie").reset_index()


def soort_rows(con, version: str, sel: Selection) -> pd.DataFrame:
    parts = []
    for soort in ("begroting", "realisatie"):
        rows = data.series(con, version, TOTAL, sel.gemeente, soort)
        parts.append(rows[(rows["regio_code"] == sel.gemeente) & rows["waarde"].notna()][["jaar", "soort", "waarde"]])
    return pd.concat(parts, ignore_index=True)


def soort_table(rows: pd.DataFrame) -> pd.DataFrame:
    wide = rows.assign(waarde=rows["waarde"].map(nl.euro)).pivot(index="jaar", columns="soort", values="waarde")
    wide = wide.fillna(nl.MISSING).rename(columns=str.capitalize).rename_axis(columns=None)
    return wide.rename_axis("Jaar").reset_index().assign(Jaar=lambda d: d["Jaar"].astype(str))


def unmapped_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Taakveld": rows["taakveld"], "Jaar": rows["jaar"].astype(str), "Regio": rows["regio_code"],
                         "Soort": rows["soort"], "Bedrag": rows["bedrag"].map(nl.euro),
                         "Regels": rows["regels"].map(nl.number)})
