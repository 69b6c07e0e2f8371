"""The council workbook, read back with openpyxl and checked against the store, the privacy rules and LibreOffice."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

import store
from common import nl
from indicators import models, refresh
from reports.excel import ReportError, build_workbook

GM = "GM9999"
INJECTED = '=HYPERLINK("http://x","y")'
FIXED_SHEETS = ("Voorblad", "Samenvatting", "Verwacht gebruik", "Modelkaart", "Definities", "Duiding", "Privacy")


@pytest.fixture(scope="module")
def content(demo_db) -> bytes:
    con = store.connect(demo_db, read_only=True)
    try:
        return build_workbook(con, GM)
    finally:
        con.close()


@pytest.fixture(scope="module")
def book(content):
    return openpyxl.load_workbook(io.BytesIO(content))


@pytest.fixture(scope="module")
def published(demo_db):
    """indicator_values of the gemeente, its wijken and its benchmarks, as the indicator layer published them."""
    con = store.connect(demo_db, read_only=True)
    try:
        return con.execute(
            "SELECT indicator_id, regio_code, regio_naam, niveau, jaar, soort, waarde, onderdrukt "
            "FROM indicator_values WHERE periode = CAST(jaar AS VARCHAR) "
            "AND (gemeente_code = ? OR niveau IN ('JZ', 'PV', 'NL', 'VG'))",
            [GM],
        ).df()
    finally:
        con.close()


def indicator_sheets(book) -> dict[str, str]:
    """indicator id -> sheet name, from the links on the Definities sheet."""
    header, rows = next(table_cells(book["Definities"], "Definities"))
    code = header.index("Code")
    return {row[code].value: row[0].hyperlink.location.rsplit("!", 1)[0].strip("'")
            for row in rows if row[0].hyperlink is not None}


def table_cells(ws, name_prefix: str):
    """(header, rows) of every table on the sheet whose name starts with the prefix."""
    for name, ref in ws.tables.items():
        if not name.startswith(name_prefix):
            continue
        min_col, min_row, max_col, max_row = openpyxl.utils.cell.range_boundaries(ref)
        rows = [[ws.cell(r, c) for c in range(min_col, max_col + 1)] for r in range(min_row, max_row + 1)]
        yield [c.value for c in rows[0]], rows[1:]


def test_sheets_are_dutch_valid_and_cover_every_indicator_with_data(book, published):
    names = book.sheetnames
    assert names[:2] == ["Voorblad", "Samenvatting"] and names[-3:] == ["Definities", "Duiding", "Privacy"]
    for name in names:
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
        assert book[name].sheet_state == "visible"
    with_data = set(published.loc[published["niveau"].isin(["WK", "GM"])
                                  & (published["waarde"].notna() | published["onderdrukt"]), "indicator_id"])
    sheets = indicator_sheets(book)
    assert set(sheets) == with_data
    assert len(names) == len(FIXED_SHEETS) + len(with_data)


def test_values_are_the_published_values(book, published):
    """Every cell of every 'Waarde' table equals indicator_values: the number, or the marker where suppressed."""
    by_key = {(r.indicator_id, r.regio_naam, r.soort, r.jaar): r for r in published.itertuples(index=False)}
    checked = suppressed = 0
    targets = {}
    for indicator_id, sheet in indicator_sheets(book).items():
        for header, rows in table_cells(book[sheet], "Waarde"):
            years = [(i, int(h)) for i, h in enumerate(header) if str(h).isdigit()]
            has_soort = header[1] == "Soort"
            for row in rows:
                soort = row[1].value if has_soort else ""
                if row[0].value == "Streefwaarde gemeente":
                    targets[indicator_id] = {year: row[i].value for i, year in years if row[i].value != nl.MISSING}
                    continue
                for i, year in years:
                    expected = by_key.get((indicator_id, row[0].value, soort, year))
                    value = row[i].value
                    if expected is None or (not expected.onderdrukt and math.isnan(expected.waarde)):
                        assert value == nl.MISSING, (sheet, row[0].value, year)  # the explained dash, no blank
                    elif expected.onderdrukt:
                        assert value == nl.MARKER, (sheet, row[0].value, year)
                        suppressed += 1
                    else:
                        assert isinstance(value, (int, float)), (sheet, row[0].value, year)
                        assert value == pytest.approx(expected.waarde), (sheet, row[0].value, year)
                        checked += 1
    assert checked > 500 and suppressed > 50
    assert targets["jeugdhulp_pct"] == {2025: 10.5}
    assert targets["wachttijd_binnen_norm_pct"] == {2025: 90.0}
    assert "preventief_budget_aandeel_pct" not in targets  # its targets (2027, 2030) lie after the report year


def test_number_formats_and_numbers_are_numbers(book):
    sheets = indicator_sheets(book)
    expected = {"jeugdhulp_pct": '0.0"%"', "clienten_aantal": "#,##0", "jeugdbudget_totaal_eur": '"€" #,##0',
                "trajecten_per_client": "#,##0.0", "wachttijd_mediaan_dagen": "#,##0"}
    for indicator_id, fmt in expected.items():
        header, rows = next(table_cells(book[sheets[indicator_id]], "Waarde"))
        numbers = [c for row in rows for c in row[1:] if isinstance(c.value, (int, float))]
        assert numbers and all(c.number_format == fmt for c in numbers), indicator_id
        assert not any(isinstance(c.value, str) and re.fullmatch(r"[\d.,%€ ]+", c.value) for row in rows for c in row)
    teller = next(table_cells(book[sheets["jeugdhulp_pct"]], "Teller"))[1]
    assert {c.number_format for row in teller for c in row[1:] if isinstance(c.value, (int, float))} == {"#,##0"}
    formats = {c.number_format for row in book["Samenvatting"].iter_rows() for c in row
               if isinstance(c.value, (int, float))}
    assert '+0.0" %-punt";-0.0" %-punt";0.0" %-punt"' in formats and '+0.0"%";-0.0"%";0.0"%"' in formats


def test_every_indicator_sheet_has_a_native_chart_or_says_why_not(book):
    from reports.indicator_sheet import NO_CHART

    charted = 0
    for sheet in indicator_sheets(book).values():
        texts = {c.value for row in book[sheet].iter_rows() for c in row if isinstance(c.value, str)}
        assert book[sheet]._charts or NO_CHART in texts, sheet
        charted += bool(book[sheet]._charts)
    assert charted >= 10


def test_workbook_is_ready_to_use(book):
    table_names = []
    for ws in book.worksheets:
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.orientation == "landscape"
        assert ws.print_title_rows
        table_names += list(ws.tables)
        if ws.title == "Voorblad":
            assert ws.print_title_rows == "$1:$2" and ws.freeze_panes is None
        elif ws.tables:
            header_row = int(ws.print_title_rows.split(":")[0].strip("$"))
            assert ws.freeze_panes == f"B{header_row + 1}"
            assert ws.cell(header_row, 1).value in ("Regio", "Indicator", "Wijk", "Onderdeel")
            widths = [d.width for d in ws.column_dimensions.values() if d.width]
            assert widths and min(widths) >= 8
    assert len(table_names) == len({t.lower() for t in table_names}) > 40


def test_demo_notice_on_every_sheet_and_chart(book, content):
    for ws in book.worksheets:
        assert ws["A2"].value == nl.DEMO_NOTICE
        assert ws.oddHeader.center.text == nl.DEMO_NOTICE
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert charts and all(nl.DEMO_NOTICE in z.read(n).decode() for n in charts)


RAW_STATISTICS = {
    "clienten_aantal": "count(DISTINCT client_id) FILTER (WHERE active)",
    "trajecten_per_client": "count(*) FILTER (WHERE active) / count(DISTINCT client_id) FILTER (WHERE active)",
    "wachttijd_mediaan_dagen": "quantile_cont(startdatum - aanmelddatum, 0.5) FILTER (WHERE started)",
    "wachttijd_p80_dagen": "quantile_cont(startdatum - aanmelddatum, 0.8) FILTER (WHERE started)",
    "trajectduur_mediaan_dagen": "quantile_cont(einddatum - startdatum, 0.5) FILTER (WHERE ended)",
    "verwijzer_huisarts_pct": "100.0 * count(*) FILTER (WHERE started AND verwijzer = 'huisarts') "
                              "/ count(*) FILTER (WHERE started)",
    "verwijzer_gemeentelijke_toegang_pct": "100.0 * count(*) FILTER (WHERE started AND verwijzer = "
                                           "'gemeentelijke_toegang') / count(*) FILTER (WHERE started)",
}


def _raw(con, indicator_id: str) -> list[tuple[bool, float | None, float]]:
    """(onderdrukt, published waarde, value recomputed from the raw trajecten) per wijk and year."""
    return con.execute(
        f"""
        WITH years AS (SELECT DISTINCT jaar FROM indicator_values),
        t AS (
            SELECT t.*, y.jaar,
                   t.startdatum <= make_date(y.jaar, 12, 31)
                       AND (t.einddatum IS NULL OR t.einddatum >= make_date(y.jaar, 1, 1)) AS active,
                   year(t.startdatum) = y.jaar AS started,
                   year(t.einddatum) = y.jaar AS ended
            FROM trajecten t, years y
        )
        SELECT v.onderdrukt, v.waarde, {RAW_STATISTICS[indicator_id]} FROM t
        JOIN indicator_values v ON v.regio_code = t.wijk_code AND v.jaar = t.jaar AND v.periode = CAST(t.jaar AS TEXT)
        WHERE v.indicator_id = ? AND v.niveau = 'WK'
        GROUP BY t.wijk_code, t.jaar, v.onderdrukt, v.waarde
        """,
        [indicator_id],
    ).fetchall()


def _raw_suppressed(con) -> list[float]:
    """The values the indicator layer withheld for the demo's wijken, recomputed from the raw trajecten table.

    The same recomputation must give the published value of every published wijk, or it proves nothing.
    """
    withheld = []
    for indicator_id in RAW_STATISTICS:
        for onderdrukt, waarde, raw in _raw(con, indicator_id):
            if onderdrukt and raw is not None:
                withheld.append(raw)
            elif waarde is not None:
                assert raw == pytest.approx(waarde), indicator_id
    return withheld


def test_suppressed_values_appear_nowhere(demo_db, content, book, published):
    """No cell, chart or other part of the file holds a value the indicator layer withheld."""
    con = store.connect(demo_db, read_only=True)
    try:
        raw = _raw_suppressed(con)
    finally:
        con.close()
    public = {round(v, 9) for v in published["waarde"].dropna()}
    telling = [v for v in raw if not float(v).is_integer() and round(v, 9) not in public]
    assert len(telling) > 20
    numbers = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row
               if isinstance(c.value, (int, float))]
    for value in telling:
        assert not any(math.isclose(value, n, rel_tol=1e-9) for n in numbers), value
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        parts = {n: z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")}
    for name, xml in parts.items():
        if name.startswith("xl/charts/"):
            assert "numCache" not in xml and "numLit" not in xml and "strCache" not in xml, name
    for value in telling:
        assert not any(f">{float(value)!r}<" in xml for xml in parts.values()), value
    workbook_xml = parts["xl/workbook.xml"]
    assert 'state="hidden"' not in workbook_xml and 'state="veryHidden"' not in workbook_xml
    assert set(re.findall(r'<definedName name="([^"]+)"', workbook_xml)) <= {"_xlnm.Print_Titles"}


def test_text_from_input_is_never_a_formula(demo_db, tmp_path):
    path = tmp_path / "injected.duckdb"
    shutil.copy(demo_db, path)
    con = store.connect(path)
    try:
        con.execute("UPDATE regions SET name = ? WHERE code = 'WK999903'", [INJECTED])
        con.execute("UPDATE load_log SET file_name = ? WHERE file_name = 'normen.csv'", ["@SUM(1+1)*cmd|' /C calc'!A0"])
        con.execute("INSERT INTO duiding (wijk_code, indicator_id, jaar, datum, tekst) VALUES "
                    "('WK999901', 'jeugdhulp_pct', 2024, DATE '2025-02-11', ?), "
                    "('WK999902', 'clienten_aantal', 2024, DATE '2025-02-12', ?)", [INJECTED, "-2+3 volgens het team"])
        refresh(con)
        content = build_workbook(con, GM)
    finally:
        con.close()
    book = openpyxl.load_workbook(io.BytesIO(content))
    texts = {INJECTED: 0, "@SUM(1+1)*cmd|' /C calc'!A0": 0, "-2+3 volgens het team": 0}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in texts:
                    texts[cell.value] += 1
                    assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate)
    assert texts[INJECTED] > 30 and all(texts.values()), texts
    assert book["Duiding"].max_row > 5
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)


def test_default_year_and_chosen_year(demo_db, book):
    assert book["Samenvatting"]["A1"].value == "Samenvatting 2025: Voorbeeldstad (fictief)"
    con = store.connect(demo_db, read_only=True)
    try:
        older = openpyxl.load_workbook(io.BytesIO(build_workbook(con, GM, 2022)))
        with pytest.raises(ReportError, match="geen cijfers voor Voorbeeldstad"):
            build_workbook(con, GM, 2031)
        with pytest.raises(ReportError, match="Onbekende gemeente: GM0001"):
            build_workbook(con, "GM0001")
    finally:
        con.close()
    assert older["Samenvatting"]["A1"].value.startswith("Samenvatting 2022")
    header, _ = next(table_cells(older[indicator_sheets(older)["clienten_aantal"]], "Waarde"))
    assert header[-1] == "2022"


def test_without_demo_data_there_is_no_demo_notice(demo_db, tmp_path):
    path = tmp_path / "real.duckdb"
    shutil.copy(demo_db, path)
    con = store.connect(path)
    try:
        con.execute("UPDATE load_log SET is_demo = false")
        content = build_workbook(con, GM)
    finally:
        con.close()
    assert nl.DEMO_NOTICE.encode() not in content
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert not any(nl.DEMO_NOTICE in z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_pdf_with_libreoffice(content, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is niet geïnstalleerd, dus de PDF-omzetting kan niet getest worden")
    source = tmp_path / "raadsrapportage.xlsx"
    source.write_bytes(content)
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'lo_profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=240,
    )
    pdf = tmp_path / "raadsrapportage.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 50_000


def test_expected_use_sheet_holds_the_published_figures_three_maps_and_the_model_card(book, demo_db):
    con = store.connect(demo_db, read_only=True)
    try:
        frame = models.vergelijking(con, gemeente="GM9999", jaar=2024).set_index("regio_naam")
    finally:
        con.close()
    sheet = book["Verwacht gebruik"]
    header, rows = next(table_cells(sheet, "Verwacht"))
    got = {row[0].value: [c.value for c in row] for row in rows}
    assert set(got) == set(frame.index)
    for naam, values in got.items():
        assert values[header.index("Verwacht")] == pytest.approx(frame.loc[naam, "verwacht"])
        assert values[header.index("Oordeel")] == frame.loc[naam, "oordeel"]
    assert got["Oosterpark (fictief)"][header.index("Oordeel")] == "lager dan verwacht"
    assert len(sheet._images) == 3
    card_header, card_rows = next(table_cells(book["Modelkaart"], "Modelkaart"))
    card = {row[0].value: row[1].value for row in card_rows}
    assert card["Jaar"] == "2024" and card["Wijken in het model"].startswith("110 wijken")
    assert "alpha" in card["Spreiding"]
