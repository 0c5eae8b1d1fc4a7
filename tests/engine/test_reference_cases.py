"""Minimal cases the differential test (test_reference.py) raised, pinned with the reading the
team chose for each."""

from __future__ import annotations

import json
from typing import Any

from tests.engine.test_reference import engine

TASKS = {"assigned": 1, "completed": 1, "on_time": 1, "exceeded": 1}


def party_staff(i: str, **kw: Any) -> dict[str, Any]:
    return {"id": i, "subject": "individual", "role": "staff", "track": "party", "score": 95,
            "tasks": TASKS, **kw}  # fmt: skip


def test_a_peer_group_is_listed_as_one_block_at_its_first_member() -> None:
    """The team's reading of section 7 (bench/ENGINE_RESULTS.md, reading 4): "the whole group is
    decided together", so its members are listed together where the first becomes ready. The
    literal per-id tie-break (A, B, C) is valid too; the examples' README compares "a valid
    order", which both are (test_reference.py checks validity on every population)."""
    doc = {
        "year": 2025,
        "evaluations": [
            party_staff("A", peer_group="G"),
            party_staff("B"),
            party_staff("C", peer_group="G"),
        ],
    }
    assert engine(json.dumps(doc))["order"] == ["A", "C", "B"]


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
