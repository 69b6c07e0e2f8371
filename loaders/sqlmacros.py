"""The parsing rules of `loaders.values` as DuckDB macros, so a file's cells are parsed set-wise in SQL.

Each macro mirrors one function there (the same notations, the same limits); `tests/test_loaders_sql.py` checks them
against each other on the hostile values.
"""

from __future__ import annotations

from loaders.values import CBS_CODE, NUMBER_LIMIT

# Whitespace Python's `\s` matches beyond ASCII (RE2's `\s` is ASCII only).
_SPACE = r"\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"

MACROS = {
    # `values._parse_notation`: currency signs and spaces out, then Dutch or English separators.
    "jm_clean": ("s", r"""replace(regexp_replace(s, '[€""" + _SPACE + r"""]|EUR', '', 'gi'), '−', '-')"""),
    "jm_last": ("s, ch", "CASE WHEN contains(s, ch) THEN length(s) - strpos(reverse(s), ch) + 1 ELSE 0 END"),
    "jm_count": ("s, ch", "length(s) - length(replace(s, ch, ''))"),
    "jm_notation_of": ("c, tdot", r"""TRY_CAST(CASE
        WHEN contains(c, '_') THEN NULL
        WHEN contains(c, ',') AND contains(c, '.') THEN
            CASE WHEN jm_last(c, ',') > jm_last(c, '.') THEN replace(replace(c, '.', ''), ',', '.')
                 ELSE replace(c, ',', '') END
        WHEN contains(c, ',') THEN
            CASE WHEN jm_count(c, ',') > 1 THEN replace(c, ',', '') ELSE replace(c, ',', '.') END
        WHEN contains(c, '.') THEN
            CASE WHEN jm_count(c, '.') > 1 THEN replace(c, '.', '')
                 WHEN tdot AND regexp_full_match(c, '-?[0-9]{1,3}\.[0-9]{3}') THEN replace(c, '.', '')
                 ELSE c END
        ELSE c END AS DOUBLE)"""),
    "jm_notation": ("s, tdot", "jm_notation_of(jm_clean(s), tdot)"),
    # `values.parse_number`: the common case (no dot) cast directly; beyond NUMBER_LIMIT or not finite -> NULL.
    # (the caller limits the result to NUMBER_LIMIT: `jm_limit`, on a computed column so it is parsed once)
    "jm_number_any": ("s, tdot", """coalesce(
        CASE WHEN NOT contains(s, '.') AND NOT contains(s, '_') THEN TRY_CAST(replace(s, ',', '.') AS DOUBLE) END,
        jm_notation(s, tdot))"""),
    "jm_limit": ("x", f"CASE WHEN abs(x) <= {NUMBER_LIMIT:.0f} THEN x END"),
    # `values.number_problem`: why a cell did not read as a number.
    "jm_number_problem": ("s, word", f"""CASE
        WHEN lower(ltrim(s, '+-')) IN ('inf', 'infinity', 'nan') THEN 'is geen eindig getal'
        WHEN isinf(jm_notation(s, true)) OR isnan(jm_notation(s, true)) THEN 'is geen eindig getal'
        WHEN abs(jm_notation(s, true)) > {NUMBER_LIMIT:.0f} THEN 'is te groot (meer dan 1.000.000.000.000.000)'
        ELSE 'is ' || word END"""),
    # `values._parse_dates`: ISO (an Excel export's `00:00` time dropped), Dutch with - / or ., Excel serials.
    "jm_date_text": ("s", r"""CASE WHEN length(s) > 10
        THEN regexp_replace(s, '^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})[ T]00:00(:00)?$', '\1') ELSE s END"""),
    # A four-digit year as pandas' %Y wants it (DuckDB's %Y also takes `24`): ISO's first `-` at position 5, a
    # Dutch date's separator fifth from the end with none after it.
    "jm_date_of": ("d", r"""CAST(CASE
        WHEN strpos(d, '-') = 5 THEN try_strptime(d, '%Y-%m-%d')
        WHEN d[-5] = '-' AND NOT contains(d[-4:], '-') THEN try_strptime(d, '%d-%m-%Y')
        WHEN d[-5] = '/' AND NOT contains(d[-4:], '/') THEN try_strptime(d, '%d/%m/%Y')
        WHEN d[-5] = '.' AND NOT contains(d[-4:], '.') THEN try_strptime(d, '%d.%m.%Y')
        WHEN regexp_full_match(d, '[0-9]{5,7}(\.0+)?') AND TRY_CAST(d AS DOUBLE) BETWEEN 1 AND 2958465
            THEN DATE '1899-12-30' + CAST(TRY_CAST(d AS DOUBLE) AS INTEGER)
        END AS DATE)"""),
    "jm_date": ("s", "jm_date_of(jm_date_text(s))"),
    # `values.looks_like_formula` and `has_control`.
    "jm_formula": ("s", r"""(prefix(s, '=') OR prefix(s, '@')
        OR ((prefix(s, '+') OR prefix(s, '-')) AND NOT regexp_full_match(s[2:], '[0-9.,""" + _SPACE + r"""]*')))"""),
    "jm_control": ("s", r"""regexp_matches(s, '[\x{00}-\x{1f}\x{7f}]')"""),
    "jm_not_cbs_code": ("s", "NOT regexp_full_match(s, '" + CBS_CODE.pattern.strip("^$") + "')"),
    # `values.normalise_token`.
    # (plain ASCII lower case without spaces or hyphens, the usual value, is kept without the regex)
    "jm_token": ("s", r"""CASE WHEN NOT contains(s, ' ') AND NOT contains(s, '-') AND strlen(s) = length(s)
        AND s = lower(s) THEN s ELSE regexp_replace(lower(s), '[""" + _SPACE + r"""\-]+', '_', 'g') END"""),
    # `kinds._nl_date`: 15-3-2024.
    "jm_nl_date": ("d", "strftime(d, '%-d-%-m-%Y')"),
}


def install(cur) -> None:
    """Define the macros on this connection (temporary: they live as long as the connection)."""
    for name, (args, body) in MACROS.items():
        cur.execute(f"CREATE OR REPLACE TEMP MACRO {name}({args}) AS ({body})")
