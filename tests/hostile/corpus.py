"""A seeded corpus of hostile input files, written at test time, each with the exact answer the loader must give.

Every case is one file (or path) plus what must come back: `refused` (the exact Dutch lines; the database unchanged)
or `rejected` (the exact lines for the rejected rows, and how many rows load). Honest filler rows around the hostile
ones are drawn from a seeded generator, so the bad row sits at a different place than a hand-written test would put it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import openpyxl

SEED = 20261126
TRAJECTEN = "client_id;wijk_code;aanmelddatum;startdatum;einddatum;productcategorie;verwijzer;aanbieder"
BEVOLKING = "regio_code;jaar;leeftijd_van;leeftijd_tot;aantal"
# The base database: these regions, and 50 children aged 0-17 in WK000101 in 2024.
REGIOS = """regio_code;regio_naam;niveau;ouder_code
NL01;Nederland;NL;
PV26;Utrecht;PV;NL01
JZ13;Jeugdregio Test;JZ;PV26
GM0001;Testgemeente;GM;JZ13|PV26
WK000101;Noord;WK;GM0001
WK000102;Zuid;WK;GM0001
"""
POPULATION = BEVOLKING + "\nWK000101;2024;0;17;50\nWK000102;2024;0;17;40\nGM0001;2024;0;17;90\n"


@dataclass
class Case:
    name: str
    file: str
    write: Callable[[Path], None]
    refused: list[str] | None = None          # exact problem lines of a refused file
    rejected: list[str] = field(default_factory=list)  # exact problem lines of rejected rows
    accepted: int | None = None                # rows loaded (for a file that loads)
    options: dict = field(default_factory=dict)
    cli: bool = False                          # also run through `python -m loaders load`

    def path(self, folder: Path) -> Path:
        return folder / self.file


class Filler:
    """Honest trajectory rows from a seeded generator."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.number = 0

    def trajecten(self, count: int) -> list[str]:
        rows = []
        for _ in range(count):
            self.number += 1
            start = dt.date(2023, 1, 1) + dt.timedelta(days=self.rng.randrange(300))
            wait = self.rng.randrange(0, 40)
            wijk = self.rng.choice(["WK000101", "WK000102"])
            cat = self.rng.choice(["basishulp", "jeugdhulp_ambulant", "jeugd_ggz"])
            rows.append(f"F{self.number};{wijk};{start.isoformat()};{(start + dt.timedelta(days=wait)).isoformat()};;"
                        f"{cat};huisarts;Zorg BV")
        return rows


def _text(text: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(text.encode(encoding))


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _with_bad_rows(filler: Filler, rng: random.Random, header: str, bad: list[str], fill: int = 6):
    """The bad rows at seeded places among honest filler rows; returns (text, the file row number of each bad row)."""
    rows = filler.trajecten(fill) if header == TRAJECTEN else []
    places = sorted(rng.sample(range(len(rows) + len(bad)), len(bad)))
    for place, row in zip(places, bad):
        rows.insert(place, row)
    numbers = [rows.index(row) + 2 for row in bad]
    return header + "\n" + "\n".join(rows) + "\n", numbers, len(rows) - len(bad)


def _xlsx(rows: list[list], edit: Callable[[str], str] | None = None) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Blad1"
        for row in rows:
            ws.append(row)
        buffer = io.BytesIO()
        wb.save(buffer)
        data = buffer.getvalue()
        if edit is not None:
            data = _edit_zip(data, "xl/worksheets/sheet1.xml", edit)
        path.write_bytes(data)

    return write


def _edit_zip(data: bytes, member: str, edit: Callable[[str], str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == member:
                content = edit(content.decode("utf-8")).encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "in_de_map.csv").write_text("a;b\n1;2\n", encoding="utf-8")


TRAJECT_XLSX_HEADER = ["client_id", "wijk_code", "aanmelddatum", "startdatum", "einddatum", "productcategorie"]


def build(seed: int = SEED) -> list[Case]:
    rng = random.Random(seed)
    filler = Filler(seed)
    cases: list[Case] = []

    def rows_case(name: str, file: str, header: str, bad: list[str], messages: list[tuple[int, str]],
                  cli: bool = False, **options) -> None:
        """`messages`: (index into `bad`, 'kolom X: reason') for each expected problem line."""
        text, numbers, good = _with_bad_rows(filler, rng, header, bad)
        lines = sorted(((numbers[i], f"{file}, rij {numbers[i]}, {m}") for i, m in messages), key=lambda x: x[0])
        rejected_rows = len({i for i, _ in messages})
        cases.append(Case(name, file, _text(text), rejected=[line for _, line in lines],
                          accepted=good + len(bad) - rejected_rows, options=options, cli=cli))

    # --- the file as a whole: type, size, encoding, shape -------------------------------------------------------
    cases += [
        Case("folder given as the file", "map", _folder, refused=[
            "map: dit is een map, geen bestand; geef de bestanden in de map afzonderlijk op."], cli=True),
        Case("named pipe", "pijp.csv", _fifo, refused=[
            "pijp.csv: dit is geen gewoon bestand (maar bijvoorbeeld een pipe of apparaat); sla de gegevens eerst "
            "op in een bestand."], cli=True),
        Case("UTF-32", "t.csv", _text(TRAJECTEN + "\n", "utf-32"), refused=[
            "t.csv: het bestand is in UTF-32 opgeslagen; sla het op als UTF-8 of UTF-16."]),
        Case("binary with a NUL", "t.csv", _bytes(b"client_id;wijk\x00\x01\x02" * 50), refused=[
            "t.csv: dit is geen tabel (CSV, Excel of JSON) maar een binair bestand."]),
        Case("bytes no encoding reads", "t.csv", _bytes(b"regio_code;jaar\n\x81\x8d\x8f;2024\n"), refused=[
            "t.csv: onleesbare tekstcodering (verwacht UTF-8, UTF-16 of Windows-1252)."]),
        Case("only whitespace", "t.csv", _text(" \n\t\n  \r\n"), refused=["t.csv: het bestand is leeg."]),
        Case("header only, with a BOM", "t.csv", _text("\ufeff" + BEVOLKING + "\n"), refused=[
            "t.csv: het bestand heeft een kopregel maar geen gegevens."]),
    ]
    utf8_lines = rng.randrange(3, 9)
    cases += [
        Case("UTF-8 then Windows-1252", "gemengd.csv",
             _bytes(("regio_naam;x\nZuidoost é;1\n" + "Noord;2\n" * utf8_lines).encode("utf-8")
                    + "Café;3\n".encode("cp1252")),
             refused=[f"gemengd.csv, rij {utf8_lines + 3}: de tekstcodering wisselt hier van UTF-8 naar Windows-1252; "
                      "sla het bestand in één codering op (bij voorkeur UTF-8)."], cli=True),
        Case("Windows-1252 then UTF-8", "gemengd2.csv",
             _bytes("regio_naam;x\nCafé;1\n".encode("cp1252") + ("Noord;2\n" * utf8_lines).encode("utf-8")
                    + "Zuidoost é;3\n".encode("utf-8")),
             refused=[f"gemengd2.csv, rij {utf8_lines + 3}: de tekstcodering wisselt hier van Windows-1252 naar "
                      "UTF-8; sla het bestand in één codering op (bij voorkeur UTF-8)."]),
        Case("100,000 columns", "breed.csv", _text(";".join(f"k{i}" for i in range(100_000)) + "\n" +
                                                   ";".join("1" for _ in range(100_000)) + "\n"),
             refused=["breed.csv, rij 1: 100.000 kolommen; de Jeugdmonitor leest hoogstens 2.000 kolommen."], cli=True),
        Case("a header line of more than 1 MB", "lang.csv", _text("a;" + "x" * (1 << 21) + "\n1;2\n"),
             refused=["lang.csv, rij 1: de kopregel is langer dan 1 MB; dit is geen tabel die de Jeugdmonitor kan "
                      "lezen."]),
        Case("client_id twice", "dubbel.csv", _text(TRAJECTEN + ";client_id\n" + filler.trajecten(1)[0] + ";X9\n"),
             refused=["dubbel.csv, rij 1: de kolom 'client_id' komt twee keer voor."], cli=True),
        Case("the same column in other case and spaces", "dubbel2.csv",
             _text(BEVOLKING + "; Aantal \nWK000101;2024;0;17;5;6\n"),
             refused=["dubbel2.csv, rij 1: de kolom 'Aantal' komt twee keer voor."]),
        Case("wijk and wijk_code both", "botsing.csv",
             _text(TRAJECTEN + ";wijk\n" + filler.trajecten(1)[0] + ";WK000102\n"),
             refused=["botsing.csv, rij 1: de kolommen 'wijk_code' en 'wijk' betekenen allebei 'wijk_code'; laat er "
                      "één staan."], cli=True),
        Case("clientnummer and bsn_hash both", "botsing2.csv",
             _text(TRAJECTEN.replace("client_id", "clientnummer") + ";bsn_hash\n" + filler.trajecten(1)[0] + ";h\n"),
             refused=["botsing2.csv, rij 1: de kolommen 'clientnummer' en 'bsn_hash' betekenen allebei 'client_id'; "
                      "laat er één staan."]),
    ]
    cases += [
        Case("a quote that never closes", "quote.csv", _text(BEVOLKING + '\nWK000101;2024;0;17;"5\nWK000102;2024;0;17;6\n'),
             refused=["quote.csv: het bestand is geen leesbare tabel."]),
        Case("a symlink loop", "lus.csv", _symlink_loop, refused=[
            "lus.csv: dit bestand kan niet worden geopend (het pad klopt niet)."]),
    ]
    # --- JSON ----------------------------------------------------------------------------------------------------
    depth = 100_000
    cases += [
        Case("100,000 nested brackets", "diep.json", _text("[" * depth + "]" * depth),
             refused=["diep.json: de JSON is 100.000 niveaus diep genest; de Jeugdmonitor leest hoogstens 64 "
                      "niveaus."], cli=True),
        Case("nested objects in strings do not count", "records.json",
             _text(json.dumps({"value": [{"regio_code": "WK000101", "jaar": 2024, "leeftijd_van": 0,
                                          "leeftijd_tot": 17, "aantal": 7, "bron": "[[[[{{{{" * 30}]})),
             accepted=1, options={"kind": "bevolking"}),
        Case("an integer of 5,000 digits", "groot.json", _text('[{"regio_code": "WK000101", "aantal": ' + "9" * 5000
                                                               + "}]"),
             refused=["groot.json: ongeldige JSON (een getal met te veel cijfers)."]),
        Case("a key twice in one JSON object", "sleutel.json",
             _text('[{"regio_code": "WK000101", "aantal": 5, "aantal": 500000}]'),
             refused=["sleutel.json: de sleutel 'aantal' komt twee keer voor in één JSON-object."]),
        Case("an old .xls or a workbook with a password", "oud.xls",
             _bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)),
             refused=["oud.xls: dit is een oud Excel-bestand (.xls) of een werkmap met een wachtwoord; sla het op als "
                      ".xlsx zonder wachtwoord, of als CSV."]),
        Case("a CBS file whose --meta is a folder", "kwb_meta.csv",
             _text("WijkenEnBuurten;Perioden;AantalInwoners_5\nWK000101;2024JJ00;5\n"),
             options={"meta": "/"}, refused=["kwb_meta.csv: het metadatabestand is niet te lezen: /: dit is een map, "
                                              "geen bestand; geef de bestanden in de map afzonderlijk op."]),
        Case("Infinity and NaN literals in JSON", "getallen.json",
             _text('[{"regio_code": "WK000101", "jaar": 2024, "leeftijd_van": 0, "leeftijd_tot": 17, '
                   '"aantal": Infinity}, {"regio_code": "WK000101", "jaar": 2023, "leeftijd_van": 0, '
                   '"leeftijd_tot": 17, "aantal": NaN}, {"regio_code": "WK000101", "jaar": 2022, "leeftijd_van": 0, '
                   '"leeftijd_tot": 17, "aantal": 1e999}, {"regio_code": "WK000101", "jaar": 2021, '
                   '"leeftijd_van": 0, "leeftijd_tot": 17, "aantal": {"x": 1}}]'),
             rejected=["getallen.json, rij 1, kolom aantal: 'inf' is geen eindig getal",
                       "getallen.json, rij 2, kolom aantal: verplichte waarde ontbreekt",
                       "getallen.json, rij 3, kolom aantal: 'inf' is geen eindig getal",
                       "getallen.json, rij 4, kolom aantal: '{\"x\": 1}' is geen geheel getal"], accepted=0),
        Case("broken JSON", "kapot.json", _text('{"value": [\n{"a": 1},\n{"a": }\n]}'),
             refused=["kapot.json: ongeldige JSON (regel 3)."]),
    ]
    # --- Excel ---------------------------------------------------------------------------------------------------
    formula_row = rng.randrange(3, 7)
    xl_rows = [TRAJECT_XLSX_HEADER] + [
        [f"X{i}", "WK000101", dt.datetime(2023, 3, 1), dt.datetime(2023, 3, 8), None, "basishulp"]
        for i in range(2, 8)]
    xl_rows[formula_row - 1][3] = f"=C{formula_row}+7"
    cases.append(Case("formula without a stored value", "formule.xlsx", _xlsx(xl_rows), refused=[
        f"formule.xlsx, rij {formula_row}, kolom startdatum: cel D{formula_row} bevat een formule zonder opgeslagen "
        "uitkomst; open het bestand in Excel of LibreOffice, sla het op en laad het opnieuw."], cli=True))
    plain = [TRAJECT_XLSX_HEADER, ["X1", "WK000101", dt.datetime(2023, 3, 1), dt.datetime(2023, 3, 8),
                                   dt.datetime(9999, 12, 31), "basishulp"]]
    cases += [
        Case("declared dimension A1:XFD1048576", "groot.xlsx",
             _xlsx(plain, lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml)),
             refused=["groot.xlsx: het tabblad zegt 1.048.576 rijen en 16.384 kolommen groot te zijn; de "
                      "Jeugdmonitor leest hoogstens 1.048.576 rijen en 2.000 kolommen."], cli=True),
        Case("declared dimension A1:F1048576 with two rows", "lang.xlsx",
             _xlsx(plain, lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:F1048576"', xml)),
             accepted=1),
        Case("a zip that is no workbook", "zip.xlsx", _zip_without_workbook(), refused=[
            "zip.xlsx: dit Excel-bestand kan niet worden geopend (beschadigd of geen .xlsx)."]),
        Case("a workbook with broken sheet XML", "xml.xlsx",
             _xlsx(plain, lambda xml: xml.replace("<sheetData>", "<sheetData><row><c r=")), refused=[
                 "xml.xlsx: dit Excel-bestand kan niet worden geopend (beschadigd of geen .xlsx)."]),
    ]
    # --- encodings that must load --------------------------------------------------------------------------------
    population_rows = "".join(f"WK000102;{2020 + i};0;17;{rng.randrange(1, 40)}\n" for i in range(3))
    cases += [
        Case("UTF-16 with BOM", "utf16.csv", _text(BEVOLKING + "\n" + population_rows, "utf-16"), accepted=3,
             cli=True),
        Case("UTF-16 big endian without BOM", "utf16be.csv", _text(BEVOLKING + "\n" + population_rows, "utf-16-be"),
             accepted=3),
    ]
    cases += _row_cases(filler, rng, rows_case)
    return cases


def _symlink_loop(path: Path) -> None:
    os.symlink(path, path)


def _zip_without_workbook() -> Callable[[Path], None]:
    def write(path: Path) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as package:
            package.writestr("hallo.txt", "geen werkmap")
        path.write_bytes(buffer.getvalue())

    return write


def _row_cases(filler: Filler, rng: random.Random, rows_case) -> list[Case]:
    """Files that load, with their hostile rows rejected (each with file, row, column and reason)."""
    extra: list[Case] = []
    future = "2150-01-01"
    rows_case("dates out of range and the open end", "datums.csv", TRAJECTEN, [
        "D1;WK000101;2023-02-01;2023-02-03;31-12-9999;basishulp;huisarts;Zorg BV",
        "D2;WK000101;31-12-9999;;;basishulp;huisarts;Zorg BV",
        "D3;WK000101;1-1-1900;;;basishulp;huisarts;Zorg BV",
        f"D4;WK000101;2023-02-01;2023-02-03;{future};basishulp;huisarts;Zorg BV",
        "D5;WK000101;2023-02-01;0001-01-01;;basishulp;huisarts;Zorg BV",
    ], [
        (1, "kolom aanmelddatum: '31-12-9999' is geen echte datum (alleen als einddatum betekent 31-12-9999: geen "
            "einde)"),
        (2, "kolom aanmelddatum: '1-1-1900' ligt vóór 1-1-2000; zo'n vroege datum is niet aannemelijk"),
        (3, f"kolom einddatum: '{future}' ligt na 31-12-2100; zo'n late datum is niet aannemelijk"),
        (4, "kolom startdatum: '0001-01-01' ligt vóór 1-1-2000; zo'n vroege datum is niet aannemelijk"),
    ], cli=True)
    rows_case("a birth year that makes no youngster", "geboorte.csv", TRAJECTEN + ";geboortejaar", [
        "G1;WK000101;2023-02-01;;;basishulp;;Zorg BV;1900", "G2;WK000101;2023-02-01;;;basishulp;;Zorg BV;2010",
        "G3;WK000101;2023-02-01;;;basishulp;;Zorg BV;1800", "G4;WK000101;2023-02-01;;;basishulp;;Zorg BV;2030",
    ], [(0, "kolom geboortejaar: geboortejaar 1900: de jongere zou bij de aanmelding 123 jaar zijn (jeugdhulp loopt "
            "tot 27 jaar)"),
        (2, "kolom geboortejaar: '1800' is kleiner dan 1900"),
        (3, "kolom geboortejaar: geboortejaar ligt na de aanmelddatum")])
    rows_case("non-finite and huge counts", "bevolking.csv", BEVOLKING, [
        "WK000102;2019;0;17;inf", "WK000102;2018;0;17;-inf", "WK000102;2017;0;17;nan",
        "WK000102;2016;0;17;12345678901234567890", "WK000102;2015;0;17;1e999", "WK000102;2014;0;17;21000000",
        "WK000102;2013;0;17;12",
    ], [
        (0, "kolom aantal: 'inf' is geen eindig getal"), (1, "kolom aantal: '-inf' is geen eindig getal"),
        (2, "kolom aantal: 'nan' is geen eindig getal"),
        (3, "kolom aantal: '12345678901234567890' is te groot (meer dan 1.000.000.000.000.000)"),
        (4, "kolom aantal: '1e999' is geen eindig getal"),
        (5, "kolom aantal: '21000000' is groter dan 20.000.000"),
    ])
    rows_case("an age band holding more than the band around it", "banden.csv", BEVOLKING, [
        "WK000102;2022;0;22;100", "WK000102;2022;0;17;120", "WK000102;2022;4;11;50", "WK000102;2021;0;17;120",
    ], [(1, "kolom aantal: aantal 120 voor 0 tot en met 17 jaar is meer dan de 100 voor 0 tot en met 22 jaar in "
            "dezelfde regio en hetzelfde jaar")])
    rows_case("a norm of 1e9 days", "normen.csv", "productcategorie;norm_dagen;soort_dagen", [
        "basishulp;1e9;kalenderdagen", "jeugd_ggz;-1;kalenderdagen", "jeugdhulp_ambulant;42;werkdagen",
    ], [(0, "kolom norm_dagen: '1e9' is groter dan 365"), (1, "kolom norm_dagen: '-1' is negatief")])
    rows_case("a budget of inf", "budget.csv", "jaar;regio_code;soort;bedrag;categorie", [
        "2024;GM0001;realisatie;inf;preventief", "2024;GM0001;begroting;1e12;preventief",
        "2024;GM0001;realisatie;€ 1.234.567,89;individueel_ambulant",
    ], [(0, "kolom bedrag: 'inf' is geen eindig getal"),
        (1, "kolom bedrag: '1e12' is groter dan 100.000.000.000")])
    rows_case("participants above the population", "bereik.csv", "jaar;wijk_code;aanbod;soort;deelnemers", [
        "2024;WK000101;Opvoedcursus;preventief;1000000", "2024;WK000101;Spelinloop;preventief;12",
        "2024;WK000102;Opvoedcursus;preventief;41",
    ], [(0, "kolom deelnemers: 1000000 deelnemers is meer dan de 50 inwoners van 0 tot en met 17 jaar van WK000101 "
            "in 2024"),
        (2, "kolom deelnemers: 41 deelnemers is meer dan de 40 inwoners van 0 tot en met 17 jaar van WK000102 in "
            "2024")])
    rows_case("targets: unknown indicator, a percentage above 100", "streef.csv",
              "indicator_id;regio_code;jaar;waarde", [
                  "bestaat_niet;GM0001;2026;5", "bereik_preventief_pct;GM0001;2026;150",
                  "wachttijd_binnen_norm_pct;GM0001;2026;90", "verwijzer_wijkteam_noord_pct;GM0001;2026;-3",
                  "wachttijd_mediaan_dagen;GM0001;2026;inf",
              ], [
                  (0, "kolom indicator_id: onbekende indicator 'bestaat_niet' (zie python -m indicators list; een "
                      "CBS-cijfer is pas bekend als het CBS-bestand geladen is)"),
                  (1, "kolom waarde: '150' ligt niet tussen 0 en 100 (de indicator is een percentage)"),
                  (3, "kolom waarde: '-3' ligt niet tussen 0 en 100 (de indicator is een percentage)"),
                  (4, "kolom waarde: 'inf' is geen eindig getal"),
              ])
    code_msg = "is geen CBS-regiocode (zoals GM0363, WK036301 of BU03630101)"
    rows_case("region codes that are not CBS codes", "codes.csv", TRAJECTEN, [
        "R1;WK99990\uff11;2023-02-01;;;basishulp;;Zorg BV", "R2;WK1;2023-02-01;;;basishulp;;Zorg BV",
        "R3;ＷK000101;2023-02-01;;;basishulp;;Zorg BV", "R4; wk000102 ;2023-02-01;;;basishulp;;Zorg BV",
    ], [(0, f"kolom wijk_code: 'WK99990\uff11' {code_msg}"), (1, f"kolom wijk_code: 'WK1' {code_msg}"),
        (2, f"kolom wijk_code: 'ＷK000101' {code_msg}")])
    formula = "lijkt een spreadsheetformule; zo'n waarde wordt niet geladen"
    honest = [f"P{i};WK000102;2023-02-01;;;basishulp;;{'x' * 80}" for i in range(60)]  # past the first 4 kB
    bad = ["N1;WK000101;2023-02-01;;;basishulp;;Zorg\x00BV", "N2;WK000101\u200b;2023-02-01;;;basishulp;;Zorg BV",
           "N3;WK000101;2023-02-30;;;basishulp;;Zorg BV"]
    extra.append(Case("a NUL and a zero-width space deep in the file", "nul.csv",
                      _text(TRAJECTEN + "\n" + "\n".join(honest + bad) + "\n"), accepted=60, rejected=[
        "nul.csv, rij 62, kolom aanbieder: de waarde bevat een tab, regeleinde of ander stuurteken; zo'n waarde "
        "wordt niet geladen",
        "nul.csv, rij 63, kolom wijk_code: 'WK000101\u200b' is geen CBS-regiocode (zoals GM0363, WK036301 of "
        "BU03630101)",
        "nul.csv, rij 64, kolom aanmelddatum: '2023-02-30' is geen geldige datum (gebruik 2024-03-15 of 15-3-2024)"]))
    control = "de waarde bevat een tab, regeleinde of ander stuurteken; zo'n waarde wordt niet geladen"
    rows_case("formula text and control characters", "formules.csv", TRAJECTEN, [
        "Q1;WK000101;2023-02-01;;;basishulp;;=1+1", "Q2;WK000101;2023-02-01;;;basishulp;;+cmd|' /C calc'!A0",
        "Q3;WK000101;2023-02-01;;;basishulp;;-2+3", "Q4;WK000101;2023-02-01;;;basishulp;;@SUM(A1)",
        'Q5;WK000101;2023-02-01;;;basishulp;;"Zorg\tBV"', 'Q6;WK000101;2023-02-01;;;basishulp;;"Zorg\rBV"',
        "@Q7;WK000101;2023-02-01;;;basishulp;;Zorg BV", "Q8;WK000101;2023-02-01;;;basishulp;=HUISARTS();Zorg BV",
        "Q9;WK000101;2023-02-01;;;basishulp;;- Zorg -", "Q10;WK000101;2023-02-01;;;basishulp;;+31 6 1234 5678",
    ], [
        (0, f"kolom aanbieder: '=1+1' {formula}"), (1, f"kolom aanbieder: '+cmd|' /C calc'!A0' {formula}"),
        (2, f"kolom aanbieder: '-2+3' {formula}"), (3, f"kolom aanbieder: '@SUM(A1)' {formula}"),
        (4, f"kolom aanbieder: {control}"), (5, f"kolom aanbieder: {control}"),
        (6, f"kolom client_id: '@Q7' {formula}"), (7, f"kolom verwijzer: '=HUISARTS()' {formula}"),
        (8, f"kolom aanbieder: '- Zorg -' {formula}"),
    ])
    rows_case("a region tree with a cycle and a wijk its own parent", "regios.csv",
              "regio_code;regio_naam;niveau;ouder_code", [
                  "WK000103;Oost;WK;WK000103", "WK000104;West;WK;WK000105", "WK000105;Midden;WK;WK000104",
                  "GM0002;Andere;GM;WK000101", "WK000106;=HYPERLINK(\"x\");WK;GM0001", "WK000107;Haven;WK;GM0001",
                  "WK000108;Dorp;WK;GM0001|WK１", "GM0003;Derde;WK;JZ13",
              ], [
                  (0, "kolom ouder_code: een regio kan niet haar eigen ouder zijn (ouder_code is de regio zelf)"),
                  (1, "kolom ouder_code: ouder_code in 'WK000105' ligt niet boven de regio in de indeling "
                      "(NL > PV > JZ > GM > WK > BU); zo ontstaat een kring"),
                  (2, "kolom ouder_code: ouder_code in 'WK000104' ligt niet boven de regio in de indeling "
                      "(NL > PV > JZ > GM > WK > BU); zo ontstaat een kring"),
                  (3, "kolom ouder_code: ouder_code in 'WK000101' ligt niet boven de regio in de indeling "
                      "(NL > PV > JZ > GM > WK > BU); zo ontstaat een kring"),
                  (4, "kolom regio_naam: '=HYPERLINK(\"x\")' " + formula),
                  (6, "kolom ouder_code: ouder_code 'GM0001|WK１' bevat iets dat geen CBS-regiocode is"),
                  (7, "kolom regio_code: code 'GM0003' past niet bij niveau WK"),
              ])
    cbs_msg = ("is geen CBS-regiocode en geen regionaam die de regio-indeling in 2024 kent; laad eerst de "
               "regio-indeling of een bestand met regiocodes")
    rows_case("a CBS file with a formula name, a bad code and inf", "kwb.csv",
              "WijkenEnBuurten;Gemeentenaam_1;Perioden;AantalInwoners_5", [
                  "GM0001;=1+1;2024JJ00;100", "GM12;Twaalf;2024JJ00;5", "WK000101;Testgemeente;2024JJ00;inf",
                  "WK000102;Testgemeente;2024JJ00;60", "WK00010\uff12;Testgemeente;2024JJ00;7",
              ], [
                  (0, f"kolom Gemeentenaam_1: '=1+1' {formula}"),
                  (1, f"kolom WijkenEnBuurten: 'GM12' {cbs_msg}"),
                  (2, "kolom AantalInwoners_5: 'inf' is geen getal en geen CBS-teken (. x -)"),
                  (4, f"kolom WijkenEnBuurten: 'WK00010\uff12' {cbs_msg}"),
              ])
    return extra
