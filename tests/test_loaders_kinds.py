"""Each kind of the formats contract loads from CSV and Excel, with its aliases and dialects."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders import LoadOptions, check_file, load_file
from tests.loader_files import TRAJECTEN_HEADER, with_regions, write, write_xlsx


def rows(con, sql, params=()):
    return con.cursor().execute(sql, list(params)).fetchall()


def test_regios_with_two_parents(con, tmp_path):
    with_regions(con, tmp_path)
    assert rows(con, "SELECT parent_code FROM region_parents WHERE code = 'GM0001' ORDER BY 1") == [("JZ13",), ("PV26",)]
    assert rows(con, "SELECT name, niveau, vergelijkingsgroep FROM regions WHERE code = 'GM0001'") == [
        ("Testgemeente", "GM", "50.000-100.000 inwoners")
    ]


@pytest.mark.parametrize("sep", [";", ",", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_trajecten_csv_dialects(con, tmp_path, sep, encoding):
    with_regions(con, tmp_path)
    text = (TRAJECTEN_HEADER + "\n"
            "C1;WK000101;2024-03-15;20-3-2024;;Basishulp;Huisarts;H1\n"
            "C2;wk000102  ;1-2-2024;;;jeugd ggz;;\n").replace(";", sep)
    report = load_file(con, write(tmp_path, "t.csv", "\ufeff" * 0 + text, encoding), refresh=False)
    assert report.kind == "trajecten"
    assert (report.rows_accepted, report.rows_rejected) == (2, 0), report.lines()
    assert rows(con, "SELECT client_id, wijk_code, aanmelddatum, startdatum, productcategorie, verwijzer "
                     "FROM trajecten ORDER BY 1") == [
        ("C1", "WK000101", dt.date(2024, 3, 15), dt.date(2024, 3, 20), "basishulp", "huisarts"),
        ("C2", "WK000102", dt.date(2024, 2, 1), None, "jeugd_ggz", None),
    ]


def test_trajecten_xlsx_with_aliases_and_excel_dates(con, tmp_path):
    with_regions(con, tmp_path)
    path = write_xlsx(tmp_path, "t.xlsx", [
        ["Clientnummer", "Wijk", "Verzoekdatum", "Begindatum", "Datum_einde", "Vorm", "Gezin_id", "Geboortejaar"],
        ["C9", "WK000101", dt.datetime(2023, 1, 2), dt.datetime(2023, 1, 9), dt.datetime(2023, 6, 30),
         "jeugdhulp_ambulant", "H9", 2012],
    ], sheet="Export")
    report = load_file(con, path, LoadOptions(sheet="Export"), refresh=False)
    assert (report.kind, report.rows_accepted) == ("trajecten", 1), report.lines()
    assert rows(con, "SELECT client_id, huishouden_id, startdatum, einddatum, geboortejaar FROM trajecten") == [
        ("C9", "H9", dt.date(2023, 1, 9), dt.date(2023, 6, 30), 2012)
    ]


def test_unknown_sheet_is_refused(con, tmp_path):
    path = write_xlsx(tmp_path, "t.xlsx", [["a", "b"], [1, 2]])
    report = check_file(con, path, LoadOptions(sheet="Nergens"))
    assert report.refused
    assert report.problem_lines() == ["t.xlsx: het tabblad 'Nergens' bestaat niet (wel: Blad1)."]


def test_bereik_aggregated_and_per_participant(con, tmp_path):
    with_regions(con, tmp_path)
    agg = write(tmp_path, "agg.csv", "jaar;wijk_code;aanbod;soort;deelnemers\n2024;WK000101;Cursus;preventief;1.234\n")
    per = write(tmp_path, "per.csv", "datum,wijk_code,aanbod,soort,client_id\n3-4-2024,WK000102,Sport,collectief,P1\n"
                                     "5-6-2024,WK000102,Sport,collectief,P1\n")
    assert load_file(con, agg, refresh=False).rows_accepted == 1
    report = load_file(con, per, refresh=False)
    assert report.rows_accepted == 1 and "1 dubbele deelnames" in report.warnings[0]
    assert rows(con, "SELECT deelnemers FROM bereik_aantallen") == [(1234,)]
    assert rows(con, "SELECT jaar, client_id FROM bereik_deelnemers") == [(2024, "P1")]


def test_bevolking_budget_streefwaarden_normen(con, tmp_path):
    with_regions(con, tmp_path)
    files = {
        "bevolking.csv": ("regio_code;jaar;leeftijd_van;leeftijd_tot;aantal\nWK000101;2024;0;17;1.500\n", "bevolking"),
        "budget.csv": ("jaar;regio_code;soort;taakveld;categorie;bedrag\n"
                       "2024;GM0001;begroting;6,72;;€ 1.234.567,89\n"
                       "2024;GM0001;begroting;6.72;;1000.50\n"
                       "2024;WK000101;realisatie;;Preventief;2.500\n", "budget"),
        "streefwaarden.csv": ("indicator_id;regio_code;jaar;waarde;bron\n"
                              "preventief_budget_aandeel_pct;GM0001;2027;10,5;Beleidskader\n", "streefwaarden"),
        "normen.csv": ("productcategorie;norm_dagen;soort_dagen;bron\nbasishulp;5;werkdagen;Utrecht 2014\n", "normen"),
    }
    for name, (text, kind) in files.items():
        report = load_file(con, write(tmp_path, name, text), refresh=False)
        assert (report.kind, report.rows_rejected) == (kind, 0), report.lines()
    assert rows(con, "SELECT aantal FROM bevolking") == [(1500,)]
    assert rows(con, "SELECT regio_code, taakveld, categorie, bedrag FROM budget ORDER BY 1") == [
        ("GM0001", "6.72", "", pytest.approx(1234567.89 + 1000.50)),
        ("WK000101", "", "preventief", 2500.0),
    ]
    assert rows(con, "SELECT waarde FROM streefwaarden") == [(10.5,)]
    assert rows(con, "SELECT norm_dagen, soort_dagen FROM normen") == [(5, "werkdagen")]


def test_unmapped_taakveld_is_reported_not_guessed(con, tmp_path):
    with_regions(con, tmp_path)
    path = write(tmp_path, "b.csv", "jaar;regio_code;soort;taakveld;bedrag\n2025;GM0001;begroting;6.72;100\n"
                                    "2025;GM0001;begroting;6.751;200\n")
    report = load_file(con, path, refresh=False)
    assert report.rows_accepted == 2
    assert report.warnings == [
        "taakveld 6.72 heeft geen categorie in de taakveldindeling (jaren 2025); deze regels tellen niet mee tot u "
        "de indeling aanvult."
    ]


def test_taakveld_mapping_is_replaceable(con, tmp_path):
    path = write(tmp_path, "tv.csv", "taakveld;categorie;omschrijving\n6.72;individueel_ambulant;Maatwerk\n")
    report = load_file(con, path, refresh=False)
    assert report.kind == "taakvelden"
    assert rows(con, "SELECT taakveld, jaar_van, jaar_tot, categorie FROM taakveld_mapping") == [
        ("6.72", 1900, 2999, "individueel_ambulant")
    ]


def test_same_trajectory_twice_loaded_once_and_update_wins(con, tmp_path):
    with_regions(con, tmp_path)
    first = write(tmp_path, "a.csv", TRAJECTEN_HEADER + "\nC1;WK000101;2024-03-15;;;basishulp;;\n"
                                                         "C1;WK000101;15-3-2024;;;basishulp;;\n")
    report = load_file(con, first, refresh=False)
    assert report.rows_accepted == 1
    assert report.warnings == [
        "1 dubbele trajecten (zelfde client_id, productcategorie, aanmelddatum) zijn één keer geladen."
    ]
    later = write(tmp_path, "b.csv", TRAJECTEN_HEADER + "\nC1;WK000101;2024-03-15;2024-03-20;;basishulp;;\n")
    load_file(con, later, refresh=False)
    assert rows(con, "SELECT startdatum FROM trajecten") == [(dt.date(2024, 3, 20),)]


def test_big_file_in_chunks_keeps_row_numbers_and_counts(con, tmp_path, monkeypatch):
    """Files are validated in chunks; row numbers and counts are those of the whole file."""
    from loaders import pipeline

    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    with_regions(con, tmp_path)
    text = (TRAJECTEN_HEADER + "\n"
            "C1;WK000101;2024-01-01;;;basishulp;;\n"      # row 2
            "C2;WK000101;2024-01-01;;;basishulp;;\n"      # row 3
            "C3;WK000101;2024-01-05;2024-01-01;;basishulp;;\n"  # row 4: start before request
            "C1;WK000101;2024-01-01;;;basishulp;;\n"      # row 5: the same trajectory as row 2, next chunk
            "C4;WK999999;2024-01-01;;;basishulp;;\n"      # row 6: unknown wijk
            "C5;WK000102;2024-01-01;;;basishulp;;\n")     # row 7
    report = load_file(con, write(tmp_path, "groot.csv", text), refresh=False)
    assert [(p.row, p.column) for p in report.problems] == [(4, "startdatum"), (6, "wijk_code")]
    assert (report.rows_accepted, report.rows_rejected) == (3, 2)
    assert report.warnings == [
        "1 dubbele trajecten (zelfde client_id, productcategorie, aanmelddatum) zijn één keer geladen."
    ]
    assert rows(con, "SELECT client_id FROM trajecten ORDER BY 1") == [("C1",), ("C2",), ("C5",)]


def test_kinds_that_cannot_be_split_are_read_whole(con, tmp_path, monkeypatch):
    from loaders import pipeline

    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 1)
    with_regions(con, tmp_path)
    text = "jaar;regio_code;soort;categorie;bedrag\n" + "2024;GM0001;begroting;preventief;10\n" * 3
    report = load_file(con, write(tmp_path, "b.csv", text), refresh=False)
    assert report.rows_accepted == 3
    assert rows(con, "SELECT bedrag FROM budget") == [(30.0,)]
