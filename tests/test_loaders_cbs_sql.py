"""The set-based CBS loader (DuckDB read_csv + UNPIVOT + SQL checks) against answers the tests know: a generated
KWB-shaped file with secret cells, padded codes, a repeated row and a bad code; the same file through the other
readers (Windows-1252, Excel); and the SQL forms of the value rules side by side with the Python ones."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import store
from loaders import LoadOptions, cbs_sql, check_file, load_file
from loaders.values import parse_number
from tests.conftest import SHARED_CBS
from tests.loader_files import write, write_xlsx

REAL = SHARED_CBS / "real"

HEADER = ["ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3", "AantalInwoners_5",
          "JongerenMetJeugdzorgInNatura_96", "PercentageJongerenMetJeugdzorg_97"]
SECRET = {".": "onbekend", "x": "geheim", "-": "nihil", "": "leeg"}


def generated_kwb(seed: int = 7):
    """(rows of cells, expected {(code, measure): (value, reason)}, expected problems [(row, column, start)])."""
    rng = random.Random(seed)
    rows, expected = [], {}
    codes = ["GM0001"] + [f"WK0001{w:02d}" for w in range(1, 6)] + [f"BU0001{w:02d}{b:02d}" for w in range(1, 6)
                                                                     for b in range(1, 4)]
    for i, code in enumerate(codes):
        inwoners = rng.randrange(50, 5000)
        jeugd = rng.choice([None, *SECRET]) if code != "GM0001" else None
        jeugd_cell = jeugd if jeugd is not None else str(rng.randrange(0, 400))
        pct = rng.randrange(0, 1000) / 10
        pct_cell = rng.choice(list(SECRET)) if i % 4 == 3 else f"{pct:.1f}".replace(".", ",")
        soort = {"GM": "Gemeente", "WK": "Wijk", "BU": "Buurt"}[code[:2]]
        rows.append([str(i), f"{code:<10}", f"{'Testgemeente':<40}", f"{soort:<10}", f"{code:<10}",
                     f"{inwoners:>8}", jeugd_cell, pct_cell])
        for measure, cell in (("AantalInwoners", str(inwoners)), ("JongerenMetJeugdzorgInNatura", jeugd_cell),
                              ("PercentageJongerenMetJeugdzorg", pct_cell)):
            reason = SECRET.get(cell)
            expected[(code, measure)] = (None, reason) if reason else (float(cell.replace(",", ".")), None)
    rows[4][5] = "12a"  # a cell that is no number: the row is rejected
    bad_number_code = codes[4]
    for measure in ("AantalInwoners", "JongerenMetJeugdzorgInNatura", "PercentageJongerenMetJeugdzorg"):
        del expected[(bad_number_code, measure)]
    rows.append(["90", "WK1", "Testgemeente", "Wijk", "WK1", "10", "5", "1,0"])  # no CBS code, no known name
    rows.append(list(rows[2]))  # the third data row again
    problems = [(6, "AantalInwoners_5", "'12a' is geen getal en geen CBS-teken (. x -)"),
                (len(codes) + 2, "WijkenEnBuurten", "'WK1' is geen CBS-regiocode en geen regionaam"),
                (len(codes) + 3, "WijkenEnBuurten", "dezelfde regio, periode en categorie als rij 4; deze rij is "
                                                    "niet geladen")]
    return rows, expected, problems


def stored(con) -> dict:
    return {(code, measure): (value, reason) for code, measure, value, reason in con.cursor().execute(
        "SELECT regio_code, measure, value, missing_reason FROM cbs_values WHERE table_id = '85618NED'").fetchall()}


def check(con, report, expected, problems):
    assert (report.kind, report.rows_accepted, report.rows_rejected) == ("cbs", 21 - 1, 2 + 1), report.lines()
    got = [(p.row, p.column, p.message) for p in report.problems]
    assert [(r, c) for r, c, _ in got] == [(r, c) for r, c, _ in problems]
    assert all(m.startswith(start) for (_, _, m), (_, _, start) in zip(got, problems))
    assert stored(con) == expected
    years = con.cursor().execute("SELECT count(*), min(jaar) FROM region_years WHERE load_id > 0").fetchall()
    assert years == [(20, 2023)]
    assert con.cursor().execute("SELECT name FROM regions WHERE code = 'GM0001'").fetchall() == [("Testgemeente",)]


def test_generated_kwb_gives_exactly_the_known_long_values_reasons_and_rejections(con, tmp_path):
    rows, expected, problems = generated_kwb()
    text = "\ufeff" + "\n".join(";".join(r) for r in [HEADER, *rows]) + "\n"
    report = load_file(con, write(tmp_path, "kwb.csv", text), LoadOptions(table="85618NED"), refresh=False)
    check(con, report, expected, problems)
    assert not any(v == 0 and r for v, r in stored(con).values()), "a missing value is never a zero"


@pytest.mark.parametrize("form", ["cp1252", "xlsx", "quoted"])
def test_the_other_readers_give_the_same_result(con, tmp_path, form):
    rows, expected, problems = generated_kwb(seed=11)
    if form == "xlsx":
        path = write_xlsx(tmp_path, "kwb.xlsx", [HEADER, *rows])
    elif form == "cp1252":
        path = write(tmp_path, "kwb.csv", "\n".join(";".join(r) for r in [HEADER, *rows]) + "\n", "cp1252")
    else:
        path = write(tmp_path, "kwb.csv", "\r\n".join(";".join(f'"{c}"' for c in r) for r in [HEADER, *rows]))
    report = load_file(con, path, LoadOptions(table="85618NED"), refresh=False)
    check(con, report, expected, problems)


def test_a_ragged_file_is_explained_by_the_pandas_reader_and_changes_nothing(con, tmp_path):
    rows, _, _ = generated_kwb()
    rows[3].append("extra")
    text = "\n".join(";".join(r) for r in [HEADER, *rows]) + "\n"
    report = load_file(con, write(tmp_path, "kwb.csv", text), LoadOptions(table="85618NED"), refresh=False)
    assert report.refused and "rij 5: 9 kolommen gevonden waar de kopregel er 8 heeft" in report.lines()[-1]
    assert stored(con) == {}


HOSTILE = ["12", "-12", "1,5", "1.5", "1.234,5", "1,234.5", "1.234.567", "1,234,567", "€ 1.234", "EUR 12",
           "eur12", "\u22125", "1e5", "inf", "-Infinity", "nan", "1e999", "12345678901234567890",
           "99999999999999999999.5", "1e20", "0x10", "1_000", "12a", "", ".", "5.", ".5", "+5", "--5", "+-1",
           "1,5 EUR", "€1,50", "1 000", "1\u00a0000", "١٢", "12,", ",5", "1.2.3,4"]


def test_a_cells_value_in_sql_equals_the_python_reading():
    """`cbs_value`: plain OData/cbsodata numbers as they are (no limit, as the pandas loader read them), anything
    else as `parse_number` reads it."""
    cur = duckdb.connect().cursor()
    cbs_sql.setup(cur)
    got = [cur.execute("SELECT cbs_value(?)", [t]).fetchall()[0][0] for t in HOSTILE]
    series = pd.Series(HOSTILE, dtype=object)
    plain = series.str.fullmatch(r"-?\d+(\.\d+)?")
    want = pd.to_numeric(series.where(plain), errors="coerce").where(plain, parse_number(series))
    assert [None if w != w else w for w in want.tolist()] == got


# What the pandas loader (commit 2955f33, before the set-based one) stored for each real file on a fresh database:
# row count and md5 of cbs_values and cbs_measures, counts, the md5 of the problems and the warnings.
BEFORE = json.loads((Path(__file__).parent / "cbs_real_before.json").read_text(encoding="utf-8"))
DIGEST = {
    "values": "SELECT count(*), md5(coalesce(string_agg(concat_ws('|', table_id, regio_code, periode, jaar, measure, "
              "original_key, value, missing_reason, status), chr(10) ORDER BY table_id, regio_code, periode, measure), "
              "'')) FROM cbs_values",
    "measures": "SELECT count(*), md5(coalesce(string_agg(concat_ws('|', table_id, measure, original_key, title, unit, "
                "decimals, percentage_invalid, warning), chr(10) ORDER BY table_id, measure), '')) FROM cbs_measures",
}


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_real_file_stores_what_the_pandas_loader_stored(tmp_path, name):
    if not (REAL / name).exists():
        pytest.skip(f"de echte CBS-bestanden staan niet in {REAL} (alleen beschikbaar naast de repository)")
    con = store.connect(tmp_path / "fresh.duckdb")
    report = load_file(con, REAL / name, refresh=False)
    cur = con.cursor()
    problems = "\n".join(f"{p.row}|{p.column}|{p.message}" for p in report.problems)
    got = {"values": list(cur.execute(DIGEST["values"]).fetchall()[0]),
           "measures": list(cur.execute(DIGEST["measures"]).fetchall()[0]),
           "accepted": report.rows_accepted, "rejected": report.rows_rejected,
           "problems": hashlib.md5(problems.encode()).hexdigest(), "warnings": report.warnings}
    con.close()
    assert got == BEFORE[name]


def test_a_table_loaded_again_with_other_values_replaces_its_rows(con, tmp_path):
    rows, expected, _ = generated_kwb()
    write_kwb = lambda name, rows: write(tmp_path, name, "\n".join(";".join(r) for r in [HEADER, *rows]) + "\n")
    load_file(con, write_kwb("kwb.csv", rows), LoadOptions(table="85618NED"), refresh=False)
    rows[0][5] = "999"  # GM0001's inwoners, in a second export of the same table
    report = load_file(con, write_kwb("kwb_opnieuw.csv", rows), LoadOptions(table="85618NED"), refresh=False)
    assert report.rows_accepted == 20, report.lines()
    assert stored(con) == {**expected, ("GM0001", "AantalInwoners"): (999.0, None)}


def test_checking_a_file_reports_like_a_load_and_leaves_nothing_behind(con, tmp_path):
    rows, _, problems = generated_kwb()
    path = write(tmp_path, "kwb.csv", "\n".join(";".join(r) for r in [HEADER, *rows]) + "\n")
    report = check_file(con, path, LoadOptions(table="85618NED"))
    assert report.rows_accepted == 20
    assert [(p.row, p.column) for p in report.problems] == [(r, c) for r, c, _ in problems]
    assert stored(con) == {}
    temp = con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'cbs%'").fetchall()
    assert temp == []
