"""Region lookups used while computing: a wijk's gemeente, and name, level and gemeente of every code."""

from __future__ import annotations

import duckdb
import pandas as pd

# The level of a code from its prefix, for codes that the regions table does not name.
NIVEAU_FROM_CODE = """
CASE WHEN {c} LIKE 'VG:%' THEN 'VG' WHEN {c} LIKE 'NL%' THEN 'NL' ELSE upper(left({c}, 2)) END
"""


class OnbekendeRegio(ValueError):
    """A gemeente or region code the database does not know."""

# The gemeente of every wijk code in `{codes}` (a query with column `code`): its gemeente parent in the regions the
# store knows, else the gemeente its code names (WK0363xx -> GM0363). The one rule, for the refresh and for the
# gemeenten a load touches (`indicators.scope`).
WIJK_GEMEENTE = """
WITH parents AS (
    SELECT p.code, min(p.parent_code) AS parent_code
    FROM region_parents p LEFT JOIN regions r ON r.code = p.parent_code
    WHERE coalesce(r.niveau, left(p.parent_code, 2)) = 'GM'
    GROUP BY p.code
)
SELECT c.code AS wijk_code, coalesce(p.parent_code, 'GM' || substr(c.code, 3, 4)) AS gemeente_code
FROM ({codes}) c LEFT JOIN parents p USING (code)
"""

_WIJK_GM = "CREATE OR REPLACE TEMP TABLE _iv_wijk_gm AS " + WIJK_GEMEENTE.format(codes="""
    SELECT code FROM regions WHERE niveau = 'WK' OR code LIKE 'WK%'
    UNION SELECT DISTINCT wijk_code FROM trajecten
    UNION SELECT DISTINCT wijk_code FROM bereik_aantallen
    UNION SELECT DISTINCT wijk_code FROM bereik_deelnemers
    UNION SELECT DISTINCT regio_code FROM budget WHERE regio_code LIKE 'WK%'
    UNION SELECT DISTINCT regio_code FROM bevolking WHERE regio_code LIKE 'WK%'
""")


def build_wijk_gemeente(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table `_iv_wijk_gm(wijk_code, gemeente_code)` for every wijk the store knows."""
    con.execute(_WIJK_GM)


REGIO_ATTRIBUTES = f"""
CREATE OR REPLACE TEMP TABLE _iv_regio AS
WITH codes AS (SELECT DISTINCT regio_code AS code FROM _iv_raw)
SELECT c.code,
       CASE WHEN c.code LIKE 'VG:%' THEN 'Vergelijkbare gemeenten (' || substr(c.code, 4) || ')'
            ELSE coalesce(r.name, c.code) END AS regio_naam,
       coalesce(r.niveau, {NIVEAU_FROM_CODE.format(c="c.code")}) AS niveau,
       CASE WHEN coalesce(r.niveau, {NIVEAU_FROM_CODE.format(c="c.code")}) = 'GM' THEN c.code
            WHEN coalesce(r.niveau, {NIVEAU_FROM_CODE.format(c="c.code")}) = 'WK' THEN w.gemeente_code END
           AS gemeente_code
FROM codes c
LEFT JOIN regions r ON r.code = c.code
LEFT JOIN _iv_wijk_gm w ON w.wijk_code = c.code
"""


def gemeente_of(con: duckdb.DuckDBPyConnection, regio_code: str) -> str | None:
    """The gemeente of a wijk (or the gemeente itself); None for other levels."""
    if regio_code.startswith("GM"):
        return regio_code
    row = con.execute(
        """
        SELECT min(p.parent_code) FROM region_parents p
        WHERE p.code = ? AND p.parent_code LIKE 'GM%'
        """,
        [regio_code],
    ).fetchone()
    if row and row[0]:
        return row[0]
    return "GM" + regio_code[2:6] if regio_code.startswith("WK") else None


# Per gemeente and year: its jeugdregio, province, country and comparison group (`VG:<group label>`).
# A `regios` file a user loaded wins (its parents and vergelijkingsgroep hold for every year); else the built-in
# CBS reference of that year (`store.reference`). Years before the reference's first year take that year's
# reference, years after its last year the last one; a gemeente that did not exist in the (so clamped) year, such
# as one merged away before 2019 or Dijk en Waard (GM1980) before 2022, has no reference that year. The comparison
# group is the size class (gemeentegrootte); with `meta.vergelijking = 'stedelijkheid'` the urbanisation class.
# `bestaat`: the gemeente existed that year (in the reference, or it is not a reference gemeente at all).
MEMBERSHIP = """
WITH span AS (SELECT min(jaar) AS lo, max(jaar) AS hi FROM ref_gemeenten),
keuze AS (SELECT coalesce((SELECT value FROM meta WHERE key = 'vergelijking'), 'grootte') AS soort),
labels AS (
    SELECT code, CASE WHEN niveau = 'GR' THEN regexp_replace(arg_max(naam, jaar_tot), '(\\d) (\\d{{3}})', '\\1.\\2', 'g')
                      ELSE lower(arg_max(naam, jaar_tot)) END AS label
    FROM ref_regios WHERE niveau IN ('GR', 'ST') GROUP BY code, niveau
), own AS (
    SELECT p.code, coalesce(r.niveau, left(p.parent_code, 2)) AS niveau, min(p.parent_code) AS parent
    FROM region_parents p LEFT JOIN regions r ON r.code = p.parent_code
    WHERE coalesce(r.niveau, left(p.parent_code, 2)) IN ('JZ', 'PV') AND p.code LIKE 'GM%'
    GROUP BY p.code, coalesce(r.niveau, left(p.parent_code, 2))
), pv_nl AS (
    SELECT code, min(parent_code) AS nl FROM region_parents WHERE parent_code LIKE 'NL%' GROUP BY code
), known AS (SELECT DISTINCT gemeente_code AS code FROM ref_gemeenten)
SELECT x.code, x.jaar,
       coalesce(jz.parent, g.jz_code) AS jz, coalesce(pv.parent, g.pv_code) AS pv,
       coalesce(n.nl, 'NL01') AS nl,
       'VG:' || coalesce(nullif(trim(r.vergelijkingsgroep), ''), l.label) AS vg,
       g.gemeente_code IS NOT NULL OR k.code IS NULL AS bestaat
FROM ({pairs}) x
CROSS JOIN span CROSS JOIN keuze
LEFT JOIN ref_gemeenten g ON g.gemeente_code = x.code AND g.jaar = least(greatest(x.jaar, span.lo), span.hi)
LEFT JOIN own jz ON jz.code = x.code AND jz.niveau = 'JZ'
LEFT JOIN own pv ON pv.code = x.code AND pv.niveau = 'PV'
LEFT JOIN pv_nl n ON n.code = coalesce(pv.parent, g.pv_code)
LEFT JOIN regions r ON r.code = x.code
LEFT JOIN labels l ON l.code = CASE WHEN keuze.soort = 'stedelijkheid' THEN 'ST' || g.stedelijkheid_code
                                    ELSE 'GR' || g.grootte_code END
LEFT JOIN known k ON k.code = x.code
"""

# Every gemeente the store or the reference knows, for every year with figures.
_MEMBERS = """
CREATE OR REPLACE TEMP TABLE _iv_members AS
""" + MEMBERSHIP.format(pairs="""
    SELECT c.code, y.jaar
    FROM (SELECT gemeente_code AS code FROM ref_gemeenten UNION SELECT code FROM regions WHERE niveau = 'GM'
          UNION SELECT regio_code FROM _iv_raw WHERE regio_code LIKE 'GM%') c
    CROSS JOIN (SELECT DISTINCT jaar FROM _iv_raw) y
""")


def build_members(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table `_iv_members(code, jaar, jz, pv, nl, vg, bestaat)` for every gemeente and year of `_iv_raw`."""
    con.execute(_MEMBERS)


def benchmark_years(con: duckdb.DuckDBPyConnection, gemeente: str, jaren) -> pd.DataFrame:
    """(niveau, code, jaar) of the gemeente's jeugdregio, province, NL and comparison group in each of `jaren`."""
    frame = con.execute(
        "SELECT * FROM (" + MEMBERSHIP.format(pairs="SELECT $g AS code, unnest($jaren::INTEGER[]) AS jaar") + ")",
        {"g": gemeente, "jaren": sorted({int(j) for j in jaren})},
    ).df()
    parts = [pd.DataFrame({"niveau": niveau, "code": frame[column], "jaar": frame["jaar"]})
             for niveau, column in (("JZ", "jz"), ("PV", "pv"), ("NL", "nl"), ("VG", "vg"))]
    out = pd.concat(parts, ignore_index=True).dropna()
    return out.astype({"jaar": "int64"}).reset_index(drop=True)


def data_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """The years of the published figures (for benchmark_years), from their summary per gemeente (`store.summary`)."""
    lo, hi = con.execute("SELECT min(jaar_min), max(jaar_max) FROM published_gemeenten").fetchone()
    return list(range(lo, hi + 1)) if lo is not None else []


# The published rows of a gemeente's benchmark regions, each in the years the gemeente belongs to it:
# `FROM indicator_values v {BENCHMARK_JOIN}` with the parameters of `benchmark_params`. Benchmark rows belong to
# no gemeente (REGIO_ATTRIBUTES), so only those are joined: a fifth of the time on a national database, and an
# export (`store.export`) reads only their partition instead of every gemeente's.
BENCHMARK_JOIN = ("SEMI JOIN (SELECT unnest($bc::TEXT[]) AS c, unnest($bj::INTEGER[]) AS j) _b "
                  "ON v.regio_code = _b.c AND v.jaar = _b.j AND v.gemeente_code IS NULL")


def benchmark_params(con: duckdb.DuckDBPyConnection, gemeente: str) -> dict:
    """Parameters `bc` (codes) and `bj` (years) of BENCHMARK_JOIN for the gemeente, over the years with figures."""
    pairs = benchmark_years(con, gemeente, data_years(con))
    return {"bc": pairs["code"].tolist(), "bj": pairs["jaar"].tolist()}


def benchmark_codes(con: duckdb.DuckDBPyConnection, gemeente: str, jaar: int | None = None) -> dict[str, str]:
    """Codes of the benchmark levels of a gemeente in a year (default: the last year with figures): GM, JZ, PV,
    NL and `VG:<group>`; a level the gemeente has no region of that year is absent (NL never is)."""
    if jaar is None:
        years = data_years(con)
        jaar = years[-1] if years else 2024
    found = benchmark_years(con, gemeente, [jaar])
    out = {"GM": gemeente, "NL": "NL01"}
    out.update(dict(zip(found["niveau"], found["code"])))
    return out


def require_gemeente(con: duckdb.DuckDBPyConnection, gemeente: str) -> None:
    """Raise OnbekendeRegio (Dutch message) unless the store knows the gemeente."""
    known = con.execute(
        """
        SELECT (SELECT count(*) FROM regions WHERE code = $1)
             + (SELECT count(*) FROM indicator_values WHERE gemeente_code = $1)
        """,
        [gemeente],
    ).fetchone()[0]
    if not known:
        raise OnbekendeRegio(f"Onbekende gemeente: {gemeente}. Laad eerst een regio- of CBS-bestand met die gemeente.")


_UNIVERSE = "SELECT gemeente_code AS code FROM ref_gemeenten UNION SELECT code FROM regions WHERE niveau = 'GM'"
VG_PREFIX = "Vergelijkbare gemeenten"


def members(con: duckdb.DuckDBPyConnection, jaar: int) -> pd.DataFrame:
    """Every gemeente that existed in `jaar` with its jz, pv, nl and vg codes that year."""
    pairs = f"SELECT code, $jaar::INTEGER AS jaar FROM ({_UNIVERSE})"
    return con.execute(f"SELECT * FROM ({MEMBERSHIP.format(pairs=pairs)}) WHERE bestaat ORDER BY code",
                       {"jaar": int(jaar)}).df()


def comparison_regions(con: duckdb.DuckDBPyConnection, gemeente: str, jaar: int) -> list[dict]:
    """The gemeente's jeugdregio, province, NL and comparison group in `jaar`: niveau, code, naam and `leden`
    (the codes of the gemeenten it holds that year; all gemeenten for NL)."""
    cur = con.cursor()
    codes = benchmark_codes(cur, gemeente, jaar)
    table = members(cur, jaar)
    out = []
    for niveau, column in (("JZ", "jz"), ("PV", "pv"), ("NL", "nl"), ("VG", "vg")):
        code = codes.get(niveau)
        if code is None:
            continue
        if niveau == "VG":
            naam = f"{VG_PREFIX} ({code[3:]})"
        else:
            row = cur.execute(
                "SELECT coalesce((SELECT naam FROM region_years WHERE code = $c AND jaar = $j),"
                " (SELECT name FROM regions WHERE code = $c), $c)", {"c": code, "j": int(jaar)}).fetchone()
            naam = row[0]
        leden = table.loc[table[column] == code, "code"].tolist()
        out.append({"niveau": niveau, "code": code, "naam": naam, "leden": leden})
    return out
