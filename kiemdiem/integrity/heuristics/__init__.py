"""The integrity heuristics, one module per family, over plain rows (`base`): no Django."""

from __future__ import annotations

from collections.abc import Callable

from kiemdiem.integrity.heuristics import leniency, padding, quota, unsupported
from kiemdiem.integrity.heuristics.base import Data, Found, Thresholds

Heuristic = Callable[[Data, Thresholds], list[Found]]

#: Code → function, in the order the page lists the families.
HEURISTICS: dict[str, Heuristic] = {
    "leniency": leniency.leniency,
    "trend": leniency.trend,
    "levelling": leniency.levelling,
    "upward_decider": leniency.upward_deciders,
    "low_evidence": unsupported.low_evidence,
    "above_meeting": unsupported.above_meeting,
    "leader_above_unit": unsupported.leader_above_unit,
    "shared_document": padding.shared_document,
    "late_registration": padding.late_registration,
    "target_changed": padding.target_changed,
    "self_set_exceeded": padding.self_set_exceeded,
    "identical_files": padding.identical_files,
    "quota_ceiling": quota.quota_ceiling,
    "ties_leaders": quota.ties,
    "out_of_order": quota.out_of_order,
}

FAMILIES = {
    "leniency": ("leniency", "trend", "levelling", "upward_decider"),
    "unsupported": ("low_evidence", "above_meeting", "leader_above_unit"),
    "padding": (
        "shared_document",
        "late_registration",
        "target_changed",
        "self_set_exceeded",
        "identical_files",
    ),
    "quota": ("quota_ceiling", "ties_leaders", "out_of_order"),
}


def run_all(data: Data, thresholds: Thresholds) -> list[Found]:
    return [f for fn in HEURISTICS.values() for f in fn(data, thresholds)]
