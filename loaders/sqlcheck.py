"""Lazy validation as SQL over a staged file: typed columns, every rule a query, one table of problems.

`SqlChecks` turns a kind's column specs (`loaders.columns.Column`) into `_load_t`: per column the file's text
(`r_<name>`), its parsed value (`<name>`; dates outside the plausible range NULL, their raw parse in `p_<name>`).
Each rule is a condition on that table with a Dutch message built in SQL from the row's own values; together they
fill `_load_problems (row, col, msg, ord)`, from which the same report as before is built. Good rows are the rows
without a problem, selected set-wise. Rules that look across rows (the region tree, age bands, participants against
the population) are queries too (`reject_rows`); a second `run()` lets a rule see the rows the first one kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from loaders import sqlmacros
from loaders.columns import TYPE_WORDS, Column, LoadContext, as_number_text, match_columns
from loaders.report import Problem
from loaders.stage import RAW, Staged
from loaders.values import DATE_MAX, DATE_MIN, OPEN_END, as_date_text

TYPED = "_load_t"
PROBLEMS = "_load_problems"
GOOD = "_load_good"
FORMULA = "' lijkt een spreadsheetformule; zo'n waarde wordt niet geladen"
CONTROL = "de waarde bevat een tab, regeleinde of ander stuurteken; zo'n waarde wordt niet geladen"
SQL_TYPES = {"int": "DOUBLE", "float": "DOUBLE", "euro": "DOUBLE", "date": "DATE"}


class Sql(str):
    """A piece of SQL in a message (a column or expression of ours), as opposed to literal text."""


def message(*parts: str) -> tuple[str, list]:
    """`message("'", Sql("r_x"), "' is negatief")` -> (`concat(?, r_x, ?)`, the literal parts as parameters)."""
    sql, params = [], []
    for part in parts:
        if isinstance(part, Sql):
            sql.append(f"coalesce(({part})::VARCHAR, '')")
        else:
            sql.append("?")
            params.append(part)
    return f"concat({', '.join(sql)})", params


@dataclass
class Rule:
    condition: str
    column: str | None
    text: tuple[str, list]
    params: list = field(default_factory=list)
    query: str | None = None  # a rule over several rows: a SELECT of (_row, msg); `condition` and `text` unused

    def select(self, number: int) -> tuple[str, list]:
        if self.query is not None:
            return (f"SELECT _row AS row, ?::VARCHAR AS col, msg, {number} AS ord FROM ({self.query})",
                    [self.column, *self.params])
        text, text_params = self.text
        return (f"SELECT _row AS row, ?::VARCHAR AS col, {text} AS msg, {number} AS ord FROM {TYPED} "
                f"WHERE {self.condition}", [self.column, *text_params, *self.params])


class SqlChecks:
    """The rules of one file kind over the staged file; `run()` writes the problems table."""

    def __init__(self, staged: Staged, ctx: LoadContext, spec: list[Column], kind: str):
        self.staged, self.ctx, self.spec, self.kind = staged, ctx, spec, kind
        self.cur = staged.cur
        self.found = match_columns(staged.names(), spec, ctx.display, kind)
        self.rules: list[Rule] = []
        self._done, self._ran = 0, False  # rules already run; whether the problems table exists
        sqlmacros.install(self.cur)
        self._typed_table()
        for col in spec:
            if col.name in self.found:
                self._column_rules(col)

    # --- the typed table ------------------------------------------------------------------------------------------
    def col(self, name: str) -> str:
        """The file's own name of a column (for messages), or the canonical name when the file lacks it."""
        return self.found.get(name, name)

    def has(self, name: str) -> bool:
        return name in self.found

    def _typed_table(self) -> None:
        """Inner query: the text and one parse per cell; outer: the parse limited to plausible values (so a cell is
        parsed once, not once per use)."""
        inner, outer, params = ["r._row"], ["_row"], []
        for col in self.spec:
            name, source = col.name, self.found.get(col.name)
            inner.append(f"{f'r.{self.staged.columns[source]}' if source else 'NULL::VARCHAR'} AS r_{name}")
            outer.append(f"r_{name}")
            if col.type == "date":
                inner.append(f"jm_date(r.{self.staged.columns[source]}) AS p_{name}" if source
                             else f"NULL::DATE AS p_{name}")
                outer += [f"p_{name}", f"CASE WHEN p_{name} BETWEEN ?::DATE AND ?::DATE THEN p_{name} END AS {name}"]
                params += [DATE_MIN.date(), DATE_MAX.date()]
            elif col.type in SQL_TYPES:
                tdot = str(col.type in ("int", "euro")).lower()
                inner.append(f"jm_number_any(r.{self.staged.columns[source]}, {tdot}) AS n_{name}" if source
                             else f"NULL::DOUBLE AS n_{name}")
                outer.append(f"jm_limit(n_{name}) AS {name}")
            elif source is None:
                outer.append(f"NULL::VARCHAR AS {name}")
            elif col.normalise is not None:
                outer.append(f"NULL::VARCHAR AS {name}")  # `_normalise`, after the file is read
            elif col.type in ("code", "regio"):
                outer.append(f"upper(r_{name}) AS {name}")
            elif col.type == "token":
                outer.append(f"jm_token(r_{name}) AS {name}")
            else:
                outer.append(f"r_{name} AS {name}")
        sql = (f"CREATE OR REPLACE TEMP TABLE {TYPED} AS SELECT {', '.join(outer)} FROM "
               f"(SELECT {', '.join(inner)} FROM {RAW} r)")

        def create() -> int:
            self.cur.execute(sql, params)
            return self.cur.execute(f"SELECT count(*) FROM {TYPED}").fetchone()[0]

        self.staged.materialize(create, TYPED)
        for col in self.spec:
            if col.normalise is not None and col.name in self.found:
                self._normalise(col)

    def _normalise(self, col: Column) -> None:
        """A Python normaliser applied once per distinct text (a few hundred at most), then set in SQL."""
        name = col.name
        texts = self.cur.execute(f"SELECT DISTINCT r_{name} AS k FROM {TYPED} WHERE r_{name} IS NOT NULL").df()["k"]
        mapping = pd.DataFrame({"k": texts.astype(object), "v": col.normalise(texts.astype(str)).astype(object)})
        self.cur.register("_load_map_frame", mapping)
        try:
            self.cur.execute(f"UPDATE {TYPED} SET {name} = m.v::VARCHAR FROM _load_map_frame m "
                             f"WHERE {TYPED}.r_{name} = m.k::VARCHAR")
        finally:
            self.cur.unregister("_load_map_frame")

    # --- rules ----------------------------------------------------------------------------------------------------
    def reject(self, condition: str, column: str | None, text: tuple[str, list] | str, params: list | None = None):
        """Reject the rows of `_load_t` where `condition` holds (its `?` filled from `params`), with `text` (a
        literal, or `message(...)`) as reason."""
        self.rules.append(Rule(condition, column, message(text) if isinstance(text, str) else text, params or []))

    def reject_rows(self, query: str, column: str | None, params: list | None = None) -> None:
        """Reject the rows a query over several rows names: it returns (`_row`, `msg`). Run after a first `run()`,
        it may read `_load_ok`, the rows no rule rejected so far."""
        self.rules.append(Rule("", column, ("", []), params or [], query=query))

    def _column_rules(self, col: Column) -> None:
        name, source, raw = col.name, self.found[col.name], Sql(f"r_{col.name}")
        if col.required:
            self.reject(f"{raw} IS NULL", source, "verplichte waarde ontbreekt")
        if col.type in ("text", "code", "regio", "token"):
            self.reject(f"jm_formula({raw})", source, message("'", Sql(f"left({raw}, 40)"), FORMULA))
            if self.staged.may_have_control:
                self.reject(f"jm_control({raw}) AND NOT jm_formula({raw})", source, CONTROL)
            if col.type == "regio":
                self.reject(f"jm_not_cbs_code({name}) AND NOT jm_formula({raw})", source,
                            message("'", raw, "' is geen CBS-regiocode (zoals GM0363, WK036301 of BU03630101)"))
            if col.choices:
                self.reject(f"{raw} IS NOT NULL AND NOT list_contains(?, {name})", source,
                            message("'", raw, f"' is geen toegestane waarde (wel: {', '.join(col.choices)})"),
                            [list(col.choices)])
        elif col.type == "date":
            self._date_rules(col, source, raw)
        else:
            self._number_rules(col, source, raw)

    def _date_rules(self, col: Column, source: str, raw: Sql) -> None:
        parsed = f"p_{col.name}"
        self.reject(f"{raw} IS NOT NULL AND {parsed} IS NULL", source, message("'", raw, f"' is {TYPE_WORDS['date']}"))
        open_end = as_date_text(OPEN_END)
        if not col.open_end:
            self.reject(f"{parsed} = ?::DATE", source, message(
                "'", raw, f"' is geen echte datum (alleen als einddatum betekent {open_end}: geen einde)"),
                [OPEN_END.date()])
        self.reject(f"{parsed} < ?::DATE", source, message(
            "'", raw, f"' ligt vóór {as_date_text(DATE_MIN)}; zo'n vroege datum is niet aannemelijk"), [DATE_MIN.date()])
        self.reject(f"{parsed} > ?::DATE AND {parsed} <> ?::DATE", source, message(
            "'", raw, f"' ligt na {as_date_text(DATE_MAX)}; zo'n late datum is niet aannemelijk"),
            [DATE_MAX.date(), OPEN_END.date()])

    def _number_rules(self, col: Column, source: str, raw: Sql) -> None:
        name = col.name
        self.reject(f"{raw} IS NOT NULL AND {name} IS NULL", source,
                    message("'", raw, "' ", Sql(f"jm_number_problem({raw}, '{TYPE_WORDS[col.type]}')")))
        if col.type == "int":
            self.reject(f"{name} <> round({name})", source, message("'", raw, f"' is {TYPE_WORDS['int']}"))
        if col.minimum is not None:
            word = "negatief" if col.minimum == 0 else f"kleiner dan {as_number_text(col.minimum)}"
            self.reject(f"{name} < ?", source, message("'", raw, f"' is {word}"), [col.minimum])
        if col.maximum is not None:
            self.reject(f"{name} > ?", source, message("'", raw, f"' is groter dan {as_number_text(col.maximum)}"),
                        [col.maximum])

    def known_regions(self, name: str, niveaus: tuple[str, ...]) -> None:
        """A code of the CBS form that the database does not know at these levels (`columns.known_region_check`)."""
        self.reject(f"{name} IS NOT NULL AND NOT jm_not_cbs_code({name}) AND {name} NOT IN "
                    "(SELECT code FROM regions WHERE list_contains(?, niveau))", self.col(name),
                    message(f"onbekende {'/'.join(niveaus)}-code '", Sql(name),
                            "' (laad eerst een regio-indeling of CBS-bestand dat hem noemt)"), [list(niveaus)])

    # --- running --------------------------------------------------------------------------------------------------
    def run(self) -> None:
        """The rules added since the last run over the typed table, in one statement; then the good rows
        (`_load_good`)."""
        parts, params = [], []
        for number, rule in enumerate(self.rules[self._done:], start=self._done):
            sql, rule_params = rule.select(number)
            parts.append(sql)
            params += rule_params
        union = " UNION ALL ".join(parts) or "SELECT NULL::BIGINT AS row, NULL AS col, NULL AS msg, 0 AS ord LIMIT 0"
        if not self._ran:
            self.cur.execute(f"CREATE OR REPLACE TEMP TABLE {PROBLEMS} AS {union}", params)
        elif parts:
            self.cur.execute(f"INSERT INTO {PROBLEMS} {union}", params)
        self._done, self._ran = len(self.rules), True
        self.cur.execute(f"CREATE OR REPLACE TEMP VIEW _load_ok AS SELECT * FROM {TYPED} "
                         f"WHERE _row NOT IN (SELECT row FROM {PROBLEMS})")
        self.cur.execute(f"CREATE OR REPLACE TEMP VIEW {GOOD} AS SELECT * FROM _load_ok")

    def dedupe(self, keys: dict[str, str]) -> tuple[int, int]:
        """Keep the first (in file order) of the good rows with the same key (name -> SQL expression), set-wise:
        only keys that occur twice are looked at. `_load_good` then holds the kept rows, with the key columns as
        computed. Returns (good rows, rows kept)."""
        exprs = ", ".join(f"{expr} AS {name}" for name, expr in keys.items() if expr != name)
        self.cur.execute(f"CREATE OR REPLACE TEMP VIEW _load_keyed AS SELECT * "
                         f"{f'REPLACE ({exprs})' if exprs else ''} FROM _load_ok")
        names = ", ".join(keys)
        self.cur.execute(f"""CREATE OR REPLACE TEMP TABLE _load_repeats AS
            WITH keyed AS MATERIALIZED (SELECT _row, {names} FROM _load_keyed)
            SELECT k._row FROM keyed k
            SEMI JOIN (SELECT {names}, min(_row) AS first FROM keyed GROUP BY ALL HAVING count(*) > 1) d
                   ON {' AND '.join(f'k.{n} IS NOT DISTINCT FROM d.{n}' for n in keys)} AND k._row > d.first""")
        good = self.rows() - self.bad_rows()
        repeats = self.cur.execute("SELECT count(*) FROM _load_repeats").fetchone()[0]
        self.cur.execute(f"CREATE OR REPLACE TEMP VIEW {GOOD} AS SELECT * FROM _load_keyed "
                         "WHERE _row NOT IN (SELECT _row FROM _load_repeats)")
        return good, good - repeats

    def rows(self) -> int:
        return self.staged.rows

    def problems(self) -> list[Problem]:
        rows = self.cur.execute(f"SELECT row, col, msg FROM {PROBLEMS} ORDER BY row, ord").fetchall()
        found = [Problem(row=r, column=c, message=m) for r, c, m in rows]
        return found

    def bad_rows(self) -> int:
        return self.cur.execute(f"SELECT count(DISTINCT row) FROM {PROBLEMS}").fetchone()[0]

    def drop(self) -> None:
        """Remove the load's temporary tables (a transaction that an error aborted drops them itself)."""
        try:
            for view in (GOOD, "_load_keyed", "_load_ok"):
                self.cur.execute(f"DROP VIEW IF EXISTS {view}")
            for table in (TYPED, PROBLEMS, "_load_repeats", "_load_pop", "_load_parents", "_load_levels"):
                self.cur.execute(f"DROP TABLE IF EXISTS {table}")
        except duckdb.TransactionException:
            pass  # the caller's error is the one to report; its rollback removes the rest
