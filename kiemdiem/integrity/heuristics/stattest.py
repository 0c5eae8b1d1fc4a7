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
