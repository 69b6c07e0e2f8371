"""One sheet per indicator: wijken by year with gemeente and benchmarks, numerator, denominator and two charts.

Layout, chosen so that the one repeated print-title row (the header of the value table) labels every table that
can continue on a next page: the value-by-year table with, beside it, the wijken of the latest year from high to
low; under them the trend chart and the ranking chart, kept on one page; under those the numerator and denominator
by year, with the same columns as the value table.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from openpyxl.utils import get_column_letter

from common import nl
from indicators import catalog
from reports import breaks, charts
from reports.data import Region
from reports.cells import COUNT_FORMAT, MISSING_LEGEND, SUPPRESSED, font, number_format, put
from reports.sheet import Book, Col, SheetWriter, TableRef

ROWS_PER_CM = 1 / 0.53  # rows of default height (15 pt) per centimetre
MIN_CHART_CM = 12
PART_FORMATS = {"euro": '"€" #,##0', "count": COUNT_FORMAT, "fraction": "#,##0.0"}
REFERENCE_LEVELS = ("GM", "NL")  # shown as bars next to the wijken, for rates (not for counts or amounts)
SIZE_UNITS = ("aantal", "euro")
LEVEL_EMPHASIS = {"GM": "bold", "JZ": "italic", "PV": "italic", "NL": "italic", "VG": "italic", "SW": "italic"}
TARGET = Region("streefwaarde", "Streefwaarde gemeente", "SW")  # the target path, a row of the value table


# Sheet names: short and readable (the full title is on the sheet itself and in the cover's contents).
SHORT_NAMES = {
    "jeugdhulp_pct": "Jeugdhulp (%)", "jeugdhulp_aantal": "Jeugdhulp (aantal)",
    "jeugdhulp_zonder_verblijf_pct": "Jeugdhulp zonder verblijf", "jeugdhulp_met_verblijf_pct": "Jeugdhulp met verblijf",
    "jeugdbescherming_pct": "Jeugdbescherming", "jeugdreclassering_pct": "Jeugdreclassering",
    "bereik_preventief_pct": "Bereik preventief aanbod", "clienten_aantal": "Unieke cliënten",
    "huishoudens_aantal": "Bereikte huishoudens", "trajecten_per_client": "Trajecten per cliënt",
    "wachttijd_mediaan_dagen": "Wachttijd mediaan", "wachttijd_p80_dagen": "Wachttijd P80",
    "wachttijd_binnen_norm_pct": "Binnen norm", "wachtlijst_aantal": "Wachtend op 31 december",
    "trajectduur_mediaan_dagen": "Duur trajecten", "preventief_budget_aandeel_pct": "Budgetaandeel preventief",
    "jeugdbudget_totaal_eur": "Jeugdbudget",
}


def sheet_name(ind) -> str:
    """The title a sheet name is made from (`reports.sheet.unique_sheet_name` fits it into 31 characters)."""
    if ind.id in SHORT_NAMES:
        return SHORT_NAMES[ind.id]
    if ind.productcategorie:
        stat = ind.id.removeprefix(f"wachttijd_{ind.productcategorie}_")
        lead = {"mediaan_dagen": "Wacht mediaan", "p80_dagen": "Wacht P80"}.get(stat, "Binnen norm")
        return f"{lead} {catalog.categorie_label(ind.productcategorie)}"
    return ind.naam.replace("Verwijzer: ", "Verwijzer ")


@dataclass(frozen=True)
class RowKey:
    region: Region
    soort: str


@dataclass
class SheetResult:
    name: str
    suppressed: list[tuple[str, int, str]]  # (regio_naam, jaar, reden): which cells, never their values


class _Cells:
    """Published rows of one indicator by (regio_code, soort, jaar), and the gemeente's target path by year."""

    def __init__(self, frame: pd.DataFrame, targets: dict[int, float]):
        self.rows = {(r.regio_code, r.soort, int(r.jaar)): r for r in frame.itertuples(index=False)}
        self.targets = targets

    def get(self, key: RowKey, jaar: int, field: str = "waarde"):
        """The value, SUPPRESSED for a withheld cell, None where there is no figure."""
        if key.region is TARGET:
            return self.targets.get(jaar) if field == "waarde" else None
        row = self.rows.get((key.region.code, key.soort, jaar))
        if row is None:
            return None
        if row.onderdrukt:
            return SUPPRESSED
        value = getattr(row, field)
        return None if pd.isna(value) else float(value)


def write(book: Book, ind, frame: pd.DataFrame, wijken: list[Region], benchmarks: list[Region],
          targets: dict[int, float]) -> SheetResult:
    """Write the sheet for indicator `ind` from its published yearly rows `frame` (wijken, gemeente, benchmarks,
    up to the report year) and the gemeente's target path by year; the ranking shows the latest year with wijk
    figures."""
    sheet = book.sheet(sheet_name(ind))
    data_years = sorted(int(j) for j in frame["jaar"].unique())
    years = sorted(set(data_years) | set(targets))
    keys = _row_keys(frame, wijken, benchmarks)
    parts = list(keys)
    if targets:
        keys.append(RowKey(TARGET, ""))
    cells = _Cells(frame, targets)
    fmt = number_format(ind.eenheid)
    lead = [Col("Regio")] + ([Col("Soort")] if any(k.soort for k in keys) else [])

    _head(sheet, ind, frame, span=len(lead) + len(years))
    unit = nl.UNIT_LABELS.get(ind.eenheid, ind.eenheid)
    sheet.text(f"Waarde per jaar ({unit})", bold=True)
    main = _matrix(sheet, "Waarde", lead, keys, years, cells, "waarde", fmt)
    breaks.mark(sheet.ws, main.first_row, len(lead) + 1, [k.region.code for k in keys], years, frame)
    rank_col = len(lead) + len(years) + 2
    rank = _ranking(sheet, ind, keys, cells, fmt, main.header_row, rank_col)
    sheet.row = max(main.last_row, rank.last_row if rank else 0) + 2

    trend_rows = _trend_rows(ind, keys, main, years, cells)
    block = _chart_block(sheet, keys, main, years, cells, trend_rows, fmt)
    _charts(sheet, ind, main, block, trend_rows, rank, fmt)
    if ind.noemer and frame["teller"].notna().any():
        sheet.text(f"Teller per jaar: {ind.teller or 'teller'}", bold=True)
        _matrix(sheet, "Teller", lead, parts, data_years, cells, "teller", _part_format(ind, frame["teller"]))
    if frame["noemer"].notna().any():
        sheet.text(f"Noemer per jaar: {ind.noemer or 'noemer'}", bold=True)
        _matrix(sheet, "Noemer", lead, parts, data_years, cells, "noemer", _part_format(ind, frame["noemer"]))
    sheet.finish()
    suppressed = [(r.regio_naam, int(r.jaar), r.reden or "onderdrukt")
                  for r in frame.itertuples(index=False) if r.onderdrukt]
    return SheetResult(sheet.ws.title, suppressed)


def _head(sheet: SheetWriter, ind, frame: pd.DataFrame, span: int) -> None:
    sheet.title(f"{ind.naam} ({ind.leeftijd})" if ind.leeftijd else ind.naam)
    sheet.notice()
    bronnen = sorted({b for b in frame["bron"].dropna().unique() if b})
    sheet.text(ind.beschrijving + (f" Bron: {'; '.join(bronnen)}." if bronnen else ""), span=max(span, 6))
    if frame["onderdrukt"].any():
        sheet.text(nl.MARKER_LEGEND, italic=True)
    sheet.text(MISSING_LEGEND, italic=True)
    if breaks.note(frame):
        sheet.text(breaks.note(frame), span=max(span, 6), italic=True)
    sheet.skip()


def _row_keys(frame: pd.DataFrame, wijken: list[Region], benchmarks: list[Region]) -> list[RowKey]:
    """Every wijk of the gemeente (also one without figures, when the indicator exists per wijk), then the gemeente
    and its benchmarks in fixed order; one row per soort."""
    present = frame.groupby("regio_code")["soort"].unique().to_dict()
    soorten = sorted(frame["soort"].unique())
    per_wijk = (frame["niveau"] == "WK").any()
    keys = [RowKey(w, s) for w in wijken if per_wijk for s in soorten]
    return keys + [RowKey(r, s) for r in benchmarks if r.code in present for s in sorted(present[r.code])]


def _matrix(sheet, hint, lead, keys, years, cells: _Cells, field, fmt) -> TableRef:
    columns = lead + [Col(str(y), fmt) for y in years]
    rows = [[k.region.naam] + ([k.soort] if len(lead) > 1 else []) + [cells.get(k, y, field) for y in years]
            for k in keys]
    return sheet.table(hint, columns, rows, emphasis=[LEVEL_EMPHASIS.get(k.region.niveau) for k in keys])


def _part_format(ind, series: pd.Series) -> str:
    """Numerator and denominator: euros for budget indicators, else counts (with a decimal where needed)."""
    if "budget" in ind.bronnen or ind.eenheid == "euro":
        return PART_FORMATS["euro"]
    values = series.dropna()
    return PART_FORMATS["count"] if (values == values.round()).all() else PART_FORMATS["fraction"]


def _trend_rows(ind, keys, main: TableRef, years, cells: _Cells) -> list[tuple[int, str, str]]:
    """Sheet rows of the gemeente and its benchmarks that can be charted: some value and no suppressed year.

    Counts and amounts are compared with the comparison group's mean only: the region and the country are of
    another size altogether.
    """
    levels = ("GM", "VG", "SW") if ind.eenheid in SIZE_UNITS else ("GM", "JZ", "PV", "NL", "VG", "SW")
    rows = []
    for i, key in enumerate(keys):
        values = [cells.get(key, y) for y in years]
        if key.region.niveau in levels and SUPPRESSED not in values and any(v is not None for v in values):
            rows.append((main.first_row + i, key.region.niveau, key.soort))
    return rows


@dataclass
class _Rank:
    table: TableRef
    niveaus: list[str]
    value_col: int

    @property
    def last_row(self) -> int:
        return self.table.last_row

    @property
    def last_col(self) -> int:
        return self.table.last_col


def _ranking(sheet, ind, keys, cells: _Cells, fmt, header_row, col) -> _Rank | None:
    """Published wijken of the latest year with wijk figures from high to low (with gemeente and NL for rates),
    beside the matrix, below its header row: the one repeated print-title row holds the matrix's header only."""
    soort = "realisatie" if any(k.soort == "realisatie" for k in keys) else keys[0].soort
    chosen = [k for k in keys if k.soort == soort]
    wijk_years = [j for (code, s, j), r in cells.rows.items()
                  if s == soort and r.niveau == "WK" and not r.onderdrukt and not pd.isna(r.waarde)]
    if not wijk_years:
        return None
    jaar = max(wijk_years)
    published = [k for k in chosen if k.region.niveau == "WK" and isinstance(cells.get(k, jaar), float)]
    published.sort(key=lambda k: -cells.get(k, jaar))
    refs = [k for k in chosen if k.region.niveau in REFERENCE_LEVELS and isinstance(cells.get(k, jaar), float)]
    entries = published + (refs if ind.eenheid not in SIZE_UNITS else [])
    with_ci = any(isinstance(cells.get(k, jaar, "ci_laag"), float) for k in entries)
    cols = [Col("Regio"), Col(f"Waarde {jaar}", fmt)]
    cols += [Col("95%-BI laag", fmt), Col("95%-BI hoog", fmt)] if with_ci else []
    rows = [[k.region.naam, cells.get(k, jaar)] + ([cells.get(k, jaar, "ci_laag"), cells.get(k, jaar, "ci_hoog")]
                                                   if with_ci else []) for k in entries]
    kind = f" ({soort})" if soort else ""
    left_out = sum(1 for k in chosen if k.region.niveau == "WK" and k not in published)
    note = f" ({left_out} zonder gepubliceerd cijfer)" if left_out else ""
    # Title above the matrix's header row and table below it: the header row is repeated on every printed page,
    # so nothing of the ranking may stand in it (it would head an overflow page as a stray title).
    put(sheet.ws.cell(header_row - 1, col), f"Wijken in {jaar}{kind}, hoog naar laag{note}")
    sheet.ws.cell(header_row - 1, col).font = font(bold=True)
    table = sheet.table("Rangorde", cols, rows, at=(header_row + 1, col),
                        emphasis=[LEVEL_EMPHASIS.get(k.region.niveau) for k in entries])
    return _Rank(table, [k.region.niveau for k in entries], col + 1)


NO_CHART = ("Geen grafiek: er is geen gepubliceerd cijfer om te tekenen (niet geleverd of om privacyredenen niet "
            "gepubliceerd).")
CHART_BLOCK_COL = 120  # hidden columns (DP onwards) that hold the charted rows with blanks, not dashes


def _chart_block(sheet, keys, main: TableRef, years, cells: _Cells, trend_rows, fmt) -> tuple[int, int]:
    """Copy the charted rows into hidden columns, on the same sheet rows, with a blank where the table shows the
    dash: a chart draws a text cell as zero, a blank as a gap. Returns the first and last year column."""
    ws = sheet.ws
    first = CHART_BLOCK_COL + 1
    put(ws.cell(main.header_row, CHART_BLOCK_COL), "Grafiekgegevens")
    for j, year in enumerate(years):
        put(ws.cell(main.header_row, first + j), str(year))
    for row, _niveau, _soort in trend_rows:
        key = keys[row - main.first_row]
        put(ws.cell(row, CHART_BLOCK_COL), key.region.naam + (f" ({key.soort})" if key.soort else ""))
        for j, year in enumerate(years):
            value = cells.get(key, year)
            if isinstance(value, float):
                put(ws.cell(row, first + j), value, fmt)
    for col in range(CHART_BLOCK_COL, first + len(years)):
        ws.column_dimensions[get_column_letter(col)].hidden = True
    return first, first + len(years) - 1


def _charts(sheet, ind, main: TableRef, year_cols, trend_rows, rank: _Rank | None, fmt) -> None:
    """The trend chart under the value table and the ranking chart under the ranking, side by side."""
    if not trend_rows and rank is None:
        sheet.text(NO_CHART, italic=True)
        return
    ws = sheet.ws
    anchor = sheet.row
    heights = [0.0]
    demo, gemeente = sheet.book.is_demo, sheet.book.gemeente_naam
    if trend_rows:
        chart = charts.trend(ws, main.header_row, year_cols[0], year_cols[1], trend_rows,
                             f"{ind.naam}, {gemeente}", fmt, demo, label_first=CHART_BLOCK_COL)
        chart.width, chart.height = max(MIN_CHART_CM, sheet.span_cm(1, main.last_col)), 10
        sheet.add_chart(chart, anchor, 1)
        heights.append(chart.height)
    if rank is not None:
        first = rank.table.first_col
        chart = charts.ranking(ws, rank.table.first_row, rank.table.last_row, first, rank.value_col, rank.niveaus,
                               f"{ind.naam} per wijk, {gemeente}", fmt, demo)
        chart.width = max(MIN_CHART_CM, sheet.span_cm(first, rank.last_col))
        bars = len(rank.niveaus)
        chart.height = max(10.0, 4 + (0.8 if bars <= 20 else 0.45) * bars)  # big gemeenten: thinner bars
        sheet.add_chart(chart, anchor, first)
        heights.append(chart.height)
    rows = int(max(heights) * ROWS_PER_CM) + 1
    sheet.keep_together(anchor, anchor + rows)
    sheet.row = anchor + rows + 1

