"""A corpus of bad files: each gets its exact Dutch refusal or rejection, and a refused file changes nothing."""

from __future__ import annotations

import pytest

from loaders import LoadOptions, load_file
from tests.conftest import snapshot
from tests.loader_files import TRAJECTEN_HEADER, with_regions, write

REFUSED = {
    "wrong separator": (
        "t.csv", "client_id|wijk_code|aanmelddatum|productcategorie\nC1|WK000101|2024-01-01|basishulp\n", None,
        ["t.csv, rij 1: geen scheidingsteken gevonden in de kopregel; gebruik puntkomma (;), komma (,) of tab "
         "tussen de kolommen."],
    ),
    "missing required column": (
        "t.csv", "client_id;wijk_code;aanmelddatum\nC1;WK000101;2024-01-01\n", "trajecten",
        ["t.csv: verplichte kolom 'productcategorie' (of categorie, vorm) ontbreekt voor soort trajecten."],
    ),
    "two missing columns at once": (
        "t.csv", "client_id;aanmelddatum\nC1;2024-01-01\n", None,
        ["t.csv: verplichte kolom 'wijk_code' (of wijk) ontbreekt voor soort trajecten.",
         "t.csv: verplichte kolom 'productcategorie' (of categorie, vorm) ontbreekt voor soort trajecten."],
    ),
    "empty file": ("t.csv", "", None, ["t.csv: het bestand is leeg."]),
    "header only": ("t.csv", TRAJECTEN_HEADER + "\n", None,
                    ["t.csv: het bestand heeft een kopregel maar geen gegevens."]),
    "ragged row": ("t.csv", "regio_code;jaar;leeftijd_van;leeftijd_tot;aantal\nGM0001;2024;0;17;5;9;9\n", None,
                   ["t.csv: rijen hebben meer kolommen dan de kopregel."]),
    "unknown kind": ("t.csv", "appel;peer\n1;2\n", None,
                     ["t.csv: de soort bestand is niet te herkennen aan de kolommen (appel, peer); geef de soort op "
                      "met --kind (cbs, cbs-long, trajecten, bereik, bevolking, budget, streefwaarden, normen, "
                      "regios, geo, taakvelden)."]),
    "cbs without period": ("k.csv", "WijkenEnBuurten;AantalInwoners_5\nGM0001    ;100\n", None,
                           ["k.csv: de periode is niet te bepalen (geen kolom Perioden of Peildatum); geef het jaar "
                            "op met --jaar JJJJ, of het CBS-tabelnummer met --table (bijvoorbeeld --table 85618NED)."]),
    "budget without category or taakveld": (
        "b.csv", "jaar;regio_code;soort;bedrag\n2024;GM0001;begroting;5\n", None,
        ["b.csv: een budgetbestand heeft een kolom 'categorie' of 'taakveld' nodig."]),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_refused_file_changes_nothing(con, tmp_path, case):
    name, text, kind, expected = REFUSED[case]
    with_regions(con, tmp_path)
    before = snapshot(con)
    report = load_file(con, write(tmp_path, name, text), LoadOptions(kind=kind))
    assert report.refused
    assert report.problem_lines() == expected
    assert snapshot(con) == before


def test_binary_garbage_refused(con, tmp_path):
    before = snapshot(con)
    path = tmp_path / "foto.csv"
    path.write_bytes(bytes(range(256)) * 8)
    report = load_file(con, path)
    assert report.problem_lines() == ["foto.csv: dit is geen tabel (CSV, Excel of JSON) maar een binair bestand."]
    assert snapshot(con) == before


def test_fake_xlsx_refused(con, tmp_path):
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    report = load_file(con, path)
    assert report.problem_lines() == [
        "kapot.xlsx: dit Excel-bestand kan niet worden geopend (beschadigd of geen .xlsx)."
    ]


ROW_CASES = [
    ("text in a number column", "bevolking.csv",
     "regio_code;jaar;leeftijd_van;leeftijd_tot;aantal\nGM0001;2024;0;17;veel\nGM0001;2023;0;17;10\n",
     ["bevolking.csv, rij 2, kolom aantal: 'veel' is geen geheel getal"]),
    ("negative count", "bevolking.csv",
     "regio_code;jaar;leeftijd_van;leeftijd_tot;aantal\nGM0001;2024;0;17;-4\nGM0001;2023;0;17;10\n",
     ["bevolking.csv, rij 2, kolom aantal: '-4' is negatief"]),
    ("impossible dates", "t.csv",
     TRAJECTEN_HEADER + "\nC1;WK000101;2024-03-10;2024-03-01;;basishulp;;\n"
                        "C2;WK000101;31-2-2024;;;basishulp;;\n"
                        "C3;WK000101;2024-01-01;2024-02-01;2024-01-15;basishulp;;\n"
                        "C4;WK000101;2099-01-01;;;basishulp;;\n"
                        "C5;WK000101;2024-01-01;;;basishulp;;\n",
     ["t.csv, rij 2, kolom startdatum: startdatum (1-3-2024) ligt vóór aanmelddatum (10-3-2024)",
      "t.csv, rij 3, kolom aanmelddatum: '31-2-2024' is geen geldige datum (gebruik 2024-03-15 of 15-3-2024)",
      "t.csv, rij 4, kolom einddatum: einddatum (15-1-2024) ligt vóór startdatum (1-2-2024)",
      "t.csv, rij 5, kolom aanmelddatum: aanmelddatum 1-1-2099 ligt in de toekomst"]),
    ("unknown wijk code", "t.csv",
     TRAJECTEN_HEADER + "\nC1;WK999999;2024-01-01;;;basishulp;;\nC2;WK000101;2024-01-01;;;basishulp;;\n",
     ["t.csv, rij 2, kolom wijk_code: onbekende WK-code 'WK999999' (laad eerst een regio-indeling of CBS-bestand "
      "dat hem noemt)"]),
    ("formula in a text field", "t.csv",
     TRAJECTEN_HEADER.replace("huishouden_id", "aanbieder")
     + '\n=HYPERLINK("http://x.invalid","klik");WK000101;2024-01-01;;;basishulp;;Zorg BV\n'
       "C2;WK000101;2024-01-01;;;basishulp;;@SUM(A1)\nC3;WK000101;2024-01-01;;;basishulp;;Zorg BV\n",
     ["t.csv, rij 2, kolom client_id: '=HYPERLINK(\"http://x.invalid\",\"klik\")' lijkt een spreadsheetformule; zo'n waarde "
      "wordt niet geladen",
      "t.csv, rij 3, kolom aanbieder: '@SUM(A1)' lijkt een spreadsheetformule; zo'n waarde wordt niet geladen"]),
]


@pytest.mark.parametrize("case", ROW_CASES, ids=[c[0] for c in ROW_CASES])
def test_bad_rows_rejected_rest_loads(con, tmp_path, case):
    _, name, text, expected = case
    with_regions(con, tmp_path)
    report = load_file(con, write(tmp_path, name, text), refresh=False)
    assert not report.refused
    assert report.problem_lines() == expected
    assert report.rows_rejected == len({line.split(",")[1] for line in expected})
    assert report.rows_accepted == 1


def test_formula_split_by_separator_is_still_caught(con, tmp_path):
    """A formula containing the separator breaks the row apart; the row is refused, never stored as a formula."""
    with_regions(con, tmp_path)
    load_file(con, write(tmp_path, "t.csv", TRAJECTEN_HEADER.replace("huishouden_id", "aanbieder")
                         + '\nC1;WK000101;2024-01-01;;;basishulp;;=1+1\n'), refresh=False)
    assert con.cursor().execute("SELECT count(*) FROM trajecten WHERE aanbieder LIKE '=%'").fetchall() == [(0,)]


def test_every_problem_of_a_file_reported_at_once(con, tmp_path):
    with_regions(con, tmp_path)
    text = "regio_code;jaar;leeftijd_van;leeftijd_tot;aantal\n" + "".join(
        f"GM0001;20x{i};0;17;-{i}\n" for i in range(1, 4)
    )
    report = load_file(con, write(tmp_path, "b.csv", text), refresh=False)
    assert report.rows_rejected == 3
    assert len(report.problems) == 6


def test_loading_same_file_twice_equals_once(con, tmp_path):
    with_regions(con, tmp_path)
    path = write(tmp_path, "t.csv", TRAJECTEN_HEADER + "\nC1;WK000101;2024-01-01;2024-01-05;;basishulp;;\n")
    load_file(con, path, refresh=False)
    after_once = snapshot(con)
    again = load_file(con, path, refresh=False)
    assert again.already_loaded
    assert again.summary() == "t.csv: dit bestand (soort trajecten) was al geladen; er is niets gewijzigd."
    assert snapshot(con) == after_once
