"""Small statistical helpers shared by the term-burst, sentiment-shift and narrative detectors.

>>> bh_mask([0.001, 0.02, 0.04, 0.5], fdr=0.05).tolist()
[True, True, False, False]
>>> round(poisson_tail(10, 2.0), 6)
4.6e-05
>>> round(log_score(1e-10), 2), log_score(1.0)
(1.0, 0.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats


def bh_mask(p_values: Sequence[float], fdr: float, m: int | None = None) -> np.ndarray:
    """Benjamini-Hochberg: which hypotheses are discoveries at false-discovery rate `fdr`.

    `m` is the number of hypotheses tested (defaults to the number of p-values given).
    """
    p = np.asarray(p_values, dtype=float)
    if p.size == 0:
        return np.zeros(0, dtype=bool)
    m = max(m or p.size, p.size)
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    passed = ranked <= fdr * np.arange(1, p.size + 1) / m
    mask = np.zeros(p.size, dtype=bool)
    if passed.any():
        cutoff = int(np.nonzero(passed)[0].max())
        mask[order[: cutoff + 1]] = True
    return mask


def poisson_tail(observed: float, expected: float) -> float:
    """P(X >= observed) for X ~ Poisson(expected)."""
    return float(stats.poisson.sf(observed - 1, max(expected, 1e-9)))


def nb_tail(observed: float, expected: float, r: float) -> float:
    """P(X >= observed) for a negative binomial with mean `expected` and size `r` (Poisson as r -> inf)."""
    if math.isinf(r):
        return poisson_tail(observed, expected)
    expected = max(expected, 1e-9)
    return float(stats.nbinom.sf(observed - 1, r, r / (r + expected)))


def nb_tails(observed, expected, r: float) -> np.ndarray:
    """`nb_tail` of many (observed, expected) pairs in one call; equal to it element by element.

    >>> nb_tails([10, 3], [2.0, 4.0], 5.0).tolist() == [nb_tail(10, 2.0, 5.0), nb_tail(3, 4.0, 5.0)]
    True
    """
    observed = np.asarray(observed, dtype=float)
    expected = np.maximum(np.asarray(expected, dtype=float), 1e-9)
    if math.isinf(r):
        return stats.poisson.sf(observed - 1, expected)
    return stats.nbinom.sf(observed - 1, r, r / (r + expected))


def betabinom_tails(k, n, share, rho) -> np.ndarray:
    """P(K >= k) for each K ~ BetaBinomial(n) with mean share `share` and intra-class correlation `rho`.

    `rho` -> 0 is the binomial; a larger `rho` allows the share to wander more from day to day.

    >>> p = betabinom_tails([60, 40], [100, 100], [0.3, 0.3], [0.02, 0.02])
    >>> bool(p[0] < 1e-3 < 0.1 < p[1])
    True
    """
    k, n = np.asarray(k, dtype=np.int64), np.asarray(n, dtype=np.int64)
    share = np.clip(np.asarray(share, dtype=float), 1e-4, 1 - 1e-4)
    rho = np.asarray(rho, dtype=float)
    out = np.empty(k.shape, dtype=float)
    flat = rho <= 1e-6
    if flat.any():
        out[flat] = stats.binom.sf(k[flat] - 1, n[flat], share[flat])
    if (~flat).any():
        conc = (1 - rho[~flat]) / rho[~flat]
        s = share[~flat]
        out[~flat] = stats.betabinom.sf(k[~flat] - 1, n[~flat], s * conc, (1 - s) * conc)
    return out


def log_score(p: float, full_at: float = 10.0) -> float:
    """-log10(p) scaled to [0, 1]: 1 at p <= 10^-full_at."""
    return float(min(1.0, max(0.0, -math.log10(max(p, 1e-300)) / full_at)))


def entropy(counts: Sequence[float]) -> float:
    """Shannon entropy in bits of a count vector.

    >>> entropy([5, 5]), entropy([7])
    (1.0, 0.0)
    """
    c = np.asarray([x for x in counts if x > 0], dtype=float)
    if c.size <= 1:
        return 0.0
    q = c / c.sum()
    return float(-(q * np.log2(q)).sum())
