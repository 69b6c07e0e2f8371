"""The sheets that explain the figures: definitions, duiding notes and the privacy rules."""

from __future__ import annotations

import pandas as pd

from common import nl
from reports.cells import DATE_FORMAT, DATETIME_FORMAT, YEAR_FORMAT, link
from reports.sheet import Book, Col

SOURCE_LABELS = {
    "cbs": "CBS (Kerncijfers wijken en buurten, Beleidsinformatie Jeugd)",
    "cbs-long": "CBS Jongeren met jeugdzorg; wijken",
    "trajecten": "eigen registratie: trajecten",
    "bereik": "eigen registratie: deelname preventief en collectief aanbod",
    "bevolking": "bevolking (CBS of eigen bestand)",
    "budget": "begroting en jaarrekening (Iv3 of eigen bestand)",
    "normen": "wachttijdnormen",
}


def definitions(book: Book, indicators: list, sheets: dict[str, str]) -> str:
    """Every indicator with its description, numerator, denominator, unit and source; linked to its sheet."""
    sheet = book.sheet("Definities")
    sheet.title("Definities van de indicatoren")
    sheet.notice()
    sheet.text("Alle indicatoren die Jeugdmonitor kent. Een onderstreepte naam is een link naar het blad met de "
               "cijfers; de andere indicatoren hebben geen cijfers voor deze gemeente in de gekozen periode.", span=6)
    sheet.skip()
    cols = [Col("Indicator"), Col("Beschrijving", wrap=True, max_width=60),
            Col("Teller", wrap=True, max_width=30), Col("Noemer", wrap=True, max_width=30), Col("Eenheid"),
            Col("Richting"), Col("Leeftijd"), Col("Bron", wrap=True, max_width=32), Col("Code")]
    rows = [
        [ind.naam, ind.beschrijving, ind.teller or nl.MISSING, ind.noemer or nl.MISSING,
         nl.UNIT_LABELS.get(ind.eenheid, ind.eenheid), ind.richting, ind.leeftijd or nl.MISSING,
         "; ".join(SOURCE_LABELS.get(b, b) for b in ind.bronnen), ind.id]
        for ind in indicators
    ]
    ref = sheet.table("Definities", cols, rows)
    for i, ind in enumerate(indicators):
        if ind.id in sheets:
            link(sheet.ws.cell(ref.first_row + i, 1), sheets[ind.id])
    sheet.finish()
    return sheet.ws.title


def duiding(book: Book, notes: pd.DataFrame, names: dict[str, str]) -> str:
    """What duidingssessies said per wijk; the notes are the users' own text and are written as text."""
    sheet = book.sheet("Duiding")
    sheet.title("Duiding per wijk")
    sheet.notice()
    sheet.text("Wat professionals, bewoners en gemeente in duidingssessies bij de cijfers van een wijk zeiden: "
               "cijfers én verhalen.")
    sheet.skip()
    if notes.empty:
        sheet.text("Voor deze gemeente zijn nog geen duidingsnotities opgeslagen.", italic=True)
    else:
        cols = [Col("Wijk"), Col("Indicator"), Col("Jaar", YEAR_FORMAT, center=True),
                Col("Datum", DATE_FORMAT, center=True),
                Col("Notitie", wrap=True, max_width=70), Col("Door", wrap=True, max_width=30),
                Col("Opgeslagen", DATETIME_FORMAT, center=True)]
        rows = [[n.wijk_naam, names.get(n.indicator_id, n.indicator_id), int(n.jaar), pd.Timestamp(n.datum).date(),
                 n.tekst, n.auteur if isinstance(n.auteur, str) and n.auteur else "onbekend",
                 pd.Timestamp(n.created_at).to_pydatetime().replace(microsecond=0)]
                for n in notes.itertuples(index=False)]
        sheet.table("Duiding", cols, rows)
    sheet.finish()
    return sheet.ws.title


def privacy(book: Book, min_n: int, suppressed: list[tuple[str, str, int, str]]) -> str:
    """How suppression works, and which cells of this workbook it withheld (never their values)."""
    sheet = book.sheet("Privacy")
    sheet.title("Privacy: onderdrukte cijfers")
    sheet.notice()
    for paragraph in (
        f"Cijfers uit de eigen registratie gaan over kinderen. Geen cijfer in deze werkmap mag het mogelijk maken "
        f"een kind te herkennen. Daarom is een aantal of percentage dat op minder dan {min_n} jongeren, trajecten "
        f"of deelnemers rust niet gepubliceerd, en ook geen wachttijd of duur over minder dan {min_n} trajecten.",
        "Aanvullende onderdrukking: hetzelfde aantal (cliënten, gestarte trajecten, wachtenden, ...) wordt overal "
        "tegelijk gepubliceerd of weggelaten. Zou een weggelaten aantal terug te rekenen zijn uit totalen en andere "
        "cijfers, dan worden ook andere aantallen weggelaten. Een nul staat er net zo als een weggelaten aantal. "
        f"Een mediaan of percentiel over ten minste {min_n} trajecten blijft staan; soms is dan alleen het aantal "
        "trajecten weggelaten.",
        "CBS-cijfers zijn door het CBS zelf beveiligd (aantallen afgerond op vijftallen, kleine aantallen geheim) "
        "en worden overgenomen zoals het CBS ze publiceert. Een leeg vak betekent: geen cijfer (niet geleverd, of "
        "door het CBS niet gepubliceerd). Een leeg vak is nooit een nul.",
        f"Op de plaats van een onderdrukt cijfer staat het teken {nl.MARKER}. Onderdrukte cijfers staan nergens "
        "in deze werkmap, ook niet in grafieken of verborgen cellen; grafieken laten onderdrukte wijken weg.",
    ):
        sheet.text(paragraph, span=4)
    sheet.skip()
    if not suppressed:
        sheet.text("In deze werkmap is geen cijfer onderdrukt.", italic=True)
    else:
        sheet.text("Onderdrukte cijfers in deze werkmap", bold=True)
        cols = [Col("Indicator"), Col("Regio"), Col("Jaren", wrap=True, max_width=30), Col("Reden")]
        sheet.table("Onderdrukt", cols, _grouped(suppressed))
    sheet.finish()
    return sheet.ws.title


def _grouped(suppressed: list[tuple[str, str, int, str]]) -> list[list]:
    """One line per indicator, region and reason (in workbook order), its years as ranges ('2019 t/m 2025')."""
    years: dict[tuple[str, str, str], list[int]] = {}
    for indicator, regio, jaar, reden in suppressed:
        years.setdefault((indicator, regio, reden), []).append(jaar)
    return [[indicator, regio, year_ranges(found), reden] for (indicator, regio, reden), found in years.items()]


def year_ranges(years: list[int]) -> str:
    """[2019, 2020, 2021, 2023] -> '2019 t/m 2021, 2023'."""
    parts, start = [], None
    years = sorted(set(years))
    for i, year in enumerate(years):
        start = year if start is None else start
        if i + 1 == len(years) or years[i + 1] != year + 1:
            parts.append(str(year) if start == year else f"{start} t/m {year}")
            start = None
    return ", ".join(parts)
