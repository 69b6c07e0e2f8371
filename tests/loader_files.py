"""Small input files written by the tests, in the formats users bring."""

from __future__ import annotations

from pathlib import Path

import openpyxl

REGIOS = """regio_code;regio_naam;niveau;ouder_code;vergelijkingsgroep
NL01;Nederland;NL;;
PV26;Utrecht;PV;NL01;
JZ13;Jeugdregio Test;JZ;PV26;
GM0001;Testgemeente;GM;JZ13|PV26;50.000-100.000 inwoners
WK000101;Noord;WK;GM0001;
WK000102;Zuid;WK;GM0001;
"""

TRAJECTEN_HEADER = "client_id;wijk_code;aanmelddatum;startdatum;einddatum;productcategorie;verwijzer;huishouden_id"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(folder: Path, name: str, rows: list[list], sheet: str = "Blad1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    path = folder / name
    wb.save(path)
    return path


def with_regions(con, folder: Path):
    from loaders import load_file

    report = load_file(con, write(folder, "regios.csv", REGIOS), refresh=False)
    assert not report.refused, report.lines()
    return report
