"""Pure arithmetic of the statistics: shares, the peer-group quota, Vietnamese number text.

No Django, no queries: the selectors hand counts in, the page and the XLSX read figures out.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from kiemdiem.core.numbers import vn_number

LEVEL_KEYS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV", "NOT_RATED", "undecided")


def share(count: int, total: int) -> Decimal:
    """`count` as a percentage of `total`, one decimal place (0 when the total is 0)."""
    if total <= 0:
        return Decimal(0)
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def shares(counts: Mapping[str, int], total: int) -> dict[str, Decimal]:
    return {key: share(value, total) for key, value in counts.items()}


def quota(excellent: int, good: int, ratio: str) -> int:
    """The most HTXSNV a peer group may hold: floor(P×r/(1+r)), P = decided HTXSNV + HTTNV
    (classification.md: the excellent share is a ratio of the good-or-better)."""
    try:
        r = Decimal(ratio)
    except InvalidOperation:
        return 0
    if r <= 0:
        return 0
    pool = Decimal(excellent + good)
    return int((pool * r / (1 + r)).to_integral_value(ROUND_FLOOR))


def level_counts(pairs: Mapping[str, int]) -> dict[str, int]:
    """Every level key present (zeros where nothing was counted)."""
    return {key: int(pairs.get(key, 0)) for key in LEVEL_KEYS}


def vn_int(value: int) -> str:
    """1234567 → "1.234.567" (Vietnamese thousands separator)."""
    return vn_number(value)


def vn_pct(value: Decimal) -> str:
    """Decimal("12.5") → "12,5%" (one decimal, kept when zero: "12,0%")."""
    return vn_number(value, 1) + "%"


def vn_delta(value: int) -> str:
    """A year-over-year difference with its sign: "+12", "−3", "0"."""
    if value > 0:
        return "+" + vn_int(value)
    if value < 0:
        return "−" + vn_int(-value)
    return "0"
