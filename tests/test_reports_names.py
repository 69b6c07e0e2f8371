"""Sheet names Excel accepts, and the year ranges on the Privacy sheet."""

from __future__ import annotations

import io

import openpyxl
from openpyxl import Workbook

from reports.reference import year_ranges
from reports.sheet import Book, unique_sheet_name


def test_sheet_names_are_valid_unique_and_cut_at_a_word():
    used: set[str] = set()
    names = []
    for title in ["Aandeel preventief en collectief in jeugdbudget", "Aandeel preventief en collectief in jeugd",
                  "Wachttijd [dagen]: p80 / mediaan?", "'Geciteerd'", "History", "*", "A" * 40]:
        name = unique_sheet_name(title, used)
        used.add(name.lower())
        names.append(name)
    assert names == ["Aandeel preven. collec. jeugdb.", "Aandeel preven. collec. jeugd", "Wachttijd dagen p80 mediaan",
                     "Geciteerd", "History (2)", "Blad", "A" * 31]


def test_long_titles_become_readable_names_not_fragments():
    used: set[str] = set()
    names = [unique_sheet_name(t, used) or used.add(t) for t in (
        "Personen met een bijstandsuitkering", "Jongeren met jeugdzorg in natura (TypeJeugdzorg T001)")]
    assert names == ["Personen bijstandsuitkering", "Jongeren jeugdzorg natura T001"]


def test_names_survive_a_round_trip_through_excel():
    book = Book(Workbook(), "Voorbeeldstad", is_demo=False)
    book.wb.remove(book.wb.active)
    for title in ["Verwijzer: gecertificeerde instelling", "Verwijzer: gecertificeerde instelling?", "=SUM(A1)"]:
        sheet = book.sheet(title)
        sheet.title(title)
        sheet.finish()
    out = io.BytesIO()
    book.wb.save(out)
    loaded = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert loaded.sheetnames == ["Verwijzer gecert. instelling", "Verwijzer gecert. instel. (2)", "=SUM A1"]
    assert loaded["=SUM A1"]["A1"].value == "=SUM(A1)" and loaded["=SUM A1"]["A1"].data_type == "s"


def test_year_ranges():
    assert year_ranges([2019, 2020, 2021, 2023, 2025, 2024]) == "2019 t/m 2021, 2023 t/m 2025"
    assert year_ranges([2022]) == "2022"
