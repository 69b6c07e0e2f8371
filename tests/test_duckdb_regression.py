"""DuckDB 2.0.0 returned no rows from a temp table that, inside a transaction, first got an empty INSERT ... SELECT
and then more than ~122,000 rows (one row group); the indicator refresh does exactly that with `_iv_raw`, and wrote
0 indicator rows without a word. DuckDB 2.0.1 fixes it; this test fails on 2.0.0 (checked: 0 rows from 122,000 up).
The refresh also refuses to publish nothing while inputs are present.
"""

from __future__ import annotations

import logging

import duckdb
import pytest

import indicators
from indicators import compute
from loaders import LoadOptions, load_file
from tests.loader_files import write

ROWS = 200_000  # above the ~122,000 rows at which 2.0.0 lost them


def test_temp_table_scan_after_empty_insert_select_inside_transaction(tmp_path):
    con = duckdb.connect(str(tmp_path / "scan.duckdb"))
    con.execute("CREATE TABLE bron AS SELECT range::BIGINT AS i, 'waarde ' || range AS s FROM range(?)", [ROWS])
    con.execute("BEGIN TRANSACTION")
    con.execute("CREATE TEMP TABLE doel (i BIGINT, s TEXT)")
    con.execute("INSERT INTO doel SELECT i, s FROM bron WHERE i < 0")
    con.execute("INSERT INTO doel SELECT i, s FROM bron")
    assert con.execute("SELECT count(s), sum(i) FROM doel").fetchone() == (ROWS, ROWS * (ROWS - 1) // 2)
    assert len(con.execute("SELECT i FROM doel WHERE i % 1000 = 0").fetchall()) == ROWS // 1000
    con.execute("COMMIT")
    con.close()


def _wijk_table(tmp_path, wijken: int):
    """A wide CBS wijk table (no KWB) with enough values that the refresh's temp table passes the row-group size."""
    header = "ID;Wijken;Perioden;Aantal_1;Ander_2;Derde_3;Vierde_4;Vijfde_5;Zesde_6;Codering_7"
    lines = [header]
    for n in range(wijken):
        code = f"WK{1 + n // 100:04d}{n % 100:02d}"
        for period in ("1e halfjaar 2023", "2e halfjaar 2023", "2023"):
            lines.append(f"{n};Wijk {n};{period};{n % 97};{n % 89};{n % 83};{n % 79};{n % 73};{n % 71};{code:<10}")
    return write(tmp_path, "cbs_wijken_groot.csv", "\n".join(lines) + "\n")


def test_refresh_publishes_a_large_non_kwb_cbs_table_on_a_fresh_database(con, tmp_path):
    path = _wijk_table(tmp_path, 8_000)  # 24,000 rows x 6 measures = 144,000 values
    report = load_file(con, path)
    assert (report.rows_accepted, report.refresh_error) == (24_000, None), report.lines()
    published = con.execute("SELECT count(*) FROM indicator_values WHERE indicator_id LIKE 'cbs_%'").fetchone()[0]
    assert published == 144_000


def test_inputs_present_but_nothing_published_is_an_error_with_its_cause_logged(con, tmp_path, caplog):
    load_file(con, write(tmp_path, "k.csv", "WijkenEnBuurten;AantalInwoners_5\nGM0001    ;100\n"),
              LoadOptions(jaar=2023), refresh=False)
    compute.build(con)
    with caplog.at_level(logging.ERROR, logger="indicators.compute"):
        with pytest.raises(compute.NietsGepubliceerd) as raised:
            compute._check_published(con, 0)
    assert "niet bijgewerkt" in str(raised.value) and "CBS-waarden: 1" in str(raised.value)
    assert "published 0 rows" in caplog.text and "_iv_raw" in caplog.text
    compute._check_published(con, 1)  # something published: fine
    compute.drop_temp(con)


def test_an_empty_store_publishes_nothing_without_error(con):
    assert indicators.refresh(con) == 0
