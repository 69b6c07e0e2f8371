"""The set-based load path: SQL rules with a known answer, CSV and Excel alike, refusals that change nothing, the
registry as the one list of file kinds."""

from __future__ import annotations

import datetime as dt
import json
import random

import duckdb
import pandas as pd
import pytest

import store
from loaders import KINDS, LoadOptions, load_file, registry, sqlmacros, values
from loaders.demo import TABLES_WITH_LOADS
from loaders.mixing import DEMO_DIR
from loaders.pipeline import PREPARE, TABLE_KEYS
from tests.conftest import snapshot
from tests.loader_files import REGIOS, with_regions, write, write_xlsx

HEADER = ["client_id", "wijk_code", "aanmelddatum", "toewijzingsdatum", "startdatum", "einddatum",
          "productcategorie", "aanbieder", "verwijzer", "geboortejaar"]
FORMULA = "lijkt een spreadsheetformule; zo'n waarde wordt niet geladen"
CODE = "is geen CBS-regiocode (zoals GM0363, WK036301 of BU03630101)"
FUTURE = (dt.date.today() + dt.timedelta(days=40))
FUTURE_NL = f"{FUTURE.day}-{FUTURE.month}-{FUTURE.year}"

# (row cells by column name, the expected (column, reason) lines); every trajecten rule once.
BAD: list[tuple[dict, list[tuple[str, str]]]] = [
    ({"client_id": ""}, [("client_id", "verplichte waarde ontbreekt")]),
    ({"aanbieder": "-2+3"}, [("aanbieder", f"'-2+3' {FORMULA}")]),  # (a workbook stores '=' as a formula)
    ({"wijk_code": "WK1"}, [("wijk_code", f"'WK1' {CODE}")]),
    ({"wijk_code": "WK000199"}, [("wijk_code", "onbekende WK-code 'WK000199' (laad eerst een regio-indeling of "
                                                "CBS-bestand dat hem noemt)")]),
    ({"aanmelddatum": "2023-02-30"}, [("aanmelddatum", "'2023-02-30' is geen geldige datum (gebruik 2024-03-15 of "
                                                       "15-3-2024)")]),
    ({"aanmelddatum": "31-12-9999"}, [("aanmelddatum", "'31-12-9999' is geen echte datum (alleen als einddatum "
                                                       "betekent 31-12-9999: geen einde)")]),
    ({"startdatum": "1999-12-31"}, [("startdatum", "'1999-12-31' ligt vóór 1-1-2000; zo'n vroege datum is niet "
                                                   "aannemelijk"),
                                    ("einddatum", "einddatum zonder startdatum")]),  # an implausible date is none
    ({"einddatum": "1-1-2101"}, [("einddatum", "'1-1-2101' ligt na 31-12-2100; zo'n late datum is niet "
                                               "aannemelijk")]),
    ({"toewijzingsdatum": FUTURE.isoformat()}, [("toewijzingsdatum", f"toewijzingsdatum {FUTURE_NL} ligt in de "
                                                                     "toekomst")]),
    ({"startdatum": "1-2-2023"}, [("startdatum", "startdatum (1-2-2023) ligt vóór aanmelddatum (1-3-2023)")]),
    ({"toewijzingsdatum": "2023-02-27"}, [("toewijzingsdatum", "toewijzingsdatum (27-2-2023) ligt vóór "
                                                               "aanmelddatum (1-3-2023)")]),
    ({"einddatum": "2023-03-05"}, [("einddatum", "einddatum (5-3-2023) ligt vóór startdatum (8-3-2023)")]),
    ({"startdatum": "", "einddatum": "2023-04-01"}, [("einddatum", "einddatum zonder startdatum")]),
    ({"geboortejaar": "twee"}, [("geboortejaar", "'twee' is geen geheel getal")]),
    ({"geboortejaar": "2010,5"}, [("geboortejaar", "'2010,5' is geen geheel getal")]),
    ({"geboortejaar": "1850"}, [("geboortejaar", "'1850' is kleiner dan 1900")]),
    ({"geboortejaar": "2101"}, [("geboortejaar", "'2101' is groter dan 2100"),
                                ("geboortejaar", "geboortejaar ligt na de aanmelddatum")]),
    ({"geboortejaar": "1990"}, [("geboortejaar", "geboortejaar 1990: de jongere zou bij de aanmelding 33 jaar zijn "
                                                 "(jeugdhulp loopt tot 27 jaar)")]),
    ({"geboortejaar": "1e999"}, [("geboortejaar", "'1e999' is geen eindig getal")]),
    ({"productcategorie": "@cmd", "verwijzer": "+x"}, [("productcategorie", f"'@cmd' {FORMULA}"),
                                                         ("verwijzer", f"'+x' {FORMULA}")]),
]
GOOD = {"client_id": "C", "wijk_code": "WK000101", "aanmelddatum": "2023-03-01", "toewijzingsdatum": "2023-03-02",
        "startdatum": "2023-03-08", "einddatum": "2023-09-30", "productcategorie": "Jeugd GGZ",
        "aanbieder": "Zorg BV", "verwijzer": "Huisarts", "geboortejaar": "2010"}


def _file_rows(seed: int = 7) -> tuple[list[list[str]], list[str]]:
    """Good rows (one exact duplicate, Dutch dates, padded codes) with the bad rows at seeded places; returns the
    rows and the exact problem lines expected."""
    rng = random.Random(seed)
    rows = []
    for i in range(40):
        row = dict(GOOD, client_id=f"G{i}")
        if i % 3 == 0:
            row.update(aanmelddatum="1-3-2023", wijk_code=" wk000102 ", einddatum="31-12-9999")
        rows.append([row[c] for c in HEADER])
    rows.append(list(rows[5]))  # an exact duplicate: loaded once
    places = sorted(rng.sample(range(len(rows) + len(BAD)), len(BAD)))
    for place, (cells, _) in zip(places, BAD):
        rows.insert(place, [{**GOOD, "client_id": f"B{place}", **cells}[c] for c in HEADER])
    expected = []
    for place, (_, lines) in zip(places, BAD):
        row_number = place + 2
        expected += [f"t, rij {row_number}, kolom {column}: {reason}" for column, reason in lines]
    return rows, expected


def _stored(con) -> list[tuple]:
    return con.cursor().execute("SELECT * EXCLUDE (load_id) FROM trajecten ORDER BY ALL").fetchall()


def test_every_trajecten_rule_names_exactly_its_rows_as_csv_and_xlsx(tmp_path):
    rows, expected = _file_rows()
    reports, stored = [], []
    for form in ("csv", "xlsx"):
        con = store.connect(tmp_path / f"{form}.duckdb")
        with_regions(con, tmp_path)
        if form == "csv":
            path = write(tmp_path, "t.csv", "\n".join(";".join(r) for r in [HEADER, *rows]) + "\n")
        else:
            path = write_xlsx(tmp_path, "t.xlsx", [HEADER, *rows])
        report = load_file(con, path, LoadOptions(kind="trajecten"), display_name="t", refresh=False)
        assert report.problem_lines() == expected
        assert (report.rows_accepted, report.rows_rejected) == (40, len(BAD))
        assert report.warnings == ["1 dubbele trajecten (zelfde client_id, productcategorie, aanmelddatum) zijn één "
                                   "keer geladen."]
        reports.append(report.lines()[1:])
        stored.append(_stored(con))
        con.close()
    assert reports[0] == reports[1]
    assert stored[0] == stored[1]
    first = [r for r in stored[0] if r[0] == "G0"][0]
    assert first[2] == "WK000102" and first[6] is None  # padded code upper-cased; the open end is no end
    assert {r[7] for r in stored[0]} == {"jeugd_ggz"} and {r[9] for r in stored[0]} == {"huisarts"}


def test_row_numbers_of_a_file_duckdb_reads_in_parallel(con, tmp_path):
    """A file of many read buffers (DuckDB reads it on several threads and numbers its rows afterwards): every
    problem names its own row, and of two rows with the same key the first in the file is kept, far apart or not."""
    with_regions(con, tmp_path)
    n = 400_000
    bad = sorted(random.Random(3).sample(range(n), 25)) + [n - 1]  # rows at random places, and the very last
    repeats = {17: n - 3, n // 2: n // 2 + 1}  # row index -> index of a later row with the same key
    lines = [";".join(HEADER)]
    for i in range(n):
        row = dict(GOOD, client_id=f"C{i}", aanbieder=f"A{i}")
        if i in bad:
            row["geboortejaar"] = f"x{i}"
        for first, later in repeats.items():
            if i == later:
                row["client_id"] = f"C{first}"
        lines.append(";".join(row[c] for c in HEADER))
    path = write(tmp_path, "groot.csv", "\n".join(lines) + "\n")
    assert path.stat().st_size > 30_000_000
    report = load_file(con, path, LoadOptions(kind="trajecten"), display_name="g", refresh=False)
    assert report.problem_lines() == [f"g, rij {i + 2}, kolom geboortejaar: 'x{i}' is geen geheel getal" for i in bad]
    kept = dict(con.cursor().execute("SELECT client_id, aanbieder FROM trajecten WHERE client_id IN (?, ?)",
                                     [f"C{k}" for k in repeats]).fetchall())
    assert kept == {f"C{k}": f"A{k}" for k in repeats}
    assert report.rows_accepted == n - len(bad) - len(repeats)


def test_small_kind_rules_in_sql(con, tmp_path):
    with_regions(con, tmp_path)
    text = ("productcategorie;norm_dagen;soort_dagen\nbasishulp;5;werkdagen\njeugd_ggz;12;weken\n"
            "jeugd ggz;1.000;kalenderdagen\nbasishulp;7;kalenderdagen\n")
    report = load_file(con, write(tmp_path, "n.csv", text), refresh=False)
    assert report.problem_lines() == [
        "n.csv, rij 3, kolom soort_dagen: 'weken' is geen toegestane waarde (wel: kalenderdagen, werkdagen)",
        "n.csv, rij 4, kolom norm_dagen: '1.000' is groter dan 365"]
    assert report.warnings == ["1 dubbele normen (zelfde productcategorie) zijn één keer geladen."]
    assert con.cursor().execute("SELECT productcategorie, norm_dagen FROM normen").fetchall() == [("basishulp", 5)]


@pytest.mark.parametrize("text, message", [
    ("client_id;aanmelddatum;productcategorie\nC1;2023-01-01;basishulp\n",
     "t.csv: verplichte kolom 'wijk_code' (of wijk) ontbreekt voor soort trajecten."),
    ("client_id;wijk_code;aanmelddatum;productcategorie\nC1;WK000101;2023-01-01;basishulp\nC2;WK000101\n"
     "C3;WK000101;2023-01-01;basishulp;x\n", "t.csv: rij 4: 5 kolommen gevonden waar de kopregel er 4 heeft."),
])
def test_a_refused_file_leaves_the_database_unchanged(con, tmp_path, text, message):
    with_regions(con, tmp_path)
    load_file(con, write(tmp_path, "ok.csv", "client_id;wijk_code;aanmelddatum;productcategorie\n"
                                             "A1;WK000101;2023-01-01;basishulp\n"), refresh=False)
    before = snapshot(con)
    report = load_file(con, write(tmp_path, "t.csv", text), LoadOptions(kind="trajecten"), refresh=False)
    assert report.refused and report.problem_lines() == [message]
    assert snapshot(con) == before
    assert not con.cursor().execute("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '_load%'").fetchone()[0]


def test_touched_gemeenten_of_a_load(con, tmp_path):
    from loaders.pipeline import load_in_transaction, touched_gemeenten, quiet

    with_regions(con, tmp_path)
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    path = write(tmp_path, "t.csv", "client_id;wijk_code;aanmelddatum;productcategorie\n"
                                    "A1;WK000102;2023-01-01;basishulp\n")
    report = load_in_transaction(cur, path, None, None, quiet)
    assert report.rows_accepted == 1 and touched_gemeenten(cur) == ["GM0001"]
    cur.execute("ROLLBACK")


@pytest.mark.parametrize("rows, touched, stored", [
    (["A1;WK000101;2023-01-01;basishulp", "B3;WK000201;2023-01-01;basishulp"], ["GM0002"], 3),  # one same, one new
    (["A2;WK000102;2023-01-01;basishulp", "A1;WK000101;2023-01-01;basishulp"], [], 2),  # all the same
    (["A2;WK000201;2023-01-01;basishulp"], ["GM0001", "GM0002"], 2),  # moved to another gemeente: both
    (["C9;WK000102;2023-01-01;basishulp"], ["GM0001"], 3),  # only new
    (["A1;WK000101;2023-01-01;basishulp", "A2;WK000102;2023-01-01;basishulp", "C9;WK000201;2023-01-01;basishulp",
      "A1;WK000101;2023-02-01;basishulp"], ["GM0001", "GM0002"], 4),  # same, new, new with a known client
])
def test_a_replacing_load_notes_exactly_what_it_changes(con, tmp_path, rows, touched, stored):
    """Rows replaced by key are found and noted in one join: the same rows note nothing and are not stored twice,
    new rows note their gemeente, a moved row both its old and its new one."""
    from loaders.pipeline import load_in_transaction, touched_gemeenten, quiet

    load_file(con, write(tmp_path, "r.csv", REGIOS + "GM0002;Tweede;GM;JZ13|PV26;\nWK000201;West;WK;GM0002;\n"),
              refresh=False)
    header = "client_id;wijk_code;aanmelddatum;productcategorie\n"
    load_file(con, write(tmp_path, "a.csv", header + "A1;WK000101;2023-01-01;basishulp\n"
                                                     "A2;WK000102;2023-01-01;basishulp\n"), refresh=False)
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    report = load_in_transaction(cur, write(tmp_path, "b.csv", header + "\n".join(rows) + "\n"), None, None, quiet)
    assert report.rows_accepted == len(rows) and touched_gemeenten(cur) == touched
    assert cur.execute("SELECT count(*), count(DISTINCT (client_id, productcategorie, aanmelddatum)) "
                       "FROM trajecten").fetchall() == [(stored, stored)]
    cur.execute("ROLLBACK")


def test_fewer_fields_and_quoted_line_breaks_read_as_pandas_did(con, tmp_path):
    """DuckDB's reader sets a short row aside: the pandas reader takes the file, with the same row numbers."""
    with_regions(con, tmp_path)
    text = ('client_id;wijk_code;aanmelddatum;productcategorie;aanbieder\nC1;WK000101;2023-01-01;basishulp;"Zorg\n'
            'BV"\nC2;WK000101;2023-01-01\nC3;WK000101;2023-13-01;basishulp;X\n')
    report = load_file(con, write(tmp_path, "t.csv", text), refresh=False)
    assert report.problem_lines() == [
        "t.csv, rij 2, kolom aanbieder: de waarde bevat een tab, regeleinde of ander stuurteken; zo'n waarde wordt "
        "niet geladen",
        "t.csv, rij 3, kolom productcategorie: verplichte waarde ontbreekt",
        "t.csv, rij 4, kolom aanmelddatum: '2023-13-01' is geen geldige datum (gebruik 2024-03-15 of 15-3-2024)"]


def test_windows_1252_and_non_breaking_spaces(con, tmp_path):
    with_regions(con, tmp_path)
    text = "jaar;regio_code;soort;bedrag;categorie\n2024;GM0001\u00a0;begroting;€ 1.234,50;preventief\n"
    report = load_file(con, write(tmp_path, "b.csv", text, "cp1252"), refresh=False)
    assert (report.rows_accepted, report.problem_lines()) == (1, []), report.lines()
    assert con.cursor().execute("SELECT regio_code, bedrag FROM budget").fetchall() == [("GM0001", 1234.5)]


NUMBERS = ["1", "1,5", "1.234", "€ 1.234.567,89", "1,234,567", "1.234.567", "1234567.89", "inf", "-inf", "nan",
           "1e999", "12345678901234567890", "1e9", "-1", "x", '{"x": 1}', "1_000", "−5", "EUR 12", "0,5", "+3"]
DATES = ["2023-2-1", "15-3-2024", "15/3/2024", "15.3.2024", "2023-02-30", "31-12-9999", "0001-01-01", "15-3-24",
         "10-1-24", "2023-02-01 00:00:00", "2023-02-01T00:00", "45000", "45000.0", "2024", "12023-02-01", "x"]
TEXTS = ["=1+1", "+cmd|x", "-2+3", "@SUM", "- Zorg -", "+31 6 1234 5678", "-", "-5", "Zorg", "Zorg\x00BV",
         "Jeugd GGZ", "jeugd-ggz", "WK000101", "WK1", "WK00010\uff12", "BU0363010A"]


def test_sql_macros_parse_as_the_pandas_rules():
    cur = duckdb.connect()
    sqlmacros.install(cur)
    one = lambda sql, *args: cur.execute(sql, list(args)).fetchall()[0][0]  # noqa: E731
    for tdot in (False, True):
        expected = values.parse_number(pd.Series(NUMBERS), thousands_dot=tdot)
        got = [one("SELECT jm_limit(jm_number_any(?, ?))", n, tdot) for n in NUMBERS]
        assert [None if v != v else v for v in expected] == got, tdot
    assert [values.number_problem(n, "geen getal") for n in NUMBERS] == [
        one("SELECT jm_number_problem(?, 'geen getal')", n) for n in NUMBERS]
    dates = values.parse_date(pd.Series(DATES))
    assert [None if pd.isna(d) else d.date() for d in dates] == [one("SELECT jm_date(?)", d) for d in DATES]
    text = pd.Series(TEXTS)
    assert values.looks_like_formula(text).tolist() == [one("SELECT jm_formula(?)", t) for t in TEXTS]
    assert values.has_control(text).tolist() == [one("SELECT jm_control(?)", t) for t in TEXTS]
    assert values.not_cbs_code(text).tolist() == [one("SELECT jm_not_cbs_code(?)", t) for t in TEXTS]
    assert values.normalise_token(text).tolist() == [one("SELECT jm_token(?)", t) for t in TEXTS]


def test_the_registry_is_the_one_list_of_kinds(con):
    from ui.uploads import KIND_LABELS

    schema = con.cursor()
    for kind in registry.KIND_LIST:
        assert kind.label and kind.label.endswith(f"({kind.name})")
        assert callable(kind.prepare) and kind.reads in ("sql", "frame")
        assert kind.tables, kind.name
        for table, key in {**kind.tables, **kind.extra_tables}.items():
            columns = {r[0] for r in schema.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()}
            assert set(key) <= columns and "load_id" in columns, (kind.name, table)
        assert kind.detection or kind.name == "geo"
        if kind.reads == "sql" and kind.name not in ("cbs", "cbs-long"):  # a CBS table's shape comes from its header
            assert kind.columns and all(c.name for c in kind.columns)
    assert KINDS == tuple(registry.KINDS) and set(PREPARE) == set(registry.KINDS)
    assert KIND_LABELS == registry.labels() and TABLE_KEYS == registry.table_keys()
    assert set(TABLES_WITH_LOADS) == set(registry.table_keys())
    manifest = json.loads((DEMO_DIR / "manifest.json").read_text(encoding="utf-8"))
    demo = {(e["kind"], e["file"]) for e in manifest}
    assert demo == {(k.name, f) for k in registry.KIND_LIST for f in k.demo}
