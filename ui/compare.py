"""Wijk comparison helpers: references, funnel verdicts, spread, and the alt texts that describe the charts."""

from __future__ import annotations

import pandas as pd

from common import nl

REFERENCE_LEVELS = ("GM", "JZ", "NL")


def references(rows: pd.DataFrame) -> pd.DataFrame:
    """The gemeente, its jeugdregio and Nederland, in that order."""
    refs = rows[rows["niveau"].isin(REFERENCE_LEVELS)].copy()
    refs["_o"] = refs["niveau"].map({n: i for i, n in enumerate(REFERENCE_LEVELS)})
    return refs.sort_values("_o").drop(columns="_o")


def _verdict(r) -> tuple[str, str]:
    """(arrow, status) of one funnel row."""
    direction = "hoger" if r.p > r.p_gemeente else "lager"
    arrow = "▲" if direction == "hoger" else "▼"
    if r.sterk_afwijkend:
        return arrow, f"sterk afwijkend, {direction}"
    if r.afwijkend:
        return arrow, f"afwijkend, {direction}"
    return "", "binnen de grenzen"


def funnel_flags(funnel: pd.DataFrame | None) -> tuple[dict, dict]:
    """wijk code -> arrow (only afwijkend wijken) and wijk code -> status text (all wijken in the funnel)."""
    if funnel is None or funnel.empty:
        return {}, {}
    verdicts = {r.regio_code: _verdict(r) for r in funnel.itertuples()}
    return {c: a for c, (a, _) in verdicts.items() if a}, {c: s for c, (_, s) in verdicts.items()}


def funnel_points(funnel: pd.DataFrame, status: dict) -> pd.DataFrame:
    kind = {c: ("sterk afwijkend" if s.startswith("sterk") else "afwijkend" if s.startswith("afwijkend") else "binnen")
            for c, s in status.items()}
    return pd.DataFrame({"regio_code": funnel["regio_code"], "regio_naam": funnel["regio_naam"], "waarde": funnel["p"],
                         "noemer": funnel["n"], "status": funnel["regio_code"].map(kind)})


def _limits(low, high) -> list[str]:
    return [f"{nl.pct(lo)} – {nl.pct(hi)}" for lo, hi in zip(low, high)]


def funnel_table(funnel: pd.DataFrame) -> pd.DataFrame:
    _, status = funnel_flags(funnel)
    return pd.DataFrame({
        "Wijk": funnel["regio_naam"],
        "Waarde": [nl.pct(v) for v in funnel["p"]],
        "Noemer": [nl.number(v) for v in funnel["n"]],
        "95%-grenzen": _limits(funnel["grens95_laag"], funnel["grens95_hoog"]),
        "99,8%-grenzen": _limits(funnel["grens998_laag"], funnel["grens998_hoog"]),
        "Oordeel": funnel["regio_code"].map(status),
    })


def spread(wijken: pd.DataFrame) -> tuple[dict, dict, str] | None:
    """Highest and lowest published wijk and the difference between them (in procentpunt for percentages)."""
    published = wijken[~wijken["onderdrukt"] & wijken["waarde"].notna()]
    if len(published) < 2:
        return None
    high = published.loc[published["waarde"].idxmax()].to_dict()
    low = published.loc[published["waarde"].idxmin()].to_dict()
    diff = high["waarde"] - low["waarde"]
    eenheid = high["eenheid"]
    text = f"{nl.number(diff, 1)} %-punt" if eenheid == "%" else with_unit(diff, eenheid)
    return high, low, text


def with_unit(value, eenheid: str) -> str:
    """A value as a tile shows it: with its unit where the number alone does not say it ('14 dagen')."""
    text = nl.by_unit(value, eenheid)
    if text in (nl.MISSING, nl.MARKER):
        return text
    return f"{text} dagen" if eenheid == "dagen" else text


def ratio_text(high: dict, low: dict) -> str:
    return f"{nl.number(high['waarde'] / low['waarde'], 1)} keer zo hoog" if low["waarde"] > 0 else ""


def _suppressed_note(wijken: pd.DataFrame) -> str:
    n = int(wijken["onderdrukt"].sum())
    return "" if not n else f" {n} {'wijk is' if n == 1 else 'wijken zijn'} onderdrukt ({nl.MARKER})."


def ranking_alt(ind, wijken: pd.DataFrame, refs: pd.DataFrame, sel) -> str:
    text = f"Staafdiagram: {ind.naam.lower()} per wijk in {sel.jaar}, van hoog naar laag."
    found = spread(wijken)
    if found:
        high, low, _ = found
        text += (f" Hoogste: {high['regio_naam']} ({nl.by_unit(high['waarde'], ind.eenheid)}), laagste: "
                 f"{low['regio_naam']} ({nl.by_unit(low['waarde'], ind.eenheid)}).")
    for r in refs.itertuples():
        if not r.onderdrukt and pd.notna(r.waarde):
            text += f" {r.regio_naam}: {nl.by_unit(r.waarde, ind.eenheid)}."
    return text + _suppressed_note(wijken)


def map_alt(ind, wijken: pd.DataFrame, sel) -> str:
    return (f"Kaart van de wijken van {sel.gemeente_naam}, gekleurd naar {ind.naam.lower()} in {sel.jaar}: hoe "
            f"donkerder, hoe hoger. Grijs is onderdrukt of zonder cijfer.{_suppressed_note(wijken)}")


def funnel_alt(ind, funnel: pd.DataFrame, sel) -> str:
    _, status = funnel_flags(funnel)
    names = dict(zip(funnel["regio_code"], funnel["regio_naam"]))
    outside = [f"{names[c]}: {s}" for c, s in status.items() if not s.startswith("binnen")]
    center = nl.pct(funnel["p_gemeente"].iloc[0])
    text = (f"Trechterdiagram: {ind.naam.lower()} per wijk in {sel.jaar} tegen het aantal (noemer), met de 95%- en "
            f"99,8%-grenzen rond de gemeentewaarde {center}. ")
    return text + (f"Buiten de grenzen: {'; '.join(outside)}." if outside else "Geen wijk valt buiten de grenzen.")
