"""Expected use per wijk: fit the count model per year over all wijken in the database and write its rows.

Per whole year: the wijken with a published count of young people with jeugdzorg in natura (secret or missing
counts are left out of the fit, never read as zero), an exposure, and every context variable the year's table has
for at least 80% of them. Predictions go to every wijk with an exposure and that context (also those whose count
CBS kept secret: the expected value comes from the composition alone), and to a gemeente when all its wijken have
one. Rows go into `_iv_raw`, so suppression and the catalogue apply as to any indicator; the card of each year
(or the Dutch reason why there are no figures) goes into `model_kaart`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from scipy import stats as sps

from indicators.catalog import CBS_JEUGDZORG_AANTAL, VERWACHT_ID
from indicators.models import context, fit
from indicators.models.oordeel import HOGER, LAGER, ZOALS, oordeel

MODEL = "verwacht"
MIN_DEKKING = 0.8      # a context variable is used when known for at least this share of the wijken with a count
SEED = 14


def _geweigerd(jaar: int, reden: str) -> str:
    return f"Geen verwacht gebruik voor {jaar}: {reden}."


def _te_weinig(jaar: int, n: int, nodig: int, k: int) -> str:
    reden = (f"maar {n} {'wijk heeft' if n == 1 else 'wijken hebben'} een bekend aantal jongeren met jeugdzorg "
             f"en bekende wijkkenmerken, en een betrouwbaar model met {k} wijkkenmerken heeft er minstens {nodig} "
             f"nodig (10 per te schatten onderdeel: de {k} kenmerken, het niveau en de spreiding)")
    return _geweigerd(jaar, reden)


def _geen_aantallen(jaar: int) -> str:
    return _geweigerd(jaar, "geen enkele wijk heeft een gepubliceerd aantal jongeren met jeugdzorg in natura (de "
                            "kolom is leeg of geheim), en het model rekent nooit met een ontbrekend aantal als nul. "
                            "Het CBS publiceert de jeugdzorgcijfers per wijk later dan de andere kerncijfers; laad "
                            "de tabel opnieuw zodra ze er zijn")


def _step(y: np.ndarray) -> int:
    """CBS rounds these counts to fives; simulated counts are rounded the same way when the data are."""
    return 5 if len(y) and np.all(np.mod(y, 5) == 0) else 1


def _variables(base: pd.DataFrame, year: pd.DataFrame, units: dict) -> tuple[list, dict, list[dict]]:
    """The context variables used this year (with their values over the year's wijken) and those left out."""
    used, values, left = [], {}, []
    for var in context.VARIABELEN:
        vals, stem = context.value(var, year, units)
        share = vals.loc[base.index].notna().mean() if len(base) else 0.0
        if stem is None:
            left.append({"wat": var.label, "waarom": "staat niet in de KWB-tabel van dit jaar"})
        elif share < MIN_DEKKING:
            left.append({"wat": var.label, "waarom": f"maar voor {share:.0%} van de wijken bekend".replace(".", ",")})
        elif vals.loc[base.index].nunique() < 2:
            left.append({"wat": var.label, "waarom": "is in alle wijken gelijk"})
        else:
            used.append((var, stem))
            values[var.naam] = vals
    return used, values, left


def _term(res: fit.Resultaat, i: int, var: context.Variabele, stem: str, mean: float) -> dict:
    b, se = float(res.params[i + 1]), float(np.sqrt(res.cov[i + 1, i + 1]))
    return {"naam": var.naam, "label": var.label, "stem": stem, "stap": var.stap, "stap_tekst": var.stap_tekst,
            "gemiddelde": mean, "rate_ratio": float(np.exp(b)), "laag": float(np.exp(b - 1.959964 * se)),
            "hoog": float(np.exp(b + 1.959964 * se)), "p": float(2 * sps.norm.sf(abs(b / se)))}


def model_year(jaar: int, periode: str, year: pd.DataFrame, units: dict) -> tuple[dict, pd.DataFrame | None]:
    """The card of one year and its rows (None with the reason in the card when there are no figures)."""
    year = year.reset_index(drop=True)
    e = context.exposure(year)
    y = year[CBS_JEUGDZORG_AANTAL]
    card = {"jaar": jaar, "periode": periode, "wijken_in_tabel": int(len(year)),
            "blootstelling": "jongeren van 0 tot 15 jaar plus 8/10 van de jongeren van 15 tot 25 jaar (KWB)"}
    if (e > 0).sum() == 0:
        card["bericht"] = _geweigerd(jaar, "de KWB-aantallen jongeren per wijk (0 tot 15 en 15 tot 25 jaar) ontbreken")
        return card, None
    base = year[(e > 0) & y.notna()]
    used, values, left = _variables(base, year, units)
    card["weggelaten_variabelen"] = left
    card["weggelaten_wijken"] = {"aantal_geheim_of_onbekend": int(((e > 0) & y.isna()).sum()),
                                 "zonder_jongeren": int((~(e > 0)).sum())}
    k = len(used)
    if len(base) == 0:
        card["bericht"] = _geen_aantallen(jaar)
        return card, None
    if k < fit.MIN_VARIABELEN:
        card["bericht"] = _geweigerd(jaar, f"van de wijkkenmerken {'is' if k == 1 else 'zijn'} er maar {k} bekend, "
                                     f"en het model heeft er minstens {fit.MIN_VARIABELEN} nodig")
        return card, None
    x_all = np.column_stack([values[v.naam].to_numpy(float) for v, _ in used])
    known = np.isfinite(x_all).all(axis=1) & (e > 0).to_numpy()
    in_fit = known & y.notna().to_numpy()
    n = int(in_fit.sum())
    card["weggelaten_wijken"]["kenmerk_onbekend"] = int(((e > 0).to_numpy() & y.notna().to_numpy() & ~known).sum())
    if n < fit.minimum(k):
        card["bericht"] = _te_weinig(jaar, n, fit.minimum(k), k)
        return card, None
    stap = np.array([v.stap for v, _ in used], dtype=float)
    try:
        res, kept = fit.fit_robust(y.to_numpy(float)[in_fit], x_all[in_fit], e.to_numpy(float)[in_fit],
                                   [v.naam for v, _ in used], stap, fit.minimum(k))
    except fit.Geweigerd as exc:
        card["bericht"] = _geweigerd(jaar, str(exc))
        return card, None
    x, ek = x_all[known], e.to_numpy(float)[known]
    wijken = year.loc[known, ["regio_code", "gemeente_code"]].reset_index(drop=True)
    step = _step(y.to_numpy(float)[in_fit])
    rng = np.random.default_rng([SEED, jaar])
    mu = res.mu(x, ek)
    lo, hi, totals = fit.intervals(res, x, ek, wijken["gemeente_code"].to_numpy(), step, rng)
    rows = pd.DataFrame({"regio_code": wijken["regio_code"], "teller": mu, "noemer": ek,
                         "ondergrens": 100 * lo / ek, "bovengrens": 100 * hi / ek})
    observed = 100 * y.to_numpy(float)[known] / ek
    verdicts = [oordeel(*r) for r in zip(observed, rows["ondergrens"], rows["bovengrens"])]
    rows = pd.concat([rows, _gemeenten(year, e, wijken, mu, ek, totals)], ignore_index=True)
    rows["waarde"] = 100 * rows["teller"] / rows["noemer"]
    fitted = [v for v, f in zip(verdicts, in_fit[known]) if f]
    card.update({
        "wijken": n, "uitschieters": int((~kept).sum()), "gemeenten": int(wijken.loc[in_fit[known], "gemeente_code"].nunique()),
        "voorspeld": int(known.sum()), "minimum_wijken": fit.minimum(k), "afronding": step,
        "termen": [_term(res, i, v, stem, float(res.center[i])) for i, (v, stem) in enumerate(used)],
        "pseudo_r2": res.pseudo_r2, "deviantie_verklaard": res.deviantie_verklaard,
        "alpha": res.alpha, "alpha_se": res.alpha_se,
        "niveau": float(np.exp(res.params[0])),
        "binnen_interval": fitted.count(ZOALS) / len(fitted) if fitted else None,
        "hoger": verdicts.count(HOGER), "lager": verdicts.count(LAGER),
    })
    return card, rows


def _gemeenten(year: pd.DataFrame, e: pd.Series, wijken: pd.DataFrame, mu: np.ndarray, ek: np.ndarray,
               totals: pd.DataFrame) -> pd.DataFrame:
    """Gemeente rows: the sums over its wijken, for gemeenten whose every wijk with young people has a prediction."""
    all_wijken = year.loc[e > 0].groupby("gemeente_code").size()
    sums = pd.DataFrame({"gemeente_code": wijken["gemeente_code"], "teller": mu, "noemer": ek}) \
        .groupby("gemeente_code").agg(teller=("teller", "sum"), noemer=("noemer", "sum"), n=("teller", "size"))
    complete = sums[sums["n"] == all_wijken.reindex(sums.index)].join(totals.set_index("groep"))
    return pd.DataFrame({"regio_code": complete.index, "teller": complete["teller"], "noemer": complete["noemer"],
                         "ondergrens": 100 * complete["laag"] / complete["noemer"],
                         "bovengrens": 100 * complete["hoog"] / complete["noemer"]}).reset_index(drop=True)


def _units(long: pd.DataFrame) -> dict[str, dict[str, str]]:
    last = long.sort_values("table_id").groupby(["periode", "stem"])["unit"].last()
    out: dict[str, dict[str, str]] = {}
    for (periode, stem), unit in last.items():
        out.setdefault(periode, {})[stem] = unit
    return out


_INSERT_RAW = """
INSERT INTO _iv_raw BY NAME
SELECT $id AS indicator_id, regio_code, $periode AS periode, $jaar AS jaar, waarde, teller, noemer,
       ondergrens, bovengrens, '%' AS eenheid, $bron AS bron, false AS cbs
FROM model_rijen WHERE model = $m AND periode = $periode
"""

_ROWS = ("regio_code", "waarde", "teller", "noemer", "ondergrens", "bovengrens")
# The code of the model: a change to it fits every year again.
_CODE = tuple(Path(__file__).with_name(name) for name in ("verwacht.py", "fit.py", "context.py", "oordeel.py"))


def _invoer(jaar: int, periode: str, year: pd.DataFrame, units: dict, tables: str) -> str:
    """A fingerprint of everything a year's model depends on: its wijken with their gemeente and context, the units,
    the tables, and the model's own code."""
    digest = hashlib.sha256(json.dumps([jaar, periode, tables, sorted(units.items())]).encode())
    for path in _CODE:
        digest.update(path.read_bytes())
    ordered = year.sort_values("regio_code").reset_index(drop=True)
    digest.update(",".join(ordered.columns).encode())
    digest.update(pd.util.hash_pandas_object(ordered, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _stored(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """The stored card per periode (with its `invoer`, when it has one)."""
    return {p: json.loads(k) for p, k in con.execute(
        "SELECT periode, kaart FROM model_kaart WHERE model = $m", {"m": MODEL}).fetchall()}


def _store(con: duckdb.DuckDBPyConnection, jaar: int, periode: str, card: dict, rows: pd.DataFrame | None) -> None:
    """Replace the year's card and rows."""
    con.execute("DELETE FROM model_kaart WHERE model = $m AND periode = $p", {"m": MODEL, "p": periode})
    con.execute("DELETE FROM model_rijen WHERE model = $m AND periode = $p", {"m": MODEL, "p": periode})
    con.execute("INSERT INTO model_kaart VALUES ($m, $jaar, $p, $gefit, $bericht, $kaart)",
                {"m": MODEL, "jaar": jaar, "p": periode, "gefit": rows is not None,
                 "bericht": card.get("bericht"), "kaart": json.dumps(card, ensure_ascii=False)})
    if rows is None:
        return
    con.register("_iv_model_rows", rows[list(_ROWS)])
    try:
        con.execute("INSERT INTO model_rijen SELECT $m, $p, * FROM _iv_model_rows", {"m": MODEL, "p": periode})
    finally:
        con.unregister("_iv_model_rows")


def insert(con: duckdb.DuckDBPyConnection) -> None:
    """Fit every whole year whose inputs changed (else keep its card and rows), drop the years no longer there, and
    append every year's rows to `_iv_raw`."""
    long = context.read(con)
    long = long[long["periode"] == long["jaar"].astype(str)]
    units, frame = _units(long), context.wide(long)
    stored = _stored(con)
    years = context.years(con)
    for periode, jaar in years:
        year = frame[frame["periode"] == periode]
        tables = ", ".join(sorted(long.loc[long["periode"] == periode, "table_id"].unique()))
        invoer = _invoer(jaar, periode, year, units.get(periode, {}), tables)
        card = stored.get(periode)
        if card is None or card.get("invoer") != invoer:
            card, rows = model_year(jaar, periode, year, units.get(periode, {}))
            card["invoer"] = invoer
            _store(con, jaar, periode, card, rows)
        if "bericht" in card:
            continue
        con.execute(_INSERT_RAW, {"id": VERWACHT_ID, "periode": periode, "jaar": jaar, "m": MODEL,
                                  "bron": f"Model verwacht gebruik over {card['wijken']} wijken (CBS {tables})"})
    kept = [p for p, _ in years]
    for table in ("model_kaart", "model_rijen"):
        con.execute(f"DELETE FROM {table} WHERE model = $m AND NOT list_contains($kept, periode)",
                    {"m": MODEL, "kept": kept})
