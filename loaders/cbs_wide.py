"""Wide CBS tables (KWB, OData v3 `TypedDataSet`, cbsodata output, StatLine web downloads) made long in DuckDB.

The file is a text table (`loaders.text_table`); its shape is read from the header (`loaders.cbs_shape.layout_of`);
one row per file row (`cbs_rows`: period, region code, categories) and one row per cell (`UNPIVOT` of the measure
columns) are built and checked in SQL, and `cbs_values` is written from the result set-based. Python only handles
what is per column or per distinct label: the header, period labels and region names (each distinct one once).
"""

from __future__ import annotations

import pandas as pd

from loaders import cbs_regions, cbs_sql
from loaders.breaks import INDELING_COLUMN
from loaders.cbs_shape import NAME_COLUMN, Layout, is_web_download, layout_of, parse_period, stem, web_download
from loaders.columns import LoadContext, Prepared, SqlTable
from loaders.report import FileRefused
from loaders.text_table import TextTable

ROWS, CELLS = "cbs_rows", "cbs_cells"
# What a cell takes from its row.
ROW_COLUMNS = ("code", "periode", "jaar", "status", "suffix")
PERIOD_MESSAGE = "'{}' is geen CBS-periode (zoals 2023JJ00, 2023, 1e halfjaar 2023 of 2e kwartaal 2023)"
PEILDATUM_MESSAGE = "'{}' is geen peildatum (zoals 1-1-2023)"
NUMBER_MESSAGE = "'{}' is geen getal en geen CBS-teken (. x -)"
REPEAT_MESSAGE = "dezelfde regio, periode en categorie als rij {}; deze rij is niet geladen"


class Wide:
    """One wide file on its way through SQL: the text table, its layout and SQL column per key."""

    def __init__(self, tt: TextTable, ctx: LoadContext):
        self.tt, self.ctx, self.cur = tt, ctx, ctx.con
        renames = web_download(tt.columns)[0] if is_web_download(tt.columns) else {c: c for c in tt.columns}
        self.keys = [renames[c] for c in tt.columns]
        _, self.lay = layout_of(tt.columns, self._is_text)
        if not self.lay.region:
            raise FileRefused(
                f"{ctx.display}: geen regiokolom gevonden (verwacht WijkenEnBuurten, RegioS, Wijken, Gemeenten, "
                "Codering_N of een kolom '... (code)')."
            )
        self.problems = cbs_sql.Problems(self.cur)

    def col(self, key: str | None) -> str | None:
        """The SQL column of a key (`t.c4`)."""
        return None if key is None else f"t.c{self.keys.index(key)}"

    def _is_text(self, key: str) -> bool:
        """`cbs_shape.mostly_text` in SQL: most distinct filled cells are no number."""
        column = f"c{self.keys.index(key)}"
        share = self.cur.execute(
            f"SELECT avg((cbs_number(v) IS NULL)::INTEGER) FROM (SELECT DISTINCT {column} AS v FROM {self.tt.name} "
            f"WHERE {column} NOT IN (SELECT symbol FROM cbs_symbols))"
        ).fetchall()[0][0]
        return share is not None and share > 0.5


def prepare_text(tt: TextTable, ctx: LoadContext, table_id_of, meta: dict, measure_info) -> Prepared:
    w = Wide(tt, ctx)
    _rows(w, table_id_of)
    _regions(w)
    suffix = _dimensions(w)
    warnings: list[str] = []
    measures = _cells(w, warnings)
    if not measures:
        raise FileRefused(f"{ctx.display}: geen enkele meetkolom gevonden naast de regio-, periode- en "
                          "dimensiekolommen.")
    _names(w)
    _repeats(w, suffix)
    cur = w.cur
    cur.execute(f"UPDATE {ROWS} SET ok = _row NOT IN {w.problems.rows()}")
    table_id = table_id_of(w.lay)
    accepted = cur.execute(f"SELECT count(*) FROM {ROWS} WHERE ok").fetchall()[0][0]
    kept = [m for m in measures if not m["skipped"]]
    everything = accepted == tt.rows and len(kept) == len(measures)
    values = SqlTable(
        select="SELECT $table_id AS table_id, code AS regio_code, periode, jaar, measure || suffix AS measure, "
               f"key AS original_key, value, missing_reason, status FROM {CELLS} "
               + ("" if everything else f"WHERE _row IN (SELECT _row FROM {ROWS} WHERE ok) AND list_contains($kept, "
                                         "measure)"),
        params={"table_id": table_id, **({} if everything else {"kept": [m["measure"] for m in kept]})},
        only={"table_id": table_id}, rows=accepted * len(kept), drop=[CELLS, ROWS])
    suffixes = [s for (s,) in cur.execute(f"SELECT DISTINCT suffix FROM {ROWS} WHERE ok ORDER BY 1").fetchall()]
    infos = [measure_info(table_id, m["measure"], m["keys"], meta.get(m["keys"][0]) or _title_info(w.lay, m["keys"][0]),
                          m["top"], warnings) for m in kept]
    regions, parents, years = cbs_regions.register_sql(cur, ROWS)
    tables = {
        "regions_if_new": regions, "region_parents_if_new": parents, "region_years": years,
        "cbs_measures": _with_categories(pd.DataFrame(infos), suffixes),
        "cbs_values": values,
        "region_breaks": _breaks(w),
    }
    problems = w.problems.fetch()
    for name in (tt.name, cbs_sql.PROBLEMS):
        cur.execute(f"DROP TABLE IF EXISTS {name}")
    return Prepared(tables=tables, rows_accepted=accepted, problems=problems, warnings=warnings)


def _rows(w: Wide, table_id_of) -> None:
    """One row per file row: period (label, year, status), the region and code text, empty slots for the rest."""
    lay, cur, ctx = w.lay, w.cur, w.ctx
    if lay.period:
        texts = [t for (t,) in cur.execute(f"SELECT DISTINCT {w.col(lay.period)} FROM {w.tt.name} t").fetchall()]
        parsed = [(t, *(parse_period(t) or (None, None, False))) for t in texts]
        frame = pd.DataFrame(parsed, columns=["text", "periode", "jaar", "voorlopig"]).astype({"jaar": "Int64"})
        cur.register("cbs_period_frame", frame)
        period = ("p.periode, p.jaar::BIGINT AS jaar, CASE WHEN p.voorlopig THEN 'voorlopig' END AS status",
                  f"LEFT JOIN cbs_period_frame p ON p.text = {w.col(lay.period)}", {})
    elif lay.peildatum:
        year = (f"nullif(coalesce(nullif(regexp_extract({w.col(lay.peildatum)}, '^\\d{{1,2}}-\\d{{1,2}}-(\\d{{4}})$', 1), "
                f"''), regexp_extract({w.col(lay.peildatum)}, '^(\\d{{4}})-\\d{{2}}-\\d{{2}}', 1)), '')")
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
            f"NULL::TEXT AS name, ''::TEXT AS suffix, NULL::BOOLEAN AS ok FROM {w.tt.name} t {join}",
            params,
        )
    finally:
        if lay.period:
            cur.unregister("cbs_period_frame")
    if lay.period:
        w.problems.reject(f"{ROWS} r JOIN {w.tt.name} t USING (_row)", "r.periode IS NULL", lay.period,
                          PERIOD_MESSAGE, w.col(lay.period))
    elif lay.peildatum:
        w.problems.reject(f"{ROWS} r JOIN {w.tt.name} t USING (_row)", "r.periode IS NULL", lay.peildatum,
                          PEILDATUM_MESSAGE, w.col(lay.peildatum))


def _regions(w: Wide) -> None:
    """`cbs_regions.region_codes` in SQL: codes of the CBS form or known, else names resolved by a join."""
    cbs_regions.codes_sql(w.cur, ROWS)
    reasons = cbs_regions.resolve_sql(w.cur, ROWS)
    if reasons:
        w.problems.reject(f"{ROWS} r JOIN cbs_name_codes n ON n.text = r.region_text AND n.jaar = coalesce(r.jaar, -1)",
                          "r.code IS NULL", w.lay.region, "{}", "n.reason")


def _dimensions(w: Wide) -> str:
    """Per row the measure suffix of its categories, `|VormenVanJeugdzorg=Totaal alle jeugdzorg in natura`."""
    parts, params = [], {}
    source = f"{w.tt.name} t"
    for i, dim in enumerate(w.lay.dims):
        col = w.col(dim)
        category = f"replace(regexp_replace({col}, '\\s+', ' ', 'g'), '|', '/')"
        w.problems.reject(source, f"{category} = ''", dim, f"lege categorie in dimensie {dim}")
        w.problems.unsafe_text(source, dim, col)
        parts.append(f"'|' || $dim{i} || '=' || {category}")
        params[f"dim{i}"] = dim
    if parts:
        w.cur.execute(f"UPDATE {ROWS} r SET suffix = {' || '.join(parts)} FROM {w.tt.name} t WHERE t._row = r._row",
                      params)
    return "suffix"


def _groups(w: Wide) -> dict[str, list[str]]:
    """Columns sharing a stem are one measure only if no row fills more than one of them; else keep full keys."""
    groups: dict[str, list[str]] = {}
    for key in w.lay.measures:
        groups.setdefault(stem(key), []).append(key)
    out: dict[str, list[str]] = {}
    for measure, keys in groups.items():
        if len(keys) > 1:
            filled = " + ".join(f"({w.col(k)} NOT IN (SELECT symbol FROM cbs_symbols))::INTEGER" for k in keys)
            if w.cur.execute(f"SELECT coalesce(max({filled}), 0) > 1 FROM {w.tt.name} t").fetchall()[0][0]:
                out.update({key: [key] for key in keys})
                continue
        out[measure] = keys
    return out


def _cells(w: Wide, warnings: list[str]) -> list[dict]:
    """UNPIVOT the measure columns into `cbs_cells` (one coalesced text per row and measure), parse every cell,
    reject unreadable ones and skip a column that is mostly text."""
    groups = _groups(w)
    if not groups:
        return []
    cur = w.cur
    mapping = pd.DataFrame([(f"c{w.keys.index(k)}", k, m, pos) for m, keys in groups.items()
                            for pos, k in enumerate(keys)], columns=["col", "key", "measure", "pos"])
    cols = ", ".join(mapping["col"])
    cur.register("cbs_column_frame", mapping)
    try:
        # The row's code, period and categories are known by now: joined per row here, not per cell later.
        row = f"u._row, {', '.join(f'u.{c}' for c in ROW_COLUMNS)}"
        unpivot = (f"SELECT {row}, m.measure, m.key, m.pos, u.text FROM (UNPIVOT (SELECT t._row, "
                   f"{', '.join(f'r.{c}' for c in ROW_COLUMNS)}, {cols} FROM {w.tt.name} t JOIN {ROWS} r USING (_row)) "
                   f"ON {cols} INTO NAME col VALUE text) u JOIN cbs_column_frame m USING (col)")
        if len(mapping) > len(groups):
            # A real value wins; else a missing symbol such as '.'; else the cell is simply empty.
            rank = ("CASE WHEN text NOT IN (SELECT symbol FROM cbs_symbols) THEN 0 WHEN text <> '' THEN 1 ELSE 2 END")
            unpivot = (f"SELECT {row.replace('u.', '')}, measure, arg_min(key, ({rank}, pos)) AS key, "
                       f"arg_min(text, ({rank}, pos)) AS text FROM ({unpivot}) u GROUP BY ALL")
        cur.execute(
            f"CREATE OR REPLACE TEMP TABLE {CELLS} AS SELECT c.*, s.reason AS missing_reason, "
            f"CASE WHEN s.reason IS NULL THEN cbs_value(c.text) END AS value "
            f"FROM ({unpivot}) c LEFT JOIN cbs_symbols s ON s.symbol = c.text"
        )
    finally:
        cur.unregister("cbs_column_frame")
    stats = {m: (bad, present, top) for m, bad, present, top in cur.execute(
        "SELECT measure, count(*) FILTER (missing_reason IS NULL AND value IS NULL), "
        f"count(*) FILTER (missing_reason IS NULL), max(value) FROM {CELLS} GROUP BY measure").fetchall()}
    out = []
    for measure, keys in groups.items():
        bad, present, top = stats.get(measure, (0, 0, None))
        skipped = bool(bad) and bad > present / 2
        if skipped:
            warnings.append(f"kolom {keys[0]} bevat tekst en is overgeslagen.")
        elif bad:
            w.problems.reject(CELLS, "measure = $measure AND missing_reason IS NULL AND value IS NULL", keys[0],
                              NUMBER_MESSAGE, "text", {"measure": measure})
        out.append({"measure": measure, "keys": keys, "top": top, "skipped": skipped})
    return out


def _names(w: Wide) -> None:
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
    w.cur.execute(f"UPDATE {ROWS} r SET name = coalesce(r.titled, {other}) FROM {w.tt.name} t WHERE t._row = r._row")
    w.problems.unsafe_text(ROWS, w.lay.region, "coalesce(titled, '')")
    w.problems.unsafe_text(ROWS, column, "CASE WHEN titled IS NULL THEN coalesce(name, '') ELSE '' END")


def _repeats(w: Wide, suffix: str) -> None:
    """A row with the region, period and categories of an earlier row is rejected, naming that row."""
    first = (f"(SELECT _row, min(_row) OVER (PARTITION BY code, periode, {suffix}) AS first FROM {ROWS} "
             f"WHERE _row NOT IN {w.problems.rows()})")
    w.problems.reject(first, "_row <> first", w.lay.region, REPEAT_MESSAGE, "first::TEXT")


def _breaks(w: Wide) -> pd.DataFrame:
    """`loaders.breaks`: (code, jaar, wijziging) for accepted rows whose Indelingswijziging column says 2 or 3."""
    columns = [k for k in w.keys if INDELING_COLUMN.match(k)]
    if not columns:
        return pd.DataFrame(columns=["code", "jaar", "wijziging"])
    return w.cur.execute(
        f"SELECT code, jaar, arg_max(w, _row)::BIGINT AS wijziging FROM (SELECT r._row, r.code, r.jaar, "
        f"cbs_number({w.col(columns[0])}) AS w FROM {ROWS} r JOIN {w.tt.name} t USING (_row) "
        "WHERE r.ok AND r.jaar IS NOT NULL) WHERE w IN (2, 3) GROUP BY code, jaar ORDER BY code, jaar"
    ).df()


def _title_info(lay: Layout, key: str) -> dict:
    title, unit = lay.titles.get(key, (None, None))
    return {"title": title, "unit": unit} if title else {}


def _with_categories(measures: pd.DataFrame, suffixes: list[str]) -> pd.DataFrame:
    """One row per stored measure (every measure with every category combination of an accepted row): a stem with
    categories gets its title with the categories in parentheses."""
    if measures.empty or not suffixes:
        return measures.iloc[0:0]
    out = measures.merge(pd.DataFrame({"suffix": suffixes}), how="cross")
    cats = out["suffix"].map(lambda s: ", ".join(p.split("=", 1)[1] for p in s.split("|")[1:]))
    has = cats != ""
    out.loc[has, "title"] = out.loc[has, "title"].fillna(out.loc[has, "measure"]) + " (" + cats[has] + ")"
    out["measure"] = out["measure"] + out["suffix"]
    return out.drop(columns="suffix")

