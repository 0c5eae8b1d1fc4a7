"""Unsupported levels: a good level on low evidence, a level above the meeting's vote, and a
leader above their own unit (the engine's cap forbids it: this check proves it stays so)."""

from __future__ import annotations

from collections import defaultdict

from kiemdiem.integrity.heuristics.base import GOOD, RANK, Data, Found, TaskRow, Thresholds


def _evidence(tasks: list[TaskRow]) -> dict[int, tuple[int, int]]:
    """Per person: approved tasks, and those with at least one product."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for task in tasks:
        if task.approved:
            counts[task.person_id][0] += 1
            counts[task.person_id][1] += task.products > 0
    return {k: (v[0], v[1]) for k, v in counts.items()}


def low_evidence(data: Data, t: Thresholds) -> list[Found]:
    evidence = _evidence(data.tasks)
    found = []
    for r in data.evaluations:
        if r.level not in GOOD or r.person_id is None:
            continue
        reasons: dict[str, object] = {}
        if r.quantification is not None and r.quantification < t.min_quantification:
            reasons["quantification"] = r.quantification
        if r.score is not None and r.score < t.min_score:
            reasons["score"] = r.score
        tasks, with_products = evidence.get(r.person_id, (0, 0))
        if tasks >= t.min_evidence_tasks and with_products / tasks < t.min_evidence_share:
            reasons |= {"tasks": tasks, "tasks_with_products": with_products}
        if reasons:
            f = Found("low_evidence", r.org_id, str(r.id), {"level": r.level, **reasons})
            f.person_id, f.evaluation_id = r.person_id, r.id
            f.evidence = [("evaluation", r.id), ("ledger", r.person_id)]
            found.append(f)
    return found


def above_meeting(data: Data, t: Thresholds) -> list[Found]:
    found = []
    for r in data.evaluations:
        if r.level in RANK and r.meeting in RANK and RANK[r.level] > RANK[r.meeting]:
            f = Found(
                "above_meeting", r.org_id, str(r.id), {"level": r.level, "meeting": r.meeting}
            )
            f.person_id, f.evaluation_id = r.person_id, r.id
            f.evidence = [("evaluation", r.id)]
            found.append(f)
    return found


def leader_above_unit(data: Data, t: Thresholds) -> list[Found]:
    units = {r.id: r for r in data.evaluations if r.subject == "collective"}
    found = []
    for r in data.evaluations:
        unit = units.get(r.head_of_id) if r.head_of_id else None
        if unit is None or r.level not in RANK or unit.level not in RANK:
            continue
        if RANK[r.level] > RANK[unit.level]:
            numbers = {"level": r.level, "unit_level": unit.level}
            f = Found("leader_above_unit", r.org_id, str(r.id), numbers)
            f.person_id, f.evaluation_id = r.person_id, r.id
            f.evidence = [("evaluation", r.id), ("evaluation", unit.id)]
            found.append(f)
    return found
