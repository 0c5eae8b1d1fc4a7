"""A function's results remembered per argument value, for the bulk paths that convert the same
few hundred distinct values (scores, dates, levels, a timestamp) across 140,000 rows.

One mechanism for the recompute's reading (database value → Python), its engine input (the
contract's numbers) and its writing (Python → database parameter).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


def typed(value: Any) -> Hashable:
    """The default key: the value with its type, so that True, 1 and 1.0 stay apart."""
    return (type(value), value)


def remembered(
    fn: Callable[[Any], Any],
    *,
    key: Callable[[Any], Hashable] = typed,
    limit: int = 0,
) -> Callable[[Any], Any]:
    """`fn`, remembering each result by `key(value)`. A value whose key cannot be made (unhashable,
    or `key` raises TypeError) is converted every time; so is a result that is a list or dict,
    so that no two callers share a mutable value. `limit` > 0 bounds the memory of a
    long-lived one (it starts over when full)."""
    memo: dict[Hashable, Any] = {}
    missing = object()

    def call(value: Any) -> Any:
        try:
            k = key(value)
            out = memo.get(k, missing)
        except TypeError:
            return fn(value)
        if out is not missing:
            return out
        out = fn(value)
        if not isinstance(out, list | dict):
            if limit and len(memo) >= limit:
                memo.clear()
            memo[k] = out
        return out

    return call
