"""A linear-programming attack on what is published for one gemeente and period (no tests in this module).

The attacker reads the published rows (the CSV of `python -m indicators compute`) and the wait-time distribution,
knows from the catalogue which underlying count every teller and noemer is, and knows the relations between the
counts. Every count of a region is a variable >= 0 (a withheld cell, `*`, says nothing more: zeros are withheld
too), and the published figures give linear constraints:

- a published teller or noemer fixes its count; a published count value fixes its teller;
- a published share or ratio v with teller t and noemer n: t = v * n (/ 100), up to the CSV's rounding;
- the gemeente's count is the sum of its wijken' (for persons: at most that sum, each wijk at most the gemeente);
- within a region: started = sum over referrers = sum over productcategorie and wait class; started with a norm =
  the wait classes of the categories with a norm = within + outside the norm;
- a count absent everywhere for a region (no row, no cell) is zero.

For every withheld count the attack minimises and maximises it (scipy's linprog, HiGHS, no integrality) and
reports the feasible range.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from indicators import catalog, suppression

TOLERANCE = 1e-5  # the CSV writes six decimals


@dataclass
class Problem:
    index: dict = field(default_factory=dict)
    fixed: dict = field(default_factory=dict)
    withheld: set = field(default_factory=set)
    rows_eq: list = field(default_factory=list)   # (coefficients {var: c}, rhs)
    rows_ub: list = field(default_factory=list)   # (coefficients {var: c}, rhs): sum <= rhs

    def var(self, key) -> int:
        return self.index.setdefault(key, len(self.index))

    def fix(self, key, value: float) -> None:
        self.fixed[self.var(key)] = float(value)

    def eq(self, coefs: dict, rhs: float = 0.0) -> None:
        self.rows_eq.append(({self.var(k): c for k, c in coefs.items()}, rhs))

    def ub(self, coefs: dict, rhs: float = 0.0) -> None:
        self.rows_ub.append(({self.var(k): c for k, c in coefs.items()}, rhs))


def _matrix(rows, n):
    r, c, v = [], [], []
    for i, (coefs, _) in enumerate(rows):
        for j, x in coefs.items():
            r.append(i)
            c.append(j)
            v.append(x)
    return coo_matrix((v, (r, c)), shape=(len(rows), n)).tocsr(), np.array([rhs for _, rhs in rows])


def _own(row) -> bool:
    return isinstance(row.bron, str) and "Eigen registratie" in row.bron


def build(frame: pd.DataFrame, verdeling: pd.DataFrame, normed: set[str]) -> Problem:
    """The attacker's problem from the published rows of one gemeente and period (WK and GM levels only)."""
    p = Problem()
    present: dict[tuple, set] = {}  # (telling) -> regions where a row or cell names it
    for row in frame[frame.niveau.isin(["WK", "GM"])].itertuples():
        try:
            ind = catalog.get(None, row.indicator_id)
        except KeyError:
            continue
        if not (ind.eigen_registratie and _own(row)):
            continue
        reg = row.regio_code
        t, n, rest = ind.telling_teller, ind.telling_noemer, ind.telling_rest
        for telling, shown in ((t, row.teller), (n, row.noemer)):
            if telling:
                present.setdefault(telling, set()).add(reg)
                p.var((telling, reg))
                if pd.notna(shown):
                    p.fix((telling, reg), shown)
                else:
                    p.withheld.add((telling, reg))
        if rest:
            present.setdefault(rest, set()).add(reg)
            p.eq({(n, reg): 1, (t, reg): -1, (rest, reg): -1})
        v = row.waarde
        if pd.isna(v) or ind.statistiek:
            continue
        if n is None and t is not None and ind.eenheid != "%":
            p.fix((t, reg), v)                         # a count: the value is its teller
        elif t is not None and n is not None:
            scale = 100.0 if ind.eenheid == "%" else 1.0   # scale * t - v * n = 0, up to rounding
            p.ub({(t, reg): scale, (n, reg): -(v + TOLERANCE)})
            p.ub({(t, reg): -scale, (n, reg): v - TOLERANCE})
        elif t is not None and pd.notna(row.noemer):     # a share of a public population
            mid = v * row.noemer / 100.0
            lo, hi = mid - TOLERANCE * row.noemer, mid + TOLERANCE * row.noemer
            p.ub({(t, reg): 1}, hi)
            p.ub({(t, reg): -1}, -lo)
    for r in verdeling.itertuples():
        key = (f"{suppression.KLASSE}{r.productcategorie}|{r.klasse}", r.regio_code)
        present.setdefault(key[0], set()).add(r.regio_code)
        p.var(key)
        if pd.notna(r.aantal):
            p.fix(key, r.aantal)
        else:
            p.withheld.add(key)
    levels = frame[frame.niveau.isin(["WK", "GM"])].drop_duplicates("regio_code").set_index("regio_code").niveau
    gm = [c for c, lvl in levels.items() if lvl == "GM"]
    wijken = [c for c, lvl in levels.items() if lvl == "WK"]
    regions = gm + wijken
    tellingen = list(present)
    # A count absent for a region is zero (no row and no cell), where the relations below need it.
    for telling in tellingen:
        for reg in regions:
            if reg not in present[telling]:
                p.fix((telling, reg), 0.0)
    for telling in tellingen:
        for g in gm:
            if suppression.is_person_count(telling):
                p.ub({(telling, g): 1, **{(telling, w): -1 for w in wijken}})
                for w in wijken:
                    p.ub({(telling, w): 1, (telling, g): -1})
            else:
                p.eq({(telling, g): 1, **{(telling, w): -1 for w in wijken}})
    parts = {
        suppression.GESTART: [[t for t in tellingen if t.startswith(suppression.VERWIJZER)],
                              [t for t in tellingen if t.startswith(suppression.KLASSE)]],
        suppression.MET_NORM: [[t for t in tellingen if t.startswith(suppression.KLASSE)
                                and t.split("|")[1] in normed]],
    }
    for total, groups in parts.items():
        if total not in present:
            continue
        for group in groups:
            if group:
                for reg in regions:
                    p.eq({(total, reg): 1, **{(t, reg): -1 for t in group}})
    return p


class _Solver:
    def __init__(self, p: Problem):
        self.n = len(p.index)
        self.bounds = [(p.fixed[i], p.fixed[i]) if i in p.fixed else (0, None) for i in range(self.n)]
        self.a_eq, self.b_eq = _matrix(p.rows_eq, self.n) if p.rows_eq else (None, None)
        self.a_ub, self.b_ub = _matrix(p.rows_ub, self.n) if p.rows_ub else (None, None)

    def solve(self, c: np.ndarray):
        """The optimal point for objective c, or None when unbounded."""
        res = linprog(c, A_ub=self.a_ub, b_ub=self.b_ub, A_eq=self.a_eq, b_eq=self.b_eq, bounds=self.bounds,
                      method="highs")
        if res.status == 3:
            return None
        if res.status != 0:
            raise AssertionError(f"LP: {res.message}")
        return res.x


def ranges(p: Problem, at_least: float | None = None, seed: int = 1) -> dict:
    """{withheld count: (lowest, highest)} over everything published; highest is inf when unbounded.

    With `at_least`, a count whose values over a few feasible points (random objectives over all withheld counts)
    already spread that far is reported with that spread, a lower bound on its range, instead of being solved
    exactly: the answer to "is the range at least this wide" stays exact, and far fewer LPs are solved.
    """
    solver = _Solver(p)
    targets = sorted(k for k in p.withheld if p.index[k] not in p.fixed)
    idx = np.array([p.index[k] for k in targets], dtype=int)
    lo = np.full(len(targets), np.inf)
    hi = np.full(len(targets), -np.inf)
    if at_least is not None and len(targets):
        rng = np.random.default_rng(seed)
        stale = 0
        while stale < 3:
            open_ = hi - lo < at_least
            if not open_.any():
                break
            c = np.zeros(solver.n)
            c[idx[open_]] = rng.choice([-1.0, 1.0], size=int(open_.sum()))
            for sign in (1, -1):
                x = solver.solve(sign * c)
                if x is not None:
                    lo, hi = np.minimum(lo, x[idx]), np.maximum(hi, x[idx])
                else:  # unbounded somewhere: solve the open ones exactly
                    stale = 3
            stale = stale + 1 if (hi - lo < at_least).sum() == open_.sum() else 0
    out = {}
    for k, key in enumerate(targets):
        if at_least is not None and hi[k] - lo[k] >= at_least:
            out[key] = (lo[k], hi[k])
            continue
        found = []
        for sign in (1, -1):
            c = np.zeros(solver.n)
            c[idx[k]] = sign
            x = solver.solve(c)
            found.append(np.inf if x is None else x[idx[k]])
        out[key] = (found[0], found[1])
    return out


def too_narrow(p: Problem, min_n: int) -> dict:
    """The withheld counts whose feasible range is narrower than the threshold."""
    return {k: r for k, r in ranges(p, at_least=min_n).items() if r[1] - r[0] < min_n - 1e-6}
