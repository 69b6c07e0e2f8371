"""The workbook sheets of expected use: per wijk werkelijk, verwacht, grenzen and oordeel with three maps, and the
model card. Figures come from the published values (`indicators.models.vergelijking`) and `model_kaart`."""

from __future__ import annotations

import io

from openpyxl.drawing.image import Image as XlImage

from indicators import models
from reports import kaartbeeld
from reports.cells import FORMATS
from reports.sheet import Book, Col

PCT = FORMATS["%"]
PP = '+0.0" %-punt";-0.0" %-punt";0.0" %-punt"'
MAPS = (("werkelijk", "Werkelijk", False), ("verwacht", "Verwacht", False), ("verschil", "Verschil", True))


def _geometries(con, codes: list[str], jaar: int) -> dict[str, str]:
    """The wijken's boundaries of `jaar`, else of the nearest earlier year (as the dashboard's map)."""
    rows = con.cursor().execute("""
        SELECT code, geometry FROM region_boundaries
        WHERE list_contains($codes, code) AND jaar = (
            SELECT max(jaar) FROM region_boundaries WHERE list_contains($codes, code) AND jaar <= $jaar)""",
        {"codes": codes, "jaar": jaar}).fetchall()
    return dict(rows)


def write(book: Book, con, gemeente: str, gemeente_naam: str, jaar: int) -> list[tuple[str, str]]:
    """The two sheets (name, what) for the table of contents; nothing when no model was asked for."""
    cards = {c.jaar: c for c in models.kaarten(con)}
    if not cards:
        return []
    fitted = [j for j, c in cards.items() if c.gefit and j <= jaar]
    shown = jaar if jaar in fitted else max(fitted, default=jaar)
    frame = models.vergelijking(con, gemeente=gemeente, jaar=shown)
    sheet = book.sheet("Verwacht gebruik")
    sheet.title(f"Werkelijk en verwacht gebruik van jeugdhulp per wijk, {gemeente_naam} {shown}")
    sheet.notice()
    sheet.text(models.BETEKENIS, span=8)
    if shown != jaar and jaar in cards:
        sheet.text(f"{cards[jaar].bericht} Daarom staat hier het model van {shown}.", span=8, italic=True)
    sheet.skip()
    if shown not in fitted or frame.empty:
        card = cards.get(jaar)
        sheet.text(card.bericht if card is not None and card.bericht else f"Geen verwacht gebruik voor {jaar}.",
                   italic=True)
    else:
        _table(sheet, frame)
        _maps(sheet, con, frame[frame["niveau"] == "WK"], book.is_demo, shown)
    sheet.finish()
    card_sheet = _card_sheet(book, cards.get(shown) or cards[max(cards)])
    return [(sheet.ws.title, "Werkelijk en verwacht gebruik van jeugdhulp per wijk, met kaarten"),
            (card_sheet, "Modelkaart van verwacht gebruik")]


def _table(sheet, frame) -> None:
    cols = [Col("Regio"), Col("Werkelijk", PCT), Col("Verwacht", PCT), Col("Ondergrens (95%)", PCT),
            Col("Bovengrens (95%)", PCT), Col("Verschil", PP), Col("Werkelijk / verwacht", "0.00"),
            Col("Oordeel")]
    frame = frame.sort_values(["niveau", "regio_naam"], ascending=[False, True])

    def v(x):
        return None if x != x else float(x)

    rows = [[r.regio_naam, v(r.werkelijk), v(r.verwacht), v(r.ondergrens), v(r.bovengrens), v(r.verschil),
             v(r.ratio), r.oordeel or "onbekend (aantal geheim of niet bekend)"] for r in frame.itertuples()]
    sheet.table("Verwacht", cols, rows)


def _maps(sheet, con, wijken, demo: bool, jaar: int) -> None:
    geometries = _geometries(con, list(wijken["regio_code"]), jaar)
    if not geometries:
        sheet.text("Er zijn geen wijkgrenzen geladen, dus geen kaarten.", italic=True)
        return
    both = [x for x in list(wijken["werkelijk"]) + list(wijken["verwacht"]) if x == x]
    diff = [x for x in wijken["verschil"] if x == x] or [0.0]
    top = max(abs(min(diff)), abs(max(diff))) or 1.0
    row = sheet.row
    for i, (what, title, diverging) in enumerate(MAPS):
        values = dict(zip(wijken["regio_code"], wijken[what]))
        data = kaartbeeld.png(geometries, values, title, diverging=diverging, suffix=" %-punt" if diverging else "%",
                              value_range=(-top, top) if diverging else (min(both), max(both)), demo=demo)
        image = XlImage(io.BytesIO(data))
        image.width, image.height = kaartbeeld.SIZE
        sheet.ws.add_image(image, f"{'ADG'[i]}{row}")
    sheet.keep_together(row, row + 19)
    sheet.row = row + 20
    sheet.text("Kaarten: werkelijk en verwacht in dezelfde kleuren (donkerder is hoger); verschil rood waar het "
               "gebruik hoger is dan verwacht, blauw waar lager. Grijs: geen cijfer.", span=8)


def _card_sheet(book: Book, card: models.Modelkaart) -> str:
    sheet = book.sheet("Modelkaart")
    sheet.title(f"Modelkaart: verwacht gebruik van jeugdhulp, {card.jaar}")
    sheet.notice()
    sheet.text(models.BETEKENIS, span=2)
    sheet.skip()
    sheet.table("Modelkaart", [Col("Onderdeel", wrap=True, max_width=40), Col("Toelichting", wrap=True,
                                                                             max_width=90)], card.regels())
    sheet.finish()
    return sheet.ws.title
