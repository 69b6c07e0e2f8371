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


def resolve_names(texts: pd.Series, jaar: pd.Series, index: NameIndex) -> tuple[pd.Series, pd.Series]:
    """(code, reason) per row, each distinct (name, year) looked up once."""
    pairs = pd.DataFrame({"t": texts, "j": pd.to_numeric(jaar, errors="coerce").fillna(-1).astype(int)})
    done = {(t, j): index.resolve(t, None if j < 0 else j)
            for t, j in pairs.drop_duplicates().itertuples(index=False)}
    got = [done[(t, j)] for t, j in pairs.itertuples(index=False)]
    return (pd.Series([g[0] for g in got], index=texts.index, dtype=object),
            pd.Series([g[1] for g in got], index=texts.index, dtype=object))


def region_codes(frame: pd.DataFrame, region_col: str, code_col: str | None, jaar: pd.Series, ctx,
                 checks) -> tuple[pd.Series, pd.Series]:
    """(code, name) per row. A valid code column wins, then a region column holding codes (OData keys), then the
    region column's text as a name; a row none of these gives a code is rejected with the reason."""
    from loaders.values import normalise_code

    text = frame[region_col]
    as_code = normalise_code(text)
    valid = is_code(as_code) | ctx.known(as_code)
    codes = as_code.where(valid)
    if code_col is not None:
        coded = normalise_code(frame[code_col])
        codes = coded.where(is_code(coded) | ctx.known(coded), codes)
    names = text.where(~valid).map(lambda t: split_level(t)[0] if isinstance(t, str) and t else None)
    todo = codes.isna()
    if todo.any():
        niveaus = codes.dropna().str[:2].map(NIVEAU_BY_PREFIX)
        own = pd.DataFrame({"code": codes.dropna(), "name": names[codes.notna()], "niveau": niveaus}).dropna()
        index = NameIndex.from_db(ctx.con, own.drop_duplicates("code"))
        found, reason = resolve_names(text[todo], jaar[todo], index)
        codes[todo] = found
        checks.reject(todo & codes.isna(), region_col, lambda r: r, reason.reindex(text.index))
    return codes, names


def register(codes: pd.Series, names: pd.Series | None, jaar: pd.Series, ctx,
             ok: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Rows for regions (code, level, name where new), wijk/buurt parents and the years a code appears in."""
    import numpy as np

    known = ctx.known_regions.drop_duplicates("code").set_index("code")["niveau"]
    niveau = codes.str[:2].map(NIVEAU_BY_PREFIX).astype(object).combine_first(codes.map(known).astype(object))
    regions = pd.DataFrame({"code": codes[ok], "niveau": niveau[ok],
                            "name": names[ok] if names is not None else None}).drop_duplicates("code", keep="last")
    parent = np.where(regions["niveau"] == "WK", "GM" + regions["code"].str[2:6],
                      np.where(regions["niveau"] == "BU", "WK" + regions["code"].str[2:8], None))
    parents = pd.DataFrame({"code": regions["code"], "parent_code": parent}).dropna()
    years = pd.DataFrame({"code": codes[ok], "jaar": jaar[ok].astype("int64")}).drop_duplicates()
    return regions, parents, years
