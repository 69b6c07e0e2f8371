"""Confidence intervals and funnel limits for proportions. Proportions here are fractions (0..1)."""

from __future__ import annotations

import numpy as np

Z95 = 1.959963984540054
Z998 = 3.090232306167813


def wilson(teller, noemer, z: float = Z95):
    """Wilson score interval for teller successes out of noemer; scalars or arrays, returns (laag, hoog)."""
    t = np.asarray(teller, dtype=float)
    n = np.asarray(noemer, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = t / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        lo, hi = centre - half, centre + half
    valid = (n > 0) & (t >= 0) & (t <= n)
    lo, hi = np.where(valid, np.clip(lo, 0, 1), np.nan), np.where(valid, np.clip(hi, 0, 1), np.nan)
    return (lo.item(), hi.item()) if lo.ndim == 0 else (lo, hi)


def wilson_sql(t: str, n: str, z: float = Z95, scale: float = 100.0) -> tuple[str, str]:
    """SQL expressions (laag, hoog) of the Wilson interval for column expressions t and n, times scale."""
    zz = repr(z * z)
    p = f"(({t}) / ({n}))"
    centre = f"(({p} + {zz} / (2 * ({n}))) / (1 + {zz} / ({n})))"
    half = f"({z!r} * sqrt({p} * (1 - {p}) / ({n}) + {zz} / (4 * ({n}) * ({n}))) / (1 + {zz} / ({n})))"
    ok = f"(({n}) > 0 AND ({t}) >= 0 AND ({t}) <= ({n}))"
    return (
        f"CASE WHEN {ok} THEN {scale!r} * greatest({centre} - {half}, 0) END",
        f"CASE WHEN {ok} THEN {scale!r} * least({centre} + {half}, 1) END",
    )


def funnel_limits(p, noemer, z: float = Z95):
    """Funnel-plot limits around target proportion p for group sizes noemer: p ± z·sqrt(p(1-p)/n), in [0, 1]."""
    n = np.asarray(noemer, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        half = z * np.sqrt(p * (1 - p) / n)
    lo, hi = np.clip(p - half, 0, 1), np.clip(p + half, 0, 1)
    return (lo.item(), hi.item()) if lo.ndim == 0 else (lo, hi)


def median_ci_ranks(n, alpha: float = 0.05):
    """Ranks (1-based) of the order statistics that bound a distribution-free (1 - alpha) interval for a median.

    The lower rank l is the largest with P(B < l) <= alpha / 2 for B ~ Binomial(n, 1/2); the upper rank is
    n + 1 - l. The interval [x(l), x(n+1-l)] holds the population median with probability >= 1 - alpha whatever
    the distribution. l = 0 (no interval) when n is too small (n < 6 for 95%). Scalars or arrays.
    """
    from scipy.stats import binom

    k = np.asarray(n, dtype=float)
    low = np.where(k > 0, binom.ppf(alpha / 2, np.maximum(k, 1), 0.5), 0).astype(int)
    # ppf gives the smallest l with P(B <= l) >= alpha/2, so P(B <= l - 1) < alpha/2: that l is the lower rank.
    high = np.where(low > 0, k.astype(int) + 1 - low, 0)
    return (int(low), int(high)) if low.ndim == 0 else (low, high)
