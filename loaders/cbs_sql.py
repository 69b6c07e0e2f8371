"""SQL building blocks of the CBS loader on top of the shared ones (`loaders.sqlmacros`, the problems table of
`loaders.sqlcheck`): the CBS missing symbols as a table, a cell's value, region-name helpers, and `Problems`, which
puts every rejected row with its column and Dutch reason in the shared problems table.

Each rule is the SQL form of one in `loaders.values` / `loaders.cbs_regions` (same symbols, same patterns, same
messages); tests/test_loaders_cbs_sql.py holds the two side by side on hostile strings.
"""

from __future__ import annotations

import pandas as pd

from loaders import sqlmacros
from loaders.report import Problem
from loaders.sqlcheck import CONTROL, FORMULA, PROBLEMS
from loaders.values import MISSING_SYMBOLS

MACROS = [
    # A cell's value: the plain numbers OData and cbsodata write (`545.0`, `-12`) cast as they are, anything else as
    # `values.parse_number` reads it (decimal comma, padding, thousands separators; beyond the limit no number).
    "CREATE OR REPLACE TEMP MACRO cbs_number(s) AS jm_limit(jm_number_any(s, false))",
    "CREATE OR REPLACE TEMP MACRO cbs_value(s) AS CASE WHEN regexp_full_match(s, '-?[0-9]+(\\.[0-9]+)?') "
    "THEN TRY_CAST(s AS DOUBLE) ELSE cbs_number(s) END",
    # `loaders.cbs_regions`: a name without its level suffix (`Groningen (PV)` -> `Groningen`), a name's lookup key
    # (case, quotes, spaces and hyphens do not matter: `'s-Gravenhage` == `’s Gravenhage`).
    "CREATE OR REPLACE TEMP MACRO cbs_squash(t) AS trim(regexp_replace(t, '\\s+', ' ', 'g'))",
    "CREATE OR REPLACE TEMP MACRO cbs_split_name(t, level) AS "
    "coalesce(nullif(regexp_extract(cbs_squash(t), level, 1), ''), cbs_squash(t))",
    "CREATE OR REPLACE TEMP MACRO cbs_name_key(t) AS regexp_replace(lower(nfc_normalize(t)), '[^\\pL\\pN_]+', '', 'g')",
]


def setup(cur) -> None:
    """Macros, the symbols table and an empty problems table on this cursor (temporary: this connection only)."""
    sqlmacros.install(cur)
    for sql in MACROS:
        cur.execute(sql)
    symbols = pd.DataFrame({"symbol": list(MISSING_SYMBOLS), "reason": list(MISSING_SYMBOLS.values())})
    cur.register("cbs_symbols_frame", symbols)
    try:
        cur.execute("CREATE OR REPLACE TEMP TABLE cbs_symbols AS SELECT * FROM cbs_symbols_frame")
    finally:
        cur.unregister("cbs_symbols_frame")
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {PROBLEMS} (row BIGINT, col VARCHAR, msg VARCHAR, ord INTEGER)")


class Problems:
    """Rejections in the order the rules run; a row's problems are reported in that order."""

    def __init__(self, cur):
        self.cur = cur
        self.seq = 0

    def reject(self, source: str, where: str, column: str | None, message: str, value: str | None = None,
               params: dict | None = None) -> None:
        """Reject the rows of `source` (a table or subquery with `_row`) matching `where`; `message` may hold `{}`
        for `value`, an SQL expression (the cell as the user wrote it)."""
        self.seq += 1
        text = "replace($message, '{}', " + value + ")" if value else "$message"
        self.cur.execute(
            f"INSERT INTO {PROBLEMS} SELECT _row, $column, {text}, $seq FROM {source} WHERE {where}",
            {**(params or {}), "message": message, "seq": self.seq, "column": column},
        )

    def unsafe_text(self, source: str, column: str | None, text: str) -> None:
        """`loaders.columns.reject_unsafe_text`: formula text, else control characters."""
        if column is None:
            return
        self.reject(source, f"jm_formula({text})", column, "'{}" + FORMULA, f"left({text}, 40)")
        self.reject(source, f"NOT jm_formula({text}) AND jm_control({text})", column, CONTROL)

    def rows(self) -> str:
        return f"(SELECT DISTINCT row FROM {PROBLEMS})"

    def fetch(self) -> list[Problem]:
        found = self.cur.execute(f"SELECT row, col, msg FROM {PROBLEMS} ORDER BY row, ord").fetchall()
        return [Problem(row=row, column=col, message=message) for row, col, message in found]
