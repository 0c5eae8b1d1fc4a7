"""Padded ledgers: one document claimed by many, tasks registered just before the deadline,
targets changed after results, many "exceeded" against self-set targets, identical files."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from kiemdiem.integrity.heuristics.base import Data, Found, ProductRow, Thresholds
from kiemdiem.integrity.heuristics.leniency import common_org


def _shared(products: list[ProductRow], attr: str) -> dict[str, list[ProductRow]]:
    groups: dict[str, list[ProductRow]] = defaultdict(list)
    for p in products:
        if value := getattr(p, attr):
            groups[value].append(p)
    return groups


def shared_document(data: Data, t: Thresholds) -> list[Found]:
    found = []
    for key, rows in _shared(data.products, "doc_key").items():
        people = sorted({p.person_id for p in rows})
        if len(people) < t.min_doc_claimants:
            continue
        units = {p.org_id for p in rows}
        numbers = {"document": key, "people": len(people), "units": len(units)}
        f = Found("shared_document", common_org(rows), key, numbers)  # type: ignore[arg-type]
        f.evidence = [("ledger", person) for person in people[:20]]
        found.append(f)
    return found


def identical_files(data: Data, t: Thresholds) -> list[Found]:
    found = []
    for digest, rows in _shared(data.products, "sha256").items():
        people = sorted({p.person_id for p in rows})
        if len(people) < 2:
            continue
        numbers = {"sha256": digest, "people": len(people), "files": len(rows)}
        f = Found("identical_files", common_org(rows), digest, numbers)  # type: ignore[arg-type]
        f.evidence = [("product", p.id) for p in rows[:20]]
        found.append(f)
    return found


def late_registration(data: Data, t: Thresholds) -> list[Found]:
    if data.deadline is None:
        return []
    start = data.deadline - dt.timedelta(weeks=t.late_weeks)
    late: dict[int, list[int]] = defaultdict(list)
    org: dict[int, int] = {}
    for task in data.tasks:
        if task.self_set and start <= task.created_on <= data.deadline:
            late[task.person_id].append(task.id)
            org[task.person_id] = task.org_id
    found = []
    for person, ids in late.items():
        if len(ids) >= t.min_late_tasks:
            numbers = {"tasks": len(ids), "weeks": t.late_weeks, "deadline": str(data.deadline)}
            f = Found("late_registration", org[person], str(person), numbers)
            f.person_id = person
            f.evidence = [("ledger", person)]
            found.append(f)
    return found


def self_set_exceeded(data: Data, t: Thresholds) -> list[Found]:
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    org: dict[int, int] = {}
    for task in data.tasks:
        if task.self_set and task.approved and task.has_result:
            counts[task.person_id][0] += 1
            counts[task.person_id][1] += task.exceeded
            org[task.person_id] = task.org_id
    found = []
    for person, (done, exceeded) in counts.items():
        if exceeded >= t.min_exceeded and exceeded / done >= t.min_exceeded_share:
            f = Found(
                "self_set_exceeded", org[person], str(person), {"done": done, "exceeded": exceeded}
            )
            f.person_id = person
            f.evidence = [("ledger", person)]
            found.append(f)
    return found


def target_changed(data: Data, t: Thresholds) -> list[Found]:
    """A task's target changed (audit trail) after its first result was recorded."""
    tasks = {task.id: task for task in data.tasks}
    found = []
    for event in data.task_events:
        task = tasks.get(event.object_id)
        before, after = event.before or {}, event.after or {}
        old, new = before.get("target_quantity"), after.get("target_quantity")
        if task is None or old is None or new is None or str(old) == str(new):
            continue
        if task.first_result_at is None or event.at <= task.first_result_at:
            continue
        numbers = {
            "task": task.id,
            "before": str(old),
            "after": str(new),
            "at": event.at.isoformat(),
        }
        f = Found("target_changed", task.org_id, f"{task.id}:{event.at.isoformat()}", numbers)
        f.person_id = task.person_id
        f.evidence = [("ledger", task.person_id)]
        found.append(f)
    return found
