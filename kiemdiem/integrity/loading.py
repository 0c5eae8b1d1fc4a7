"""The database → the heuristics' plain rows, in a fixed number of streamed queries whatever the
size of the subtree (evaluations, last year's, tasks, results, products, two audit slices, peer
groups): never one query per unit or person."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from kiemdiem.core.models import AuditEvent
from kiemdiem.integrity.heuristics.base import (
    AuditRow,
    Data,
    EvalRow,
    GroupRow,
    ProductRow,
    TaskRow,
)
from kiemdiem.ledger.models import Product, Result, Task
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.stats.selectors import previous_cycle

CHUNK = 5000
EVAL_FIELDS = (
    "id",
    "organization_id",
    "organization__path",
    "subject",
    "role",
    "track",
    "decided_level",
    "person_id",
    "suggested_level",
    "meeting_level",
    "score",
    "self_review__quantification",
    "self_review__status",
    "decided_by_id",
    "peer_group_id",
    "head_of_id",
)


def _evaluations(cycle: Cycle, org: Organization) -> list[EvalRow]:
    rows = (
        Evaluation.objects.filter(cycle=cycle, organization__path__under=org.path)
        .exclude(status=Evaluation.Status.ANNULLED)
        .values_list(*EVAL_FIELDS)
        .order_by()
    )
    out = []
    for r in rows.iterator(chunk_size=CHUNK):
        quantification = r[11] if r[12] == "submitted" else None
        out.append(
            EvalRow(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6] if r[6] in _DONE_LEVELS else "",
                r[7], r[8], r[9], float(r[10]) if r[10] is not None else None,
                quantification, r[13], r[14], r[15],
            )
        )  # fmt: skip
    return out


_DONE_LEVELS = frozenset({"HTXSNV", "HTTNV", "HTNV", "KHTNV", "NOT_RATED"})


def _tasks(year: int, org: Organization) -> tuple[list[TaskRow], list[ProductRow]]:
    tasks: dict[int, TaskRow] = {}
    for t in (
        Task.objects.filter(year=year, organization__path__under=org.path)
        .values_list(
            "id", "person_id", "organization_id", "organization__path", "source", "status",
            "assigned_on", "created_at", "target_quantity",
        )
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):  # fmt: skip
        tasks[t[0]] = TaskRow(
            t[0], t[1], t[2], t[3], t[4] == Task.Source.SELF_REGISTERED,
            t[5] == Task.Status.APPROVED, t[6], t[7].date(), float(t[8]),
        )  # fmt: skip
    achieved: dict[int, float] = defaultdict(float)
    for task_id, quantity, quality, created in (
        Result.objects.filter(task__year=year, task__organization__path__under=org.path)
        .values_list("task_id", "achieved_quantity", "quality", "created_at")
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):
        row = tasks.get(task_id)
        if row is None:
            continue
        row.has_result = True
        achieved[task_id] += float(quantity)
        row.exceeded |= quality == Result.Quality.EXCEEDS
        if row.first_result_at is None or created < row.first_result_at:
            row.first_result_at = created
    for task_id, total in achieved.items():
        tasks[task_id].achieved = total
        tasks[task_id].exceeded |= total > tasks[task_id].target
    return list(tasks.values()), _products(year, org, tasks)


def _products(year: int, org: Organization, tasks: dict[int, TaskRow]) -> list[ProductRow]:
    out = []
    for pid, task_id, kind, symbol, date, digest in (
        Product.objects.filter(
            result__task__year=year, result__task__organization__path__under=org.path
        )
        .values_list("id", "result__task_id", "kind", "doc_symbol", "doc_date", "sha256")
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):
        task = tasks.get(task_id)
        if task is None:
            continue
        task.products += 1
        key = ""
        if kind == Product.Kind.DOCUMENT and symbol:
            key = f"{symbol.strip().upper()} {date.isoformat() if date else ''}".strip()
        out.append(
            ProductRow(pid, task.person_id, task.org_id, task.org_path, task_id, key, digest)
        )
    return out


def _events(action: str, object_type: str, since: dt.datetime) -> list[AuditRow]:
    rows = (
        AuditEvent.objects.filter(action=action, object_type=object_type, at__gte=since)
        .values_list("object_id", "action", "at", "before", "after")
        .order_by("at", "id")
    )
    return [
        AuditRow(int(r[0]), r[1], r[2], r[3], r[4])
        for r in rows.iterator(chunk_size=CHUNK)
        if str(r[0]).isdigit()
    ]


def _groups(cycle: Cycle | None) -> list[GroupRow]:
    if cycle is None:
        return []
    return [
        GroupRow(*g)
        for g in PeerGroup.objects.filter(cycle=cycle).values_list("id", "code", "ratio")
    ]


def load(cycle: Cycle, org: Organization) -> Data:
    previous = previous_cycle(cycle)
    evaluations = _evaluations(cycle, org)
    ids = {r.id for r in evaluations}
    tasks, products = _tasks(cycle.year, org)
    task_ids = {t.id for t in tasks}
    since = dt.datetime.combine(dt.date(cycle.year, 1, 1), dt.time(), tzinfo=dt.UTC)
    decide_events = [
        e
        for e in _events("evaluation.decide", "reviews.evaluation", cycle_start(cycle))
        if e.object_id in ids
    ]
    task_events = [
        e for e in _events("task.update", "ledger.task", since) if e.object_id in task_ids
    ]
    return Data(
        evaluations=evaluations,
        previous=_evaluations(previous, org) if previous else [],
        tasks=tasks,
        products=products,
        decide_events=decide_events,
        task_events=task_events,
        groups=_groups(cycle),
        previous_groups=_groups(previous),
        deadline=cycle.state_deadline,
    )


def cycle_start(cycle: Cycle) -> dt.datetime:
    return cycle.created_at


__all__ = ["load"]
