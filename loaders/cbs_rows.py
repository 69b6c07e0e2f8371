"""The rows of a CBS table in DuckDB, wide or long: the shape from the header, one row per file row (`cbs_rows`:
period, region code, name, categories) with every rejection in the problems table (`loaders.cbs_sql`).

Python only handles what is per column or per distinct label: the header, period labels and region names (each
distinct one once, joined back).
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from loaders import cbs_regions, cbs_sql
from loaders.cbs_shape import NAME_COLUMN, is_web_download, layout_of, parse_period, web_download
from loaders.columns import LoadContext
from loaders.report import FileRefused
from loaders.sqlcheck import PROBLEMS
from loaders.stage import RAW, Staged

ROWS, LOAD_INFO = "cbs_rows", "cbs_load_info"
PERIOD_MESSAGE = "'{}' is geen CBS-periode (zoals 2023JJ00, 2023, 1e halfjaar 2023 of 2e kwartaal 2023)"
PEILDATUM_MESSAGE = "'{}' is geen peildatum (zoals 1-1-2023)"
NUMBER_MESSAGE = "'{}' is geen getal en geen CBS-teken (. x -)"
REPEAT_MESSAGE = "dezelfde regio, periode en categorie als rij {}; deze rij is niet geladen"


class CbsText:
    """One CBS file on its way through SQL: the staged text table, its layout and SQL column per key."""

    text = "cbs_text"

    def __init__(self, staged: Staged, ctx: LoadContext):
        self.staged, self.ctx, self.cur = staged, ctx, ctx.con
        # An unnamed column (the index pandas writes first) named as pandas names it, so `SKIP_COLUMNS` knows it.
        header = [name or f"Unnamed: {i}" for i, name in enumerate(staged.names())]
        # The staged cells with an empty cell as '' (the stage makes it NULL), under the stage's names c0, c1, ...
        cells = "".join(f", coalesce({c}, '') AS {c}" for c in staged.columns.values())
        staged.materialize(lambda: self.cur.execute(
            f"CREATE OR REPLACE TEMP TABLE {self.text} AS SELECT _row{cells} FROM {RAW}").fetchall()[0][0], self.text)
        renames = web_download(header)[0] if is_web_download(header) else {c: c for c in header}
        self.keys = [renames[c] for c in header]
        _, self.lay = layout_of(header, self._is_text)
        if not self.lay.region:
            raise FileRefused(
                f"{ctx.display}: geen regiokolom gevonden (verwacht WijkenEnBuurten, RegioS, Wijken, Gemeenten, "
                "Codering_N of een kolom '... (code)')."
            )
        self.problems = cbs_sql.Problems(self.cur)

    def drop(self) -> None:
        """Drop the view of the file's cells and the helper tables (rows and cells stay until written)."""
        self.cur.execute(f"DROP TABLE IF EXISTS {self.text}")
        for table in (PROBLEMS, "cbs_symbols"):
            self.cur.execute(f"DROP TABLE IF EXISTS {table}")

    def col(self, key: str | None) -> str | None:
        """The SQL column of a key (`t.c4`)."""
        return None if key is None else f"t.c{self.keys.index(key)}"

    def _is_text(self, key: str) -> bool:
        """`cbs_shape.mostly_text` in SQL: most distinct filled cells are no number."""
        column = f"c{self.keys.index(key)}"
        share = self.cur.execute(
            f"SELECT avg((cbs_number(v) IS NULL)::INTEGER) FROM (SELECT DISTINCT {column} AS v FROM {self.text} "
            f"WHERE {column} NOT IN (SELECT symbol FROM cbs_symbols))"
        ).fetchall()[0][0]
        return share is not None and share > 0.5


def rows(w: CbsText, table_id_of) -> None:
    """One row per file row: period (label, year, status), the region and code text, empty slots for the rest."""
    lay, cur, ctx = w.lay, w.cur, w.ctx
    if lay.period:
        texts = [t for (t,) in cur.execute(f"SELECT DISTINCT {w.col(lay.period)} FROM {w.text} t").fetchall()]
        parsed = [(t, *(parse_period(t) or (None, None, False))) for t in texts]
        frame = pd.DataFrame(parsed, columns=["text", "periode", "jaar", "voorlopig"]).astype({"jaar": "Int64"})
        cur.register("cbs_period_frame", frame)
        period = ("p.periode, p.jaar::BIGINT AS jaar, CASE WHEN p.voorlopig THEN 'voorlopig' END AS status",
                  f"LEFT JOIN cbs_period_frame p ON p.text = {w.col(lay.period)}", {})
    elif lay.peildatum:
        col = w.col(lay.peildatum)
        year = (f"nullif(coalesce(nullif(regexp_extract({col}, '^\\d{{1,2}}-\\d{{1,2}}-(\\d{{4}})$', 1), ''), "
                f"regexp_extract({col}, '^(\\d{{4}})-\\d{{2}}-\\d{{2}}', 1)), '')")
        period = (f"{year} AS periode, TRY_CAST({year} AS BIGINT) AS jaar, NULL::TEXT AS status", "", {})
    else:
        table = table_id_of(None)
        from loaders.cbs import KNOWN_TABLES

        jaar = ctx.options.jaar or KNOWN_TABLES.get(table or "")
        if jaar is None:
            raise FileRefused(
                f"{ctx.display}: de periode is niet te bepalen (geen kolom Perioden of Peildatum); "
                "geef het jaar op met --jaar JJJJ, of het CBS-tabelnummer met --table (bijvoorbeeld --table 85618NED)."
            )
        period = ("$jaar::TEXT AS periode, $jaar::BIGINT AS jaar, NULL::TEXT AS status", "", {"jaar": int(jaar)})
    select, join, params = period
    code = f"upper({w.col(lay.code)})" if lay.code else "NULL::TEXT"
    try:
        cur.execute(
            f"CREATE OR REPLACE TEMP TABLE {ROWS} AS SELECT t._row, {select}, {w.col(lay.region)} AS region_text, "
            f"upper({w.col(lay.region)}) AS as_code, {code} AS coded, NULL::TEXT AS code, NULL::TEXT AS titled, "
            f"NULL::TEXT AS name, ''::TEXT AS suffix, NULL::BOOLEAN AS ok FROM {w.text} t {join}",
            params,
        )
    finally:
        if lay.period:
            cur.unregister("cbs_period_frame")
    if lay.period:
        w.problems.reject(f"{ROWS} r JOIN {w.text} t USING (_row)", "r.periode IS NULL", lay.period,
                          PERIOD_MESSAGE, w.col(lay.period))
    elif lay.peildatum:
        w.problems.reject(f"{ROWS} r JOIN {w.text} t USING (_row)", "r.periode IS NULL", lay.peildatum,
                          PEILDATUM_MESSAGE, w.col(lay.peildatum))


def regions(w: CbsText) -> None:
    """Codes of the CBS form or known to the database, else names resolved by joins (`loaders.cbs_regions`); a row
    without either is rejected with the reason."""
    cbs_regions.codes_sql(w.cur, ROWS)
    if cbs_regions.resolve_sql(w.cur, ROWS):
        w.problems.reject(f"{ROWS} r JOIN cbs_name_codes n ON n.text = r.region_text AND n.jaar = coalesce(r.jaar, -1)",
                          "r.code IS NULL", w.lay.region, "{}", "n.reason")
        w.cur.execute("DROP TABLE cbs_name_codes")


def names(w: CbsText) -> None:
    """A region's own name: the title in the region column (cbsodata), else a name column; `Gemeentenaam_N` names
    the gemeente on every KWB row, so it is a region's own name on gemeente rows only."""
    name_cols = [k for k in w.keys if NAME_COLUMN.match(k)]
    specific = [k for k in name_cols if not k.lower().startswith("gemeentenaam")]
    column = (specific or name_cols or [None])[0]
    if specific:
        other = f"nullif({w.col(column)}, '')"
    elif name_cols:
        other = f"CASE WHEN starts_with(r.code, 'GM') THEN nullif({w.col(column)}, '') END"
    else:
        other = "NULL"
    w.cur.execute(f"UPDATE {ROWS} r SET name = coalesce(r.titled, {other}) FROM {w.text} t WHERE t._row = r._row")
    w.problems.unsafe_text(ROWS, w.lay.region, "coalesce(titled, '')")
    w.problems.unsafe_text(ROWS, column, "CASE WHEN titled IS NULL THEN coalesce(name, '') ELSE '' END")


def repeats(w: CbsText, key: str, column: str) -> None:
    """A row with the region, period and categories of an earlier row is rejected, naming that row."""
    first = (f"(SELECT _row, min(_row) OVER (PARTITION BY code, periode, {key}) AS first FROM {ROWS} "
             f"WHERE _row NOT IN {w.problems.rows()})")
    w.problems.reject(first, "_row <> first", column, REPEAT_MESSAGE, "first::TEXT")




def accept(w: CbsText) -> int:
    """Mark the rows without a problem; their count."""
    w.cur.execute(f"UPDATE {ROWS} SET ok = _row NOT IN {w.problems.rows()}")
    return w.cur.execute(f"SELECT count(*) FROM {ROWS} WHERE ok").fetchall()[0][0]


def dropper(cur, *tables: str) -> Callable[[], None]:
    """What drops these temporary tables once the load has written from them (`Prepared.cleanup`)."""
    def drop() -> None:
        for name in tables:
            cur.execute(f"DROP TABLE IF EXISTS {name}")
    return drop


def load_info(cur, table_id: str) -> str:
    """A one-row table with what every stored value of this file shares (its table id), so that the query that
    writes the values needs no parameters."""
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {LOAD_INFO} AS SELECT $table_id::VARCHAR AS table_id",
                {"table_id": table_id})
    return LOAD_INFO
