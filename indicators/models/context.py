"""The wijk context the expected-use model explains jeugdzorg with: KWB stems per variable, per year.

Each variable names its KWB stems (alternatives: the first one the year's table has wins). A measure whose unit
CBS gives as a percentage is used as it is; a count is divided by its noemer. Stems that occur twice in one table
(`BuitenEuropa_19` for country of origin, `BuitenEuropa_22` for those born in the Netherlands) keep their full
key in the store; the lowest column number, the total, is used.

Exposure: the jeugdzorg counts are of young people under 23; the KWB gives 0-14 and 15-24 year olds, so the
exposure is 0-14 plus 8/10 of 15-24 (ages 15-22 are 8 of the 10 years of that band, assuming an even spread).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from indicators.catalog import CBS_JEUGDZORG_AANTAL

JONG, OUDER = "k_0Tot15Jaar", "k_15Tot25Jaar"
DEEL_15_24 = 0.8
INWONERS = "AantalInwoners"


@dataclass(frozen=True)
class Variabele:
    naam: str
    label: str                      # plain Dutch, after "meer": "huishoudens met een laag inkomen"
    stap: float                     # a meaningful step for the rate ratio
    stap_tekst: str                 # "5 procentpunt meer huishoudens met een laag inkomen"
    teller: tuple[str, ...]         # alternative stems, the first present wins
    noemer: tuple[str, ...] = ()    # stems summed as the denominator of a count; empty: used as it is
    schaal: float = 100.0
    omkeren: float | None = None    # value used = omkeren - stem (CBS stedelijkheid: 1 is the most urban)


VARIABELEN: tuple[Variabele, ...] = (
    Variabele("laag_inkomen", "huishoudens met een laag inkomen (%)", 5,
              "5 procentpunt meer huishoudens met een laag inkomen",
              ("HuishoudensMetEenLaagInkomen", "HuishOnderOfRondSociaalMinimum")),
    Variabele("bijstand", "inwoners in de bijstand (per 1.000)", 10,
              "10 inwoners per 1.000 meer in de bijstand",
              ("PersonenPerSoortUitkeringBijstand",), (INWONERS,), 1000.0),
    Variabele("herkomst", "inwoners met een herkomst buiten Europa (%)", 10,
              "10 procentpunt meer inwoners met een herkomst buiten Europa",
              ("BuitenEuropa", "NietWestersTotaal"), (INWONERS,)),
    Variabele("kinderen", "huishoudens met kinderen (%)", 10,
              "10 procentpunt meer huishoudens met kinderen",
              ("HuishoudensMetKinderen",), ("HuishoudensTotaal",)),
    Variabele("jonge_kinderen", "kinderen tot 15 jaar onder de jongeren (%)", 10,
              "10 procentpunt meer kinderen tot 15 jaar onder de jongeren (dus minder tieners en twintigers)",
              (JONG,), (JONG, OUDER)),
    Variabele("stedelijkheid", "stedelijkheid (1 niet tot 5 zeer sterk stedelijk)", 1,
              "één stap stedelijker op de CBS-schaal",
              ("MateVanStedelijkheid",), omkeren=6.0),
)

STEMS = sorted({CBS_JEUGDZORG_AANTAL, JONG, OUDER, INWONERS}
               | {s for v in VARIABELEN for s in v.teller + v.noemer})

# Per wijk, period and stem the value (lowest column number where a table has the stem twice), with its unit. The
# stem and column number are taken apart once per distinct measure, not per value.
_SQL = r"""
WITH measures AS (
    SELECT measure, regexp_extract(measure, '^(.*?)(_[0-9]+)?$', 1) AS stem,
           coalesce(try_cast(nullif(regexp_extract(measure, '_([0-9]+)$', 1), '') AS INTEGER), -1) AS nr
    FROM (SELECT DISTINCT measure FROM _iv_cbs) WHERE NOT contains(measure, '|')
), m AS (
    SELECT c.regio_code, c.periode, c.jaar, c.value, c.missing_reason, c.table_id, c.measure, s.stem, s.nr
    FROM _iv_cbs c
    JOIN measures s ON s.measure = c.measure AND list_contains($stems, s.stem)
    LEFT JOIN regions r ON r.code = c.regio_code
    WHERE coalesce(r.niveau, upper(left(c.regio_code, 2))) = 'WK'
)
SELECT m.regio_code, coalesce(w.gemeente_code, 'GM' || substr(m.regio_code, 3, 4)) AS gemeente_code,
       m.periode, m.jaar, m.stem, m.value, m.missing_reason, m.table_id, coalesce(u.unit, '') AS unit
FROM m
LEFT JOIN _iv_wijk_gm w ON w.wijk_code = m.regio_code
LEFT JOIN cbs_measures u ON u.table_id = m.table_id AND u.measure = m.measure
QUALIFY row_number() OVER (PARTITION BY m.regio_code, m.periode, m.stem ORDER BY m.nr) = 1
"""


# Whole years in which any region has the jeugdzorg count or the KWB age bands: the years the model is asked for.
_YEARS = r"""
SELECT DISTINCT periode, jaar FROM (SELECT DISTINCT periode, jaar, measure FROM _iv_cbs WHERE periode = jaar::TEXT)
WHERE list_contains($stems, regexp_extract(measure, '^(.*?)(_[0-9]+)?$', 1))
ORDER BY jaar
"""


def years(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    return [(p, int(j)) for p, j in con.execute(_YEARS, {"stems": [CBS_JEUGDZORG_AANTAL, JONG, OUDER]}).fetchall()]


def read(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Long rows (regio_code, gemeente_code, periode, jaar, stem, value, missing_reason, table_id, unit)."""
    return con.execute(_SQL, {"stems": STEMS}).df()


def wide(long: pd.DataFrame) -> pd.DataFrame:
    """One row per wijk and period, a column per stem (NaN where missing, whatever the reason)."""
    index = ["regio_code", "gemeente_code", "periode", "jaar"]
    if long.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c in index else float) for c in index + STEMS})
    out = long.set_index(index + ["stem"])["value"].unstack("stem").reindex(columns=STEMS).reset_index()
    out.columns.name = None
    return out


def is_pct(unit: str) -> bool:
    u = (unit or "").strip().lower()
    return u in ("%", "procent", "percentage") or u.startswith("%")


def exposure(frame: pd.DataFrame) -> pd.Series:
    """Young people under 23 as the model's exposure: 0-14 plus 8/10 of 15-24 (NaN where either is missing)."""
    return frame[JONG] + DEEL_15_24 * frame[OUDER]


def value(var: Variabele, frame: pd.DataFrame, units: dict[str, str]) -> tuple[pd.Series, str | None]:
    """The variable for each row of `frame` and the stem it came from (None: the year's table lacks it)."""
    for stem in var.teller:
        if stem not in frame or frame[stem].notna().sum() == 0:
            continue
        top = frame[stem]
        if var.omkeren is not None:
            return var.omkeren - top, stem
        if not var.noemer or is_pct(units.get(stem, "")):
            return top, stem
        below = sum((frame[s] for s in var.noemer), start=pd.Series(0.0, index=frame.index))
        with np.errstate(divide="ignore", invalid="ignore"):
            return (var.schaal * top / below.where(below > 0)), stem
    return pd.Series(np.nan, index=frame.index), None
