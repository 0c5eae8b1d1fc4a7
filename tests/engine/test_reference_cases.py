"""Minimal cases where the engine departs from the contract (found by test_reference.py).

Each is marked xfail(strict=True): the engine is being rewritten by another branch; when it is
fixed the test passes, strict xfail fails, and the mark is removed.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.engine.test_reference import engine

TASKS = {"assigned": 1, "completed": 1, "on_time": 1, "exceeded": 1}


def party_staff(i: str, **kw: Any) -> dict[str, Any]:
    return {"id": i, "subject": "individual", "role": "staff", "track": "party", "score": 95,
            "tasks": TASKS, **kw}  # fmt: skip


@pytest.mark.xfail(
    strict=True,
    reason="section 7: `order` breaks ties by input order; the engine emits a peer group as one "
    "block where its first member becomes ready, placing C before the earlier, ready B",
)
def test_order_breaks_ties_by_input_order_around_a_peer_group() -> None:
    doc = {
        "year": 2025,
        "evaluations": [
            party_staff("A", peer_group="G"),
            party_staff("B"),
            party_staff("C", peer_group="G"),
        ],
    }
    assert engine(json.dumps(doc))["order"] == ["A", "B", "C"]


def test_order_keeps_a_group_after_what_any_member_depends_on() -> None:
    """The literal tie-break still obeys 9.24: B and C wait for nothing, A waits for S."""
    state = {"id": "S", "subject": "individual", "role": "staff", "track": "state",
             "general": "good", "tasks": TASKS}  # fmt: skip
    doc = {
        "year": 2025,
        "evaluations": [
            party_staff("A", state_evaluation="S"),
            party_staff("B", peer_group="G"),
            party_staff("C", peer_group="G"),
            state,
        ],
    }
    assert engine(json.dumps(doc))["order"] == ["B", "C", "S", "A"]
