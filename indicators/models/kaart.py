"""The model card of expected use, read from `model_kaart`, in plain Dutch for the Gegevens page and the workbook."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import duckdb

from common import nl

MODEL = "verwacht"

BETEKENIS = (
    "Het model zegt hoeveel jeugdhulp je zou verwachten als een wijk net zo vaak jeugdhulp gebruikt als andere "
    "wijken met dezelfde samenstelling. Het zegt niet wat goed of slecht is. Hoger dan verwacht kan betekenen dat "
    "er meer problemen zijn, maar ook dat de hulp de jongeren beter bereikt. Lager dan verwacht kan betekenen dat "
    "het goed gaat, maar ook dat hulp van elders komt (huisarts, school) of dat jongeren de hulp niet vinden. "
    "Een wijk heet alleen hoger of lager dan verwacht als het verschil groter is dan toeval."
)


@dataclass
class Modelkaart:
    jaar: int
    periode: str
    gefit: bool
    bericht: str | None
    kaart: dict = field(default_factory=dict)

    def regels(self) -> list[tuple[str, str]]:
        """The card as (onderdeel, tekst) lines in plain Dutch."""
        k = self.kaart
        if not self.gefit:
            return [("Jaar", str(self.jaar)), ("Uitkomst", self.bericht or "Geen model.")]
        out = [
            ("Jaar", str(self.jaar)),
            ("Wijken in het model", f"{nl.number(k['wijken'], 0)} wijken uit {nl.number(k['gemeenten'], 0)} "
             f"gemeenten (minimaal nodig: {nl.number(k['minimum_wijken'], 0)})"),
            ("Wijken met een verwachting", nl.number(k["voorspeld"], 0)),
            ("Noemer", k["blootstelling"]),
            ("Model", "telmodel met extra spreiding (negatief binomiaal), per jaar over alle wijken in de database"),
        ]
        out += [(f"Kenmerk: {t['label']}", term_zin(t)) for t in k["termen"]]
        out += [
            ("Hoe goed past het model", f"pseudo-R² {nl.number(k['pseudo_r2'], 2)}; het model verklaart "
             f"{nl.pct(100 * k['deviantie_verklaard'], 0)} van de verschillen tussen wijken (deviantie)"),
            ("Spreiding", spreiding_zin(k["alpha"])),
            ("Binnen de grenzen", binnen_zin(k)),
        ]
        out += [("Weggelaten", tekst) for tekst in weggelaten(k)]
        return out


def term_zin(t: dict) -> str:
    """'Bij 5 procentpunt meer huishoudens met een laag inkomen is het verwachte gebruik 8% hoger (4% tot 12%).'"""
    rr, lo, hi = t["rate_ratio"], t["laag"], t["hoog"]
    richting = "hoger" if rr >= 1 else "lager"
    size = nl.pct(abs(rr - 1) * 100, 0)
    band = f"{_signed(lo)} tot {_signed(hi)}"
    zeker = "" if lo > 1 or hi < 1 else "; dit kan ook toeval zijn"
    return f"Bij {t['stap_tekst']} is het verwachte gebruik {size} {richting} (95%-marge {band}){zeker}."


def _signed(rr: float) -> str:
    d = (rr - 1) * 100
    return ("+" if d >= 0 else "−") + nl.pct(abs(d), 0)


def spreiding_zin(alpha: float) -> str:
    sd = (100 + alpha * 100 ** 2) ** 0.5
    return (f"wijken verschillen meer dan door toeval alleen (alpha {nl.number(alpha, 3)}): bij 100 verwachte "
            f"jongeren is de gewone spreiding ongeveer {nl.number(sd, 0)} jongeren, tegen 10 bij louter toeval")


def binnen_zin(k: dict) -> str:
    binnen = k.get("binnen_interval")
    deel = nl.pct(100 * binnen, 0) if binnen is not None else "onbekend"
    return (f"{deel} van de wijken in het model valt binnen de 95%-grenzen (bij een passend model ongeveer 95%); "
            f"{k['hoger']} hoger en {k['lager']} lager dan verwacht")


def weggelaten(k: dict) -> list[str]:
    out = [f"{v['wat']}: {v['waarom']}" for v in k.get("weggelaten_variabelen", [])]
    w = k.get("weggelaten_wijken", {})
    if w.get("aantal_geheim_of_onbekend"):
        out.append(f"{_wijken(w['aantal_geheim_of_onbekend'])} zonder gepubliceerd aantal jongeren met jeugdzorg "
                   "(geheim of nog niet bekend): niet meegeteld, niet als nul gelezen")
    if w.get("kenmerk_onbekend"):
        out.append(f"{_wijken(w['kenmerk_onbekend'])} waarvan een gebruikt kenmerk onbekend is")
    if w.get("zonder_jongeren"):
        out.append(f"{_wijken(w['zonder_jongeren'])} zonder jongeren in de KWB")
    if k.get("uitschieters"):
        out.append(f"{_wijken(k['uitschieters'])} met een zeer ongewoon aantal telden niet mee bij het schatten van "
                   "het model (zodat zij de grenzen van de andere wijken niet verbreden); ze zijn wel beoordeeld")
    if k.get("afronding", 1) > 1:
        out.append("het CBS rondt de aantallen af op vijftallen; de grenzen houden daar rekening mee")
    return out


def _wijken(n: int) -> str:
    return f"{nl.number(n, 0)} {'wijk' if n == 1 else 'wijken'}"


def kaarten(con: duckdb.DuckDBPyConnection) -> list[Modelkaart]:
    """Every year's card, newest first."""
    rows = con.cursor().execute(
        "SELECT jaar, periode, gefit, bericht, kaart FROM model_kaart WHERE model = ? ORDER BY jaar DESC", [MODEL]
    ).fetchall()
    return [Modelkaart(j, p, g, b, json.loads(k)) for j, p, g, b, k in rows]


def kaart(con: duckdb.DuckDBPyConnection, jaar: int) -> Modelkaart | None:
    return next((c for c in kaarten(con) if c.jaar == jaar), None)
