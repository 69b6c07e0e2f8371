"""Region codes of CBS files: only strings of the CBS form are codes; names resolve through the regions table.

A code is `NL01`, `PV..`, `JZ..`, `LD..`, `CR..`, `GM` + 4 digits, `WK` + 4 digits + 2, `BU` + 4 digits + 4
characters (letters since 2023, ASCII only), or a code a loaded `regios` file named. A name never becomes a code:
`Buitenveldert` is not a buurt. Where a file carries regions by name only (`Groningen (PV)`, `Achterhoek (JZ)`,
`'s-Gravenhage (gemeente)`, `Aa en Hunze`), the name is looked up among the names the database knows for that year;
a suffix picks the level, and a name that fits no region or several is a rejected row that says so.
"""

from __future__ import annotations

import re

import pandas as pd

from loaders.values import CBS_CODE

CODE_FORM = CBS_CODE  # ASCII digits only: `WK99990１` (a full-width digit) is no code
NIVEAU_BY_PREFIX = {"NL": "NL", "PV": "PV", "JZ": "JZ", "LD": "LD", "CR": "CR", "GM": "GM", "WK": "WK", "BU": "BU"}
LEVEL_SUFFIX = re.compile(
    r"^(?P<name>.*?\S)\s*\((?P<level>PV|JZ|LD|CR|gemeente|provincie|jeugdregio|landsdeel|corop(?:-gebied)?)\)$",
    re.IGNORECASE,
)
QUALIFIER = re.compile(r"^(?P<name>.*?\S)\s*\([^()]+\)$")
LEVEL_WORDS = {"pv": "PV", "provincie": "PV", "jz": "JZ", "jeugdregio": "JZ", "ld": "LD", "landsdeel": "LD",
               "cr": "CR", "corop": "CR", "corop-gebied": "CR", "gemeente": "GM"}
NATIONAL = {"nederland": "NL01"}


def code_niveau(code: str) -> str | None:
    """The level of one text that has exactly the form of a CBS region code (`'WK0363AA'` -> `'WK'`), else None."""
    return NIVEAU_BY_PREFIX[code[:2]] if CODE_FORM.fullmatch(code) else None


def is_code(codes: pd.Series) -> pd.Series:
    """True where the (stripped, upper-cased) text has the exact form of a CBS region code."""
    return codes.fillna("").str.fullmatch(CODE_FORM).astype(bool)


# The rules set-based, on the table of file rows (`loaders.cbs_rows`): columns _row, region_text, as_code, coded,
# jaar; filled in: code, titled (the region column's text as a name where it holds no code).
def codes_sql(cur, rows: str) -> None:
    """A valid code column wins, then a region column holding codes (OData keys), then the region text as a name."""
    valid = "(regexp_full_match({c}, $cbs_code) OR {k}.code IS NOT NULL)"
    as_valid, coded_valid = valid.format(c="r.as_code", k="k1"), valid.format(c="r.coded", k="k2")
    cur.execute(
        f"UPDATE {rows} SET code = v.code, titled = v.titled FROM (SELECT r._row, "
        f"CASE WHEN r.coded IS NOT NULL AND {coded_valid} THEN r.coded WHEN {as_valid} THEN r.as_code END AS code, "
        f"CASE WHEN NOT {as_valid} AND r.region_text <> '' THEN cbs_split_name(r.region_text, $level) END AS titled "
        f"FROM {rows} r LEFT JOIN regions k1 ON k1.code = r.as_code LEFT JOIN regions k2 ON k2.code = r.coded) v "
        f"WHERE v._row = {rows}._row",
        {"cbs_code": CODE_FORM.pattern, "level": "(?i)" + LEVEL_SUFFIX.pattern},
    )


# Name lookups as joins. The index: every named region of the database (with the years it appears in) and of the
# file's own coded rows (`cbs_own_names`, no years), under the key of its name without level suffix ('key') and,
# for a name with an addition (`Hengelo (O.)`), under the key of the name without it ('base').
NAME_INDEX_SQL = """
CREATE OR REPLACE TEMP TABLE cbs_name_index AS
WITH src AS (
    SELECT r.code, r.name, r.niveau, coalesce(list(y.jaar) FILTER (WHERE y.jaar IS NOT NULL), []) AS jaren, 0 AS prio
    FROM regions r LEFT JOIN region_years y ON y.code = r.code WHERE r.name IS NOT NULL
    GROUP BY r.code, r.name, r.niveau
    UNION ALL SELECT code, name, niveau, []::INTEGER[], 1 FROM cbs_own_names),
own AS (SELECT *, cbs_split_name(name, $level) AS own FROM src),
entries AS (
    SELECT 'key' AS idx, cbs_name_key(own) AS k, code, niveau, jaren, prio FROM own
    UNION ALL
    SELECT 'base', cbs_name_key(regexp_extract(own, $qualifier, 1)), code, niveau, jaren, prio FROM own
    WHERE regexp_matches(own, $qualifier))
SELECT idx, k, code, niveau, arg_max(jaren, prio) AS jaren FROM entries GROUP BY idx, k, code, niveau
"""
# Each distinct (text, year) without a code: its name key, level (a suffix such as `(PV)`) and the key of its name
# without an addition; then the candidates of three lookups in turn (the name; the name without its addition; the
# names whose base is this name), each filtered by level (a gemeente first when no level is given) and year (a wijk or
# buurt name only in a year the database knows it in); the first lookup with a candidate decides.
RESOLVE_SQL = """
CREATE OR REPLACE TEMP TABLE cbs_name_codes AS
WITH todo AS (
    SELECT DISTINCT region_text AS text, coalesce(jaar, -1) AS jaar FROM {rows} WHERE code IS NULL),
clean AS (SELECT *, trim(regexp_replace(text, '\\s+', ' ', 'g')) AS c FROM todo),
split AS (
    SELECT clean.*, cbs_split_name(c, $level) AS name, w.level
    FROM clean LEFT JOIN cbs_level_words w ON w.word = lower(nullif(regexp_extract(c, $level, 2), ''))),
keyed AS (
    SELECT text, jaar, level, cbs_name_key(name) AS k,
           CASE WHEN jaar NOT IN (-1, 0) THEN ' in ' || jaar ELSE '' END AS in_year,
           CASE WHEN regexp_matches(name, $qualifier) THEN cbs_name_key(regexp_extract(name, $qualifier, 1)) END AS qk
    FROM split),
cand AS (
    SELECT t.text, t.jaar, t.level, 1 AS stage, i.code, i.niveau, i.jaren
    FROM keyed t JOIN cbs_name_index i ON i.idx = 'key' AND i.k = t.k
    UNION ALL
    SELECT t.text, t.jaar, t.level, 2, i.code, i.niveau, i.jaren
    FROM keyed t JOIN cbs_name_index i ON i.idx = 'key' AND i.k = t.qk
    UNION ALL
    SELECT t.text, t.jaar, t.level, 3, i.code, i.niveau, i.jaren
    FROM keyed t JOIN cbs_name_index i ON i.idx = 'base' AND i.k = t.k),
leveled AS (
    SELECT * FROM (SELECT *, bool_or(niveau = 'GM') OVER (PARTITION BY text, jaar, stage) AS has_gm FROM cand)
    WHERE CASE WHEN level IS NOT NULL THEN niveau = level WHEN has_gm THEN niveau = 'GM' ELSE true END),
dated AS (
    SELECT *, bool_or(list_contains(jaren, jaar)) OVER (PARTITION BY text, jaar, stage) AS any_in_year
    FROM leveled),
per_stage AS (
    SELECT text, jaar, stage, list(DISTINCT code ORDER BY code) AS codes FROM dated
    WHERE CASE WHEN any_in_year THEN list_contains(jaren, jaar) ELSE len(jaren) = 0 OR niveau NOT IN ('WK', 'BU') END
    GROUP BY text, jaar, stage),
best AS (SELECT text, jaar, arg_min(codes, stage) AS codes FROM per_stage GROUP BY text, jaar)
SELECT k.text, k.jaar,
       CASE WHEN k.k = $national AND k.level IS NULL THEN $national_code WHEN len(b.codes) = 1 THEN b.codes[1] END
           AS code,
       CASE WHEN k.k = $national AND k.level IS NULL OR len(b.codes) = 1 THEN NULL
            WHEN b.codes IS NULL THEN replace(replace($unknown, '{{text}}', k.text), '{{when}}', k.in_year)
            ELSE replace(replace(replace($ambiguous, '{{text}}', k.text), '{{when}}', k.in_year), '{{codes}}',
                         array_to_string(b.codes[1:5], ', ')) END AS reason
FROM keyed k LEFT JOIN best b USING (text, jaar)
"""
UNKNOWN = ("'{text}' is geen CBS-regiocode en geen regionaam die de regio-indeling{when} kent; laad eerst de "
           "regio-indeling of een bestand met regiocodes")
AMBIGUOUS = "regionaam '{text}' is niet eenduidig{when}: past bij {codes}; gebruik een bestand met regiocodes"


def resolve_sql(cur, rows: str) -> bool:
    """Rows without a code: each distinct (text, year) looked up among the names the database and the file's coded
    rows know, as joins; the result table `cbs_name_codes` (text, jaar, code, reason) is joined back. True if any."""
    if not cur.execute(f"SELECT count(*) FROM {rows} WHERE code IS NULL").fetchall()[0][0]:
        return False
    words = pd.DataFrame({"word": list(LEVEL_WORDS), "level": list(LEVEL_WORDS.values())})
    patterns = {"level": "(?i)" + LEVEL_SUFFIX.pattern, "qualifier": QUALIFIER.pattern}
    cur.register("cbs_level_words", words)
    try:
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE cbs_own_names AS SELECT code, arg_min(titled, _row) AS name, "
            f"left(code, 2) AS niveau FROM {rows} WHERE code IS NOT NULL AND titled IS NOT NULL "
            "AND left(code, 2) IN (SELECT unnest($prefixes)) GROUP BY code", {"prefixes": list(NIVEAU_BY_PREFIX)})
        cur.execute(NAME_INDEX_SQL, patterns)
        (national, national_code), = NATIONAL.items()
        cur.execute(RESOLVE_SQL.format(rows=rows), {**patterns, "national": national, "national_code": national_code,
                                                    "unknown": UNKNOWN, "ambiguous": AMBIGUOUS})
    finally:
        cur.unregister("cbs_level_words")
    cur.execute(f"UPDATE {rows} SET code = n.code FROM cbs_name_codes n WHERE {rows}.code IS NULL "
                f"AND n.text = {rows}.region_text AND n.jaar = coalesce({rows}.jaar, -1)")
    for name in ("cbs_own_names", "cbs_name_index"):
        cur.execute(f"DROP TABLE {name}")
    return True


def register_sql(cur, rows: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """`register` for the accepted rows (`ok`) of a rows table with code, name, jaar: a code's level and name are
    those of its last row."""
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE cbs_region_rows AS SELECT r._row, r.code, r.name, r.jaar, "
        "CASE WHEN left(r.code, 2) IN (SELECT unnest($prefixes)) THEN left(r.code, 2) ELSE k.niveau END AS niveau "
        f"FROM {rows} r LEFT JOIN regions k ON k.code = r.code WHERE r.ok", {"prefixes": list(NIVEAU_BY_PREFIX)})
    last = ("SELECT code, arg_max_null(niveau, _row) AS niveau, arg_max_null(name, _row) AS name "
            "FROM cbs_region_rows GROUP BY code")
    regions = cur.execute(f"{last} ORDER BY code").df()
    parents = cur.execute(
        "SELECT code, CASE niveau WHEN 'WK' THEN 'GM' || substr(code, 3, 4) WHEN 'BU' THEN 'WK' || substr(code, 3, 6) "
        f"END AS parent_code FROM ({last}) WHERE niveau IN ('WK', 'BU') ORDER BY code").df()
    years = cur.execute(
        f"SELECT DISTINCT y.code, y.jaar::BIGINT AS jaar, l.name AS naam FROM cbs_region_rows y JOIN ({last}) l "
        "USING (code) ORDER BY y.code, jaar").df()
    cur.execute("DROP TABLE cbs_region_rows")
    return regions, parents, years
