"""SQL building blocks of the CBS loader: the CBS missing symbols as a table, number parsing and the text rules as
expressions, and a problems table that collects every rejected row with its column and Dutch reason.

Each rule here is the SQL form of one in `loaders.values` / `loaders.columns` (same symbols, same patterns, same
messages); tests/test_loaders_cbs_sql.py holds the two side by side on hostile strings.
"""

from __future__ import annotations

import pandas as pd

from loaders.report import Problem
from loaders.values import _CONTROL, CBS_CODE, MISSING_SYMBOLS, NUMBER_LIMIT

PROBLEMS = "cbs_problems"

# `parse_number` (no thousands dots) as SQL: currency and inner spaces dropped, U+2212 as minus; with both a comma and
# a dot the last one is the decimal sign; several commas or several dots are thousands separators; beyond
# NUMBER_LIMIT (and inf, nan) no number. `cbs_value` adds `_numbers`' fast path for plain OData/cbsodata numbers.
MACROS = [
    "CREATE OR REPLACE TEMP MACRO cbs_notation(t) AS CASE "
    "WHEN contains(t, ',') AND contains(t, '.') AND strpos(reverse(t), ',') < strpos(reverse(t), '.') "
    "  THEN replace(replace(t, '.', ''), ',', '.') "
    "WHEN contains(t, ',') AND contains(t, '.') THEN replace(t, ',', '') "
    "WHEN length(t) - length(replace(t, ',', '')) > 1 THEN replace(t, ',', '') "
    "WHEN contains(t, ',') THEN replace(t, ',', '.') "
    "WHEN length(t) - length(replace(t, '.', '')) > 1 THEN replace(t, '.', '') "
    "ELSE t END",
    # What pandas reads as a number (DuckDB alone would also take `1_000` and `+-1`); inf and nan fail the limit.
    "CREATE OR REPLACE TEMP MACRO cbs_cast(x) AS CASE WHEN regexp_full_match(x, "
    "'[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?') AND abs(TRY_CAST(x AS DOUBLE)) <= $limit "
    "THEN TRY_CAST(x AS DOUBLE) END",
    "CREATE OR REPLACE TEMP MACRO cbs_number(s) AS coalesce("
    "  CASE WHEN NOT contains(s, '.') THEN cbs_cast(replace(s, ',', '.')) END,"
    "  cbs_cast(cbs_notation(replace(regexp_replace(s, '[€\\s\\x{a0}]|(?i:EUR)', '', 'g'), '\u2212', '-'))))",
    # `loaders.cbs_regions`: a name without its level suffix (`Groningen (PV)` -> `Groningen`), a name's lookup key
    # (case, quotes, spaces and hyphens do not matter: `'s-Gravenhage` == `’s Gravenhage`).
    "CREATE OR REPLACE TEMP MACRO cbs_squash(t) AS trim(regexp_replace(t, '\\s+', ' ', 'g'))",
    "CREATE OR REPLACE TEMP MACRO cbs_split_name(t, level) AS "
    "coalesce(nullif(regexp_extract(cbs_squash(t), level, 1), ''), cbs_squash(t))",
    "CREATE OR REPLACE TEMP MACRO cbs_name_key(t) AS regexp_replace(lower(nfc_normalize(t)), '[^\\pL\\pN_]+', '', 'g')",
    "CREATE OR REPLACE TEMP MACRO cbs_value(s) AS CASE WHEN regexp_full_match(s, '-?[0-9]+(\\.[0-9]+)?') "
    "THEN TRY_CAST(s AS DOUBLE) ELSE cbs_number(s) END",
]
# Text rules: a spreadsheet formula (`loaders.values.looks_like_formula`), a control character, a CBS code.
PATTERNS = {"control": _CONTROL.pattern, "cbs_code": CBS_CODE.pattern, "plain": r"[0-9\s.,]*"}
FORMULA = "(left({t}, 1) IN ('=', '@') OR (left({t}, 1) IN ('+', '-') AND NOT regexp_full_match({t}[2:], $plain)))"
FORMULA_MESSAGE = "'{}' lijkt een spreadsheetformule; zo'n waarde wordt niet geladen"
CONTROL_MESSAGE = "de waarde bevat een tab, regeleinde of ander stuurteken; zo'n waarde wordt niet geladen"


def setup(cur) -> None:
    """Macros, the symbols table and an empty problems table on this cursor (temporary: this connection only)."""
    for sql in MACROS:
        cur.execute(sql.replace("$limit", repr(float(NUMBER_LIMIT))))
    symbols = pd.DataFrame({"symbol": list(MISSING_SYMBOLS), "reason": list(MISSING_SYMBOLS.values())})
    cur.register("cbs_symbols_frame", symbols)
    try:
        cur.execute("CREATE OR REPLACE TEMP TABLE cbs_symbols AS SELECT * FROM cbs_symbols_frame")
    finally:
        cur.unregister("cbs_symbols_frame")
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {PROBLEMS} (_row BIGINT, seq INTEGER, col TEXT, message TEXT)")


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
            f"INSERT INTO {PROBLEMS} SELECT _row, $seq, $column, {text} FROM {source} WHERE {where}",
            {**(params or {}), **_used(where + text), "message": message, "seq": self.seq, "column": column},
        )

    def unsafe_text(self, source: str, column: str | None, text: str) -> None:
        """`loaders.columns.reject_unsafe_text`: formula text, else control characters."""
        if column is None:
            return
        formula = FORMULA.format(t=text)
        self.reject(source, f"{formula}", column, FORMULA_MESSAGE, f"left({text}, 40)")
        self.reject(source, f"NOT {formula} AND regexp_matches({text}, $control)", column, CONTROL_MESSAGE)

    def rows(self) -> str:
        return f"(SELECT DISTINCT _row FROM {PROBLEMS})"

    def fetch(self) -> list[Problem]:
        found = self.cur.execute(f"SELECT _row, col, message FROM {PROBLEMS} ORDER BY _row, seq").fetchall()
        return [Problem(row=row, column=col, message=message) for row, col, message in found]


def _used(sql: str) -> dict:
    """The named patterns an SQL text refers to."""
    return {name: pattern for name, pattern in PATTERNS.items() if f"${name}" in sql}


def params(sql: str, **extra) -> dict:
    """Parameters for an SQL text: the patterns it names plus `extra`."""
    return {**_used(sql), **extra}
