"""The statistics the leniency heuristics state: a one-sided exact binomial test and the
Benjamini–Hochberg step-up procedure over a family of such tests. Pure Python, exact (no
normal approximation: units are small)."""

from __future__ import annotations

import math


def binomial_sf(k: int, n: int, p: float) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p), summed in log space (n up to tens of thousands)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    lp, lq = math.log(p), math.log1p(-p)
    terms = [
        math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * lp + (n - i) * lq
        for i in range(k, n + 1)
    ]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def benjamini_hochberg(pvalues: list[float], q: float) -> list[bool]:
    """Which hypotheses are rejected at false discovery rate `q` (step-up procedure)."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    cut = -1
    for rank, i in enumerate(order, start=1):
        if pvalues[i] <= q * rank / m:
            cut = rank
    rejected = [False] * m
    for rank, i in enumerate(order, start=1):
        rejected[i] = rank <= cut
    return rejected


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_greater(k: int, n: int, k0: int, n0: int) -> float:
    """One-sided Fisher exact test that the first share k/n exceeds the second k0/n0: the
    hypergeometric tail P(X ≥ k) with the margins fixed (both samples' noise counted)."""
    total, good = n + n0, k + k0
    low, high = max(k, good - n0), min(n, good)
    if low > high:
        return 0.0 if k > high else 1.0
    base = _log_choose(total, n)
    return min(
        1.0,
        sum(
            math.exp(_log_choose(good, x) + _log_choose(total - good, n - x) - base)
            for x in range(low, high + 1)
        ),
    )
