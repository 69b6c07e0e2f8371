"""Lazy validation as SQL over a staged file: typed columns, every rule a query, one table of problems.

`SqlChecks` turns a kind's column specs (`loaders.columns.Column`) into `_load_t`: per column the file's text
(`r_<name>`), its parsed value (`<name>`; dates outside the plausible range NULL, their raw parse in `p_<name>`).
Each rule is a condition on that table with a Dutch message built in SQL from the row's own values; together they
fill `_load_problems (row, col, msg, ord)`, from which the same report as before is built. Good rows are the rows
without a problem, selected set-wise. Rules that look across many rows of a small file (the region tree, age bands)
may still run vectorised in pandas on `frame()`; their problems join the SQL ones (`add_frame_problems`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loaders import sqlmacros
from loaders.columns import TYPE_WORDS, Column, LoadContext, RowChecks, as_number_text, match_columns
from loaders.read import RawTable
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


class SqlChecks:
    """The rules of one file kind over the staged file; `run()` writes the problems table."""

    def __init__(self, staged: Staged, ctx: LoadContext, spec: list[Column], kind: str):
        self.staged, self.ctx, self.spec, self.kind = staged, ctx, spec, kind
        self.cur = staged.cur
        self.found = match_columns(staged.names(), spec, ctx.display, kind)
        self.rules: list[Rule] = []
        self._checks: RowChecks | None = None
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

        self.staged.materialize(create)
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
        """Every rule over the typed table, in one statement; then the good rows (`_load_good`)."""
        parts, params = [], []
        for number, rule in enumerate(self.rules):
            text, text_params = rule.text
            parts.append(f"SELECT _row AS row, ?::VARCHAR AS col, {text} AS msg, {number} AS ord FROM {TYPED} "
                         f"WHERE {rule.condition}")
            params += [rule.column, *text_params, *rule.params]
        union = " UNION ALL ".join(parts) or "SELECT NULL::BIGINT AS row, NULL AS col, NULL AS msg, 0 AS ord LIMIT 0"
        self.cur.execute(f"CREATE OR REPLACE TEMP TABLE {PROBLEMS} AS {union}", params)
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
        from_frame = self._checks.problems() if self._checks is not None else []
        return sorted(found + from_frame, key=lambda p: p.row)

    def bad_rows(self) -> int:
        return self.cur.execute(f"SELECT count(DISTINCT row) FROM {PROBLEMS}").fetchone()[0]

    # --- the pandas bridge for cross-row rules of small files ------------------------------------------------------
    def frame(self) -> tuple[pd.DataFrame, RowChecks]:
        """The typed table as pandas (index: the file row number) and RowChecks for rules that stay vectorised;
        rows SQL already rejected are marked bad. Their problems join the SQL ones in `problems()`."""
        names = [c.name for c in self.spec]
        casts = [f"{n}::TIMESTAMP AS {n}" if c.type == "date" else n for n, c in zip(names, self.spec)]
        raws = [f"r_{n}" for n in self.found]
        typed = self.cur.execute(f"SELECT _row, {', '.join(casts + raws)} FROM {TYPED} ORDER BY _row").df()
        typed.index = typed.pop("_row").to_numpy()
        raw = typed[raws].rename(columns={f"r_{n}": self.found[n] for n in self.found}).fillna("")
        f = typed[names].copy()
        for col in self.spec:
            if col.type in ("text", "code", "regio", "token"):
                f[col.name] = f[col.name].astype(object).where(f[col.name].notna(), None)
        checks = RowChecks(RawTable(frame=raw, fmt=self.staged.fmt, first_row=0))
        bad = self.cur.execute(f"SELECT DISTINCT row FROM {PROBLEMS}").df()["row"].to_numpy()
        checks.bad = np.isin(f.index.to_numpy(), bad)
        self._checks = checks
        return f, checks

    def drop(self) -> None:
        for view in (GOOD, "_load_keyed", "_load_ok"):
            self.cur.execute(f"DROP VIEW IF EXISTS {view}")
        for table in (TYPED, PROBLEMS, "_load_repeats"):
            self.cur.execute(f"DROP TABLE IF EXISTS {table}")
