"""Plain-Dutch sentences that say what a chart shows, generated from the published values.

Used under each chart of the presentation; a suppressed value is named as such, never guessed.
"""

from __future__ import annotations

from common import nl

# indicator id -> sentence about one region: {jaar}, {waarde}, {regio}
_TEMPLATES = {
    "jeugdhulp_pct": "In {jaar} kreeg {waarde} van de jongeren (0-22 jaar) in {regio} jeugdhulp",
    "jeugdhulp_aantal": "In {jaar} kregen {waarde} jongeren in {regio} jeugdhulp",
    "bereik_preventief_pct": "In {jaar} deed {waarde} van de kinderen (0-17 jaar) in {regio} mee aan preventief of "
                             "collectief aanbod",
    "wachttijd_mediaan_dagen": "In {jaar} begon de hulp in {regio} voor de helft van de jongeren binnen {waarde} "
                               "dagen na aanmelding",
    "wachttijd_p80_dagen": "In {jaar} begon de hulp in {regio} voor 80% van de jongeren binnen {waarde} dagen na "
                           "aanmelding",
    "wachttijd_binnen_norm_pct": "In {jaar} begon {waarde} van de trajecten in {regio} binnen de wachttijdnorm",
    "wachtlijst_aantal": "Eind {jaar} wachtten in {regio} {waarde} aanmeldingen op de start van hulp",
    "clienten_aantal": "In {jaar} hadden {waarde} jongeren in {regio} een traject",
    "trajectduur_mediaan_dagen": "Trajecten die in {jaar} in {regio} eindigden, duurden voor de helft korter dan "
                                 "{waarde} dagen",
    "preventief_budget_aandeel_pct": "In {jaar} ging {waarde} van het jeugdbudget in {regio} naar preventief en "
                                     "collectief aanbod",
}
_COMPARISON = {
    "jeugdhulp_aantal": None,
    "wachttijd_mediaan_dagen": "{waarde} dagen",
    "wachttijd_p80_dagen": "{waarde} dagen",
    "trajectduur_mediaan_dagen": "{waarde} dagen",
}


def sentence(indicator_id: str, naam: str, eenheid: str, jaar: int, wijk: str, wijk_row: dict | None,
             gemeente_row: dict | None, nl_row: dict | None = None) -> str:
    """E.g. 'In 2024 kreeg 11,2% van de jongeren in Oosterpark jeugdhulp; in de gemeente was dat 10,1%.'"""
    if wijk_row is None or (wijk_row.get("waarde") is None and not wijk_row.get("onderdrukt")):
        return f"Voor {jaar} is er voor {wijk} geen cijfer over '{naam.lower()}'."
    if wijk_row.get("onderdrukt"):
        first = f"In {jaar} is '{naam.lower()}' voor {wijk} niet gepubliceerd ({nl.MARKER}, privacy)"
    elif indicator_id in _TEMPLATES:
        first = _TEMPLATES[indicator_id].format(jaar=jaar, regio=wijk, waarde=nl.by_unit(wijk_row["waarde"], eenheid))
    else:
        unit = " dagen" if eenheid == "dagen" else ""
        first = f"In {jaar} was '{naam.lower()}' in {wijk} {nl.by_unit(wijk_row['waarde'], eenheid)}{unit}"
    if indicator_id in _COMPARISON and _COMPARISON[indicator_id] is None:
        return first + "."
    return first + _compare(eenheid, indicator_id, gemeente_row, nl_row) + "."


def _compare(eenheid: str, indicator_id: str, gemeente_row: dict | None, nl_row: dict | None) -> str:
    """'; in de gemeente was dat 10,1% en in Nederland 9,8%' with what is published."""
    template = _COMPARISON.get(indicator_id) or ("{waarde} dagen" if eenheid == "dagen" else "{waarde}")

    def shown(row):
        if row and not row.get("onderdrukt") and row.get("waarde") is not None:
            return template.format(waarde=nl.by_unit(row["waarde"], eenheid))
        return None

    gemeente = shown(gemeente_row)
    land = shown(nl_row) if eenheid not in ("aantal", "euro") else None  # a national count says nothing here
    if gemeente and land:
        return f"; in de gemeente was dat {gemeente} en in Nederland {land}"
    if gemeente:
        return f"; in de gemeente was dat {gemeente}"
    return f"; in Nederland was dat {land}" if land else ""
