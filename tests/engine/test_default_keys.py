"""Adding or removing optional keys at their default values never changes the output (issue 15).

An exporter may write a key only when it is set, or always; key sets and key order vary from
one evaluation to the next. Contract 2.1: booleans default to false, lists to empty,
``months_worked`` 12, ``absent_months`` 0, ``party_status`` active; shortcomings ``0/0`` found
and remedied is no shortcoming.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kiemdiem.engine import classify, dumps, parse_input
from tests.engine.test_properties import SETTINGS, populations

DEFAULTS: dict[str, Any] = {
    "degradation": False,
    "prohibition_violation": False,
    "socioeconomic_targets_failed": False,
    "corruption_in_managed_unit": False,
    "cadre_work_wrongdoing": False,
    "maternity": False,
    "discipline": [],
    "manages": [],
    "months_worked": 12,
    "absent_months": 0,
    "party_status": "active",
    "shortcomings": {"previous": 0, "remedied": 0},
}


def _reshape(d: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Each evaluation: default-valued keys added or dropped at random, keys reordered."""
    out = copy.deepcopy(d)
    evs = []
    for ev in out["evaluations"]:
        items = []
        for k, v in ev.items():
            if k in DEFAULTS and v == DEFAULTS[k] and rng.random() < 0.5:
                continue  # present at its default: drop it
            items.append((k, v))
        for k, v in DEFAULTS.items():
            if k not in ev and rng.random() < 0.5:
                items.append((k, copy.deepcopy(v)))
        rng.shuffle(items)
        evs.append(dict(items))
    out["evaluations"] = evs
    return out


@SETTINGS
@given(populations(), st.randoms(use_true_random=False))
def test_default_valued_optional_keys_never_change_the_output(
    d: dict[str, Any], rng: random.Random
) -> None:
    expected = dumps(classify(parse_input(d)))
    for _ in range(3):
        assert dumps(classify(parse_input(_reshape(d, rng)))) == expected


def test_the_reshaping_really_varies_the_key_sets() -> None:
    """The test above would prove nothing if _reshape left the evaluations as they were."""
    base = {"id": "S", "subject": "individual", "role": "staff", "track": "state"}
    d = {"year": 2025, "evaluations": [dict(base, id=f"S{i}") for i in range(40)]}
    shaped = _reshape(d, random.Random(1))
    assert len({tuple(ev) for ev in shaped["evaluations"]}) > 30
