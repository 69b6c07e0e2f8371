"""Region codes of CBS files: only strings of the CBS form are codes; names resolve through the regions table.

A code is `NL01`, `PV..`, `JZ..`, `LD..`, `CR..`, `GM` + 4 digits, `WK` + 4 digits + 2, `BU` + 4 digits + 4
characters (letters since 2023, ASCII only), or a code a loaded `regios` file named. A name never becomes a code:
`Buitenveldert` is not a buurt. Where a file carries regions by name only (`Groningen (PV)`, `Achterhoek (JZ)`,
`'s-Gravenhage (gemeente)`, `Aa en Hunze`), the name is looked up among the names the database knows for that year;
a suffix picks the level, and a name that fits no region or several is a rejected row that says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

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

# Every named region with the years it appears in (none known: any year).
CANDIDATES_SQL = """
SELECT r.code, r.name, r.niveau, list(y.jaar) FILTER (WHERE y.jaar IS NOT NULL) AS jaren
FROM regions r LEFT JOIN region_years y ON y.code = r.code
WHERE r.name IS NOT NULL
GROUP BY r.code, r.name, r.niveau
"""


def code_niveau(code: str) -> str | None:
    """The level of one text that has exactly the form of a CBS region code (`'WK0363AA'` -> `'WK'`), else None."""
    return NIVEAU_BY_PREFIX[code[:2]] if CODE_FORM.fullmatch(code) else None


def is_code(codes: pd.Series) -> pd.Series:
    """True where the (stripped, upper-cased) text has the exact form of a CBS region code."""
    return codes.fillna("").str.fullmatch(CODE_FORM).astype(bool)


def name_key(name: str) -> str:
    """Case, accents of quotes, spacing and hyphens do not matter: `'s-Gravenhage` == `’s Gravenhage`."""
    text = unicodedata.normalize("NFC", str(name)).casefold()
    return re.sub(r"[^\w]+", "", text)


def split_level(text: str) -> tuple[str, str | None]:
    """`Groningen (PV)` -> ('Groningen', 'PV'); `Aa en Hunze` -> ('Aa en Hunze', None)."""
    text = re.sub(r"\s+", " ", str(text).strip())
    m = LEVEL_SUFFIX.match(text)
    if not m:
        return text, None
    return m.group("name"), LEVEL_WORDS[m.group("level").lower()]


class NameIndex:
    """Names the database (and the file's own coded rows) know, for lookups by name, level and year."""

    def __init__(self, rows):
        self._by_key: dict[str, list[tuple[str, str, frozenset[int]]]] = defaultdict(list)
        self._by_base: dict[str, list[tuple[str, str, frozenset[int]]]] = defaultdict(list)
        for code, name, niveau, jaren in rows:
            own = split_level(name)[0]
            entry = (code, niveau, frozenset(jaren or ()))
            self._by_key[name_key(own)].append(entry)
            if qualifier := QUALIFIER.match(own):
                self._by_base[name_key(qualifier.group("name"))].append(entry)

    @classmethod
    def from_db(cls, con, extra: pd.DataFrame | None = None) -> "NameIndex":
        rows = con.cursor().execute(CANDIDATES_SQL).fetchall()
        if extra is not None and len(extra):
            rows += [(c, n, lvl, None) for c, n, lvl in extra[["code", "name", "niveau"]].itertuples(index=False)]
        return cls(rows)

    def resolve(self, text: str, jaar: int | None) -> tuple[str | None, str | None]:
        """(code, None) or (None, the Dutch reason)."""
        name, level = split_level(text)
        key = name_key(name)
        if key in NATIONAL and level is None:
            return NATIONAL[key], None
        codes = self._codes(key, level, jaar)
        qualifier = QUALIFIER.match(name)
        if not codes and qualifier:
            # `Hengelo (O.)`, `Midden-Brabant (Hart van Brabant)`: the reference may name it without the addition.
            codes = self._codes(name_key(qualifier.group("name")), level, jaar)
        if not codes:
            codes = self._codes(key, level, jaar, self._by_base)  # and the other way round
        when = f" in {jaar}" if jaar else ""
        if len(codes) == 1:
            return codes[0], None
        if not codes:
            return None, (f"'{text}' is geen CBS-regiocode en geen regionaam die de regio-indeling{when} kent; "
                          "laad eerst de regio-indeling of een bestand met regiocodes")
        return None, (f"regionaam '{text}' is niet eenduidig{when}: past bij {', '.join(codes[:5])}; "
                      "gebruik een bestand met regiocodes")

    def _codes(self, key: str, level: str | None, jaar: int | None, index=None) -> list[str]:
        found = {(c, lvl): jaren for c, lvl, jaren in (index or self._by_key).get(key, [])}
        if level:
            found = {k: j for k, j in found.items() if k[1] == level}
        elif any(k[1] == "GM" for k in found):
            # CBS writes a gemeente without a suffix where its name is unambiguous among gemeenten.
            found = {k: j for k, j in found.items() if k[1] == "GM"}
        in_year = {k: j for k, j in found.items() if jaar in j}
        if not in_year:
            # A gemeente, region or province keeps its name across years; a wijk or buurt name is only taken in a
            # year the database knows it in (a 2023 wijk name does not code a 2019 row).
            in_year = {k: j for k, j in found.items() if not (j and k[1] in ("WK", "BU"))}
        return sorted({c for c, _ in in_year})


# The same rules set-based, on a table of file rows (`loaders.cbs_wide`): columns _row, region_text, as_code, coded,
# jaar; filled in: code, titled (the region column's text as a name where it holds no code).
SPLIT_NAME = "coalesce(nullif(regexp_extract({t}, $level, 1), ''), {t})"


def codes_sql(cur, rows: str) -> None:
    """A valid code column wins, then a region column holding codes (OData keys), then the region text as a name."""
    valid = "(regexp_full_match({c}, $cbs_code) OR {k}.code IS NOT NULL)"
    as_valid, coded_valid = valid.format(c="r.as_code", k="k1"), valid.format(c="r.coded", k="k2")
    text = "trim(regexp_replace(r.region_text, '\\s+', ' ', 'g'))"
    cur.execute(
        f"UPDATE {rows} SET code = v.code, titled = v.titled FROM (SELECT r._row, "
        f"CASE WHEN r.coded IS NOT NULL AND {coded_valid} THEN r.coded WHEN {as_valid} THEN r.as_code END AS code, "
        f"CASE WHEN NOT {as_valid} AND r.region_text <> '' THEN {SPLIT_NAME.format(t=text)} END AS titled "
        f"FROM {rows} r LEFT JOIN regions k1 ON k1.code = r.as_code LEFT JOIN regions k2 ON k2.code = r.coded) v "
        f"WHERE v._row = {rows}._row",
        {"cbs_code": CODE_FORM.pattern, "level": "(?i)" + LEVEL_SUFFIX.pattern},
    )


def resolve_sql(cur, rows: str) -> bool:
    """Rows without a code: each distinct (text, year) looked up once among the names the database and the file's
    coded rows know; the result table `cbs_name_codes` (text, jaar, code, reason) is joined back. True if any."""
    todo = cur.execute(f"SELECT DISTINCT region_text, coalesce(jaar, -1) FROM {rows} WHERE code IS NULL").fetchall()
    if not todo:
        return False
    own = cur.execute(
        f"SELECT code, arg_min(titled, _row) AS name, left(code, 2) AS niveau FROM {rows} "
        "WHERE code IS NOT NULL AND titled IS NOT NULL AND left(code, 2) IN (SELECT unnest($prefixes)) GROUP BY code",
        {"prefixes": list(NIVEAU_BY_PREFIX)},
    ).df()
    index = NameIndex.from_db(cur, own)
    found = [(text, jaar, *index.resolve(text, None if jaar < 0 else jaar)) for text, jaar in todo]
    frame = pd.DataFrame(found, columns=["text", "jaar", "code", "reason"]).astype({"jaar": "int64"})
    cur.register("cbs_name_frame", frame)
    try:
        cur.execute("CREATE OR REPLACE TEMP TABLE cbs_name_codes AS SELECT * FROM cbs_name_frame")
    finally:
        cur.unregister("cbs_name_frame")
    cur.execute(f"UPDATE {rows} SET code = n.code FROM cbs_name_codes n WHERE {rows}.code IS NULL "
                f"AND n.text = {rows}.region_text AND n.jaar = coalesce({rows}.jaar, -1)")
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
