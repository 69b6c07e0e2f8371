"""Generated KWB wijk tables with a known answer for the expected-use model: planted coefficients, overdispersion
and planted outlier wijken, written in the shape of a StatLine KWB export (stems as in 85984NED)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# True rate ratio per step of each context variable (the steps of indicators.models.context).
TRUE_RR = {"laag_inkomen": 1.12, "bijstand": 1.10, "herkomst": 0.94, "kinderen": 1.07, "jonge_kinderen": 0.90,
           "stedelijkheid": 1.04}
STEPS = {"laag_inkomen": 5, "bijstand": 10, "herkomst": 10, "kinderen": 10, "jonge_kinderen": 10, "stedelijkheid": 1}
CENTER = {"laag_inkomen": 9, "bijstand": 30, "herkomst": 12, "kinderen": 30, "jonge_kinderen": 57,
          "stedelijkheid": 3}
BASE_RATE = 0.10


@dataclass
class Wereld:
    csv: str
    truth: pd.DataFrame          # per wijk: regio_code, e (exposure), rate (true expected fraction), factor
    outliers: dict[str, float] = field(default_factory=dict)


def _covariates(rng: np.random.Generator, n: int) -> pd.DataFrame:
    deprivation = rng.normal(0, 1, n)   # shared factor, so that the context measures correlate as in reality
    return pd.DataFrame({
        "laag_inkomen": np.clip(9 + 3.5 * deprivation + rng.normal(0, 2, n), 1, 35),
        "bijstand": np.clip(30 + 15 * deprivation + rng.normal(0, 8, n), 1, 120),
        "herkomst": np.clip(12 + 6 * deprivation + rng.normal(0, 5, n), 0.5, 60),
        "kinderen": np.clip(30 + rng.normal(0, 7, n), 10, 55),
        "jonge_kinderen": np.clip(57 + rng.normal(0, 7, n), 30, 80),
        "stedelijkheid": rng.integers(1, 6, n).astype(float),
    })


def world(seed: int, n_gemeenten: int = 20, wijken: int = 18, alpha: float = 0.02, outliers: int = 6,
          secret: int = 0, stem_overrides: dict | None = None) -> Wereld:
    """A KWB table of n_gemeenten x wijken fictional wijken with counts drawn from the planted model.

    `outliers` wijken (among the larger ones) get a factor 1.8 or 0.5 on their rate; `secret` wijken get '.' for
    their count whatever its size (small counts under 10 are '.' anyway, as CBS does).
    """
    rng = np.random.default_rng(seed)
    n = n_gemeenten * wijken
    codes = [f"WK{8800 + g:04d}{w:02d}" for g in range(1, n_gemeenten + 1) for w in range(1, wijken + 1)]
    x = _covariates(rng, n)
    inw = np.round(np.exp(rng.normal(8.4, 0.6, n)))
    young_total = inw * rng.uniform(0.22, 0.34, n)
    k0_14 = young_total * x["jonge_kinderen"] / 100
    k15_24 = young_total - k0_14
    e = k0_14 + 0.8 * k15_24
    eta = np.log(BASE_RATE) + sum(np.log(TRUE_RR[v]) * (x[v] - CENTER[v]) / STEPS[v] for v in TRUE_RR)
    rate = np.exp(eta)
    factor = np.ones(n)
    big = np.flatnonzero(e > np.quantile(e, 0.5))
    chosen = rng.choice(big, size=outliers, replace=False)
    factor[chosen] = np.where(np.arange(outliers) % 2 == 0, 1.8, 0.5)
    noise = rng.gamma(1 / alpha, alpha, n)
    noise[chosen] = 1.0   # a planted wijk differs by its factor, not by the factor times a chance draw
    lam = e * rate * factor * noise
    count = rng.poisson(lam)
    hidden = set(rng.choice(np.setdiff1d(np.arange(n), chosen), size=secret, replace=False)) if secret else set()
    truth = pd.DataFrame({"regio_code": codes, "e": e, "rate": rate, "factor": factor, "count": count,
                          "secret": [i in hidden or count[i] < 10 for i in range(n)]})
    hh = inw / 2.2
    columns = {
        "AantalInwoners_5": _r5(inw), "k_0Tot15Jaar_8": _r5(k0_14), "k_15Tot25Jaar_9": _r5(k15_24),
        "Nederland_17": _r5(inw * (1 - x["herkomst"] / 100 - 0.08)), "BuitenEuropa_19": _r5(inw * x["herkomst"] / 100),
        "Nederland_20": _r5(inw * 0.5), "BuitenEuropa_22": _r5(inw * x["herkomst"] / 250),
        "HuishoudensTotaal_29": _r5(hh), "HuishoudensMetKinderen_32": _r5(hh * x["kinderen"] / 100),
        "HuishoudensMetEenLaagInkomen_89": [f"{v:.1f}" for v in x["laag_inkomen"]],
        "PersonenPerSoortUitkeringBijstand_94": _r5(inw * x["bijstand"] / 1000),
        "JongerenMetJeugdzorgInNatura_98": [". " if truth["secret"][i] else str(int(5 * round(count[i] / 5)))
                                            for i in range(n)],
        "MateVanStedelijkheid_127": [str(int(6 - v)) for v in x["stedelijkheid"]],  # CBS: 1 = most urban
    }
    columns.update(stem_overrides or {})
    lines = [";".join(["ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3", *columns])]
    for i, code in enumerate(codes):
        gm = f"Testgemeente {code[2:6]} (fictief)"
        values = [str(columns[c][i]).strip() for c in columns]
        lines.append(";".join([str(i), f"{code:<10}", gm, "Wijk      ", f"{code:<10}", *values]))
    truth["outlier"] = factor != 1
    return Wereld(csv="\ufeff" + "\n".join(lines) + "\n", truth=truth,
                  outliers={codes[i]: factor[i] for i in chosen})


def _r5(values) -> list[str]:
    return [str(int(5 * round(v / 5))) for v in np.asarray(values, dtype=float)]
