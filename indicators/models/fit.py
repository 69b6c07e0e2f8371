"""The count model of expected use for one year: negative binomial (NB2) with exposure, from statsmodels.

Why a minimum number of wijken: a count model with overdispersion needs about ten observations per estimated
parameter (the coefficients, the intercept and the dispersion) before its coefficients and its dispersion are
stable; below that the intervals would be too narrow and wijken would be called different by chance.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.discrete.discrete_model import NegativeBinomial
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning

PER_PARAMETER = 10
# A wijk whose count is this improbable under a first fit (two-sided) is left out of the second, final fit, so that
# a few wijken that truly differ do not widen everyone's interval; they are judged like every other wijk.
UITSCHIETER_P = 0.001
MIN_VARIABELEN = 3
DRAWS = 2000
CHUNK = 1000          # wijken per simulation block (DRAWS x CHUNK numbers in memory at once)
Q_LAAG, Q_HOOG = 0.025, 0.975


class Geweigerd(ValueError):
    """The model cannot be fitted for this year; the message says why, in Dutch."""


def minimum(k: int) -> int:
    """Wijken needed for k context variables: ten per parameter (k coefficients, the intercept, the dispersion)."""
    return PER_PARAMETER * (k + 2)


@dataclass
class Resultaat:
    names: list[str]
    params: np.ndarray       # intercept, coefficients per step, then alpha
    cov: np.ndarray
    center: np.ndarray
    stap: np.ndarray
    pseudo_r2: float
    deviantie_verklaard: float
    alpha: float
    alpha_se: float

    def design(self, x: np.ndarray) -> np.ndarray:
        """Constant plus covariates centred on the fit's mean and in steps, so a coefficient is per step."""
        return np.column_stack([np.ones(len(x)), (x - self.center) / self.stap])

    def mu(self, x: np.ndarray, e: np.ndarray) -> np.ndarray:
        return e * np.exp(self.design(x) @ self.params[:-1])


def fit(y: np.ndarray, x: np.ndarray, e: np.ndarray, names: list[str], stap: np.ndarray) -> Resultaat:
    """Fit NB2 with log(e) as offset; Geweigerd (Dutch) when statsmodels does not converge or the data are singular."""
    center = x.mean(axis=0)
    design = np.column_stack([np.ones(len(x)), (x - center) / stap])
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise Geweigerd("de wijkkenmerken hangen zo sterk samen dat hun afzonderlijke invloed niet te schatten is")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning,
                                         RuntimeWarning))
        try:
            model = NegativeBinomial(y, design, exposure=e, loglike_method="nb2")
            res = model.fit(disp=0, maxiter=1000, method="bfgs")
            cov = np.asarray(res.cov_params())
        except np.linalg.LinAlgError as exc:
            raise Geweigerd("het model liep vast op een singuliere matrix") from exc
        converged = bool(res.mle_retvals.get("converged", False))
        params = np.asarray(res.params)
        alpha = float(params[-1])
        if not converged or not np.all(np.isfinite(cov)) or not np.all(np.isfinite(params)) or alpha <= 0:
            raise Geweigerd("het model kwam niet tot een stabiele oplossing")
        glm = GLM(y, design, family=families.NegativeBinomial(alpha=alpha), exposure=e).fit()
    return Resultaat(
        names=names, params=params, cov=cov, center=center, stap=stap, pseudo_r2=float(res.prsquared),
        deviantie_verklaard=float(1 - glm.deviance / glm.null_deviance), alpha=alpha,
        alpha_se=float(np.sqrt(cov[-1, -1])),
    )


def fit_robust(y: np.ndarray, x: np.ndarray, e: np.ndarray, names: list[str], stap: np.ndarray,
               min_n: int) -> tuple[Resultaat, np.ndarray]:
    """Fit, then refit without the wijken far outside the current fit, until that set no longer changes (at most
    five rounds, and only while enough wijken remain). Returns the final fit and the mask of the wijken it used.
    """
    keep = np.ones(len(y), dtype=bool)
    res = fit(y, x, e, names, stap)
    for _ in range(5):
        mu, size = res.mu(x, e), 1 / res.alpha
        prob = size / (size + mu)
        tail = np.minimum(sps.nbinom.cdf(y, size, prob), sps.nbinom.sf(y - 1, size, prob))
        new = tail >= UITSCHIETER_P / 2
        if (new == keep).all() or new.sum() < min_n:
            break
        keep = new
        res = fit(y[keep], x[keep], e[keep], names, stap)
    return res, keep


def _draws(res: Resultaat, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Parameter draws: coefficients and log(alpha) from their joint normal approximation (delta method)."""
    k = len(res.params)
    jac = np.eye(k)
    jac[-1, -1] = 1 / res.alpha
    mean = np.append(res.params[:-1], np.log(res.alpha))
    theta = rng.multivariate_normal(mean, jac @ res.cov @ jac.T, size=DRAWS, method="cholesky")
    return theta[:, :-1], np.exp(theta[:, -1])


def _rounded(y: np.ndarray, step: int) -> np.ndarray:
    return y if step <= 1 else step * np.floor(y / step + 0.5)


def intervals(res: Resultaat, x: np.ndarray, e: np.ndarray, groep: np.ndarray, step: int,
              rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """95% predictive intervals of the count, per wijk and per group (gemeente) total, by simulation.

    Each draw takes coefficients and dispersion from their estimated uncertainty, then a count from the negative
    binomial (a Poisson with a gamma-distributed rate), rounded as CBS rounds (`step`). Returns the wijk bounds
    (counts) and per group: groep, laag, hoog (counts of the group total).
    """
    beta, alpha = _draws(res, rng)
    lo, hi = np.empty(len(e)), np.empty(len(e))
    order = np.argsort(groep, kind="stable")
    sorted_groep = groep[order]
    ends = list(np.flatnonzero(sorted_groep[1:] != sorted_groep[:-1]) + 1) + [len(order)]
    totals, start = [], 0
    for end in ends:
        if end - start < CHUNK and end < len(order):
            continue  # blocks of whole groups, so that a group's total is summed within one block
        idx = order[start:end]
        mu = e[idx, None] * np.exp(res.design(x[idx]) @ beta.T)
        y = rng.poisson(mu * rng.gamma(shape=1 / alpha, scale=alpha, size=mu.shape)).astype(float)
        lo[idx], hi[idx] = np.quantile(_rounded(y, step), [Q_LAAG, Q_HOOG], axis=1)
        firsts = np.flatnonzero(np.r_[True, groep[idx][1:] != groep[idx][:-1]])
        q = np.quantile(_rounded(np.add.reduceat(y, firsts, axis=0), step), [Q_LAAG, Q_HOOG], axis=1)
        totals.append(pd.DataFrame({"groep": groep[idx][firsts], "laag": q[0], "hoog": q[1]}))
        start = end
    empty = pd.DataFrame(columns=["groep", "laag", "hoog"])
    return lo, hi, pd.concat(totals, ignore_index=True) if totals else empty
