"""Region lookups used while computing: a wijk's gemeente, and name, level and gemeente of every code."""

from __future__ import annotations

import duckdb

# The level of a code from its prefix, for codes that the regions table does not name.
NIVEAU_FROM_CODE = """
CASE WHEN {c} LIKE 'VG:%' THEN 'VG' WHEN {c} LIKE 'NL%' THEN 'NL' ELSE upper(left({c}, 2)) END
"""


class OnbekendeRegio(ValueError):
    """A gemeente or region code the database does not know."""

_WIJK_GM = """
CREATE OR REPLACE TEMP TABLE _iv_wijk_gm AS
WITH codes AS (
    SELECT code FROM regions WHERE niveau = 'WK' OR code LIKE 'WK%'
    UNION SELECT DISTINCT wijk_code FROM trajecten
    UNION SELECT DISTINCT wijk_code FROM bereik_aantallen
    UNION SELECT DISTINCT wijk_code FROM bereik_deelnemers
    UNION SELECT DISTINCT regio_code FROM budget WHERE regio_code LIKE 'WK%'
    UNION SELECT DISTINCT regio_code FROM bevolking WHERE regio_code LIKE 'WK%'
), parents AS (
    SELECT p.code, min(p.parent_code) AS parent_code
    FROM region_parents p LEFT JOIN regions r ON r.code = p.parent_code
    WHERE coalesce(r.niveau, left(p.parent_code, 2)) = 'GM'
    GROUP BY p.code
)
SELECT c.code AS wijk_code, coalesce(p.parent_code, 'GM' || substr(c.code, 3, 4)) AS gemeente_code
FROM codes c LEFT JOIN parents p USING (code)
"""


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


def benchmark_codes(con: duckdb.DuckDBPyConnection, gemeente: str) -> dict[str, str]:
    """Codes of the benchmark levels of a gemeente: JZ and PV parents, NL01, and `VG:<group>`."""
    out: dict[str, str] = {"GM": gemeente}
    rows = con.execute(
        f"""
        SELECT coalesce(r.niveau, {NIVEAU_FROM_CODE.format(c="p.parent_code")}) AS niveau, min(p.parent_code)
        FROM region_parents p LEFT JOIN regions r ON r.code = p.parent_code
        WHERE p.code = ? GROUP BY 1
        """,
        [gemeente],
    ).fetchall()
    out.update({niveau: code for niveau, code in rows if niveau in ("JZ", "PV")})
    if "PV" in out:
        nl = con.execute(
            "SELECT min(parent_code) FROM region_parents WHERE code = ? AND parent_code LIKE 'NL%'", [out["PV"]]
        ).fetchone()[0]
        out["NL"] = nl or "NL01"
    else:
        out["NL"] = "NL01"
    groep = con.execute("SELECT vergelijkingsgroep FROM regions WHERE code = ?", [gemeente]).fetchone()
    if groep and groep[0]:
        out["VG"] = f"VG:{groep[0]}"
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
