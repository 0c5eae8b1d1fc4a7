"""The compiled fast path (kiemdiem/engine/fastpath.py) agrees with the interpreted rules."""

from __future__ import annotations

from typing import Any

import pytest
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


def test_no_code_is_compiled_per_input_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    """Code is generated once per rule-set plan, never per key set of the input (issue 15):
    classifying evaluations that all have different key sets compiles nothing."""
    import builtins

    from tests.engine.conftest import doc, staff, tasks

    optional = {
        "degradation": False,
        "maternity": False,
        "discipline": [],
        "months_worked": 12,
        "absent_months": 0,
        "shortcomings": {"previous": 0, "remedied": 0},
        "prohibition_violation": False,
    }
    names = list(optional)
    evs = []
    for i in range(1 << len(names)):
        extra = {k: optional[k] for j, k in enumerate(names) if i >> j & 1}
        evs.append(staff(f"S{i}", general="good", tasks=tasks(10, e=i % 10), **extra))
    document = doc(2025, *evs)
    classify(parse_input(document))  # builds the plans (their code) once
    calls: list[object] = []
    real = builtins.compile

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1] if len(args) > 1 else None)
        return real(*args, **kwargs)

    monkeypatch.setattr(builtins, "compile", counting)
    out = dumps(classify(parse_input(document)))
    assert calls == []
    assert out.count('"level":') == 1 << len(names)
