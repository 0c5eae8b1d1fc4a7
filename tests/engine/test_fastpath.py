"""The compiled fast path (kiemdiem/engine/fastpath.py) agrees with the interpreted rules."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from kiemdiem.engine import classify, dumps, parse_input
from kiemdiem.engine.ruleset import ROLES, available, plan
from tests.engine.test_properties import SETTINGS, populations


@SETTINGS
@given(populations())
def test_the_compiled_fast_path_agrees_with_the_interpreted_rules(d: dict[str, Any]) -> None:
    """fastpath.py inlines the predicates; switching it off must change no byte."""
    fast_out = dumps(classify(parse_input(d)))
    plans = [plan(n, r) for n in available() for r in ROLES]
    saved = [p.fast for p in plans]
    try:
        for p in plans:
            p.fast = _never
        slow_out = dumps(classify(parse_input(d)))
    finally:
        for p, f in zip(plans, saved, strict=True):
            p.fast = f
    assert fast_out == slow_out


def _never(ev: Any, ctx: Any) -> None:
    return None


def test_every_plan_has_a_fast_path_whose_source_is_kept_for_reading() -> None:
    for name in available():
        for role in ROLES:
            source = plan(name, role).fast.__doc__ or ""
            assert source.startswith("def fast(ev, ctx):")


def test_the_fast_path_is_specialised_per_shape() -> None:
    """fastpath.specialize folds away what an absent key decides; a replaced fast path (as
    above) is used as is."""
    from kiemdiem.engine.fastpath import specialize

    p = plan("nd90", "staff")
    keys = frozenset({"id", "subject", "role", "track", "general", "tasks"})
    f = specialize(p.fast, keys)
    assert f is not p.fast
    assert specialize(p.fast, keys) is f
    assert "_cd" in p.fast.__code__.co_names
    assert "_cd" not in f.__code__.co_names  # no discipline key: no discipline check
    assert specialize(_never, keys) is _never
