"""Reads of the ledger, with the joins their pages need and a bounded number of queries.

Rows are mapped once to `scoring.TaskFacts` (`task_facts`); every status, count and score is
computed by `kiemdiem.ledger.scoring`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from kiemdiem.accounts.models import WORK_MANAGER_ROLES, RoleAssignment
from kiemdiem.ledger import scoring
from kiemdiem.ledger.models import Product, Result, Task
from kiemdiem.orgs.models import Organization, Person, Position


def task_facts(task: Task) -> scoring.TaskFacts:
    """The one mapping from rows to the scoring core; `task.results` should be prefetched."""
    return scoring.TaskFacts(
        target=task.target_quantity,
        deadline=task.deadline,
        weight=task.weight,
        results=tuple(
            scoring.ResultFacts(
                quantity=r.achieved_quantity,
                completed_on=r.completed_on,
                quality=r.quality,
                major_errors=r.major_errors,
                delays=r.delays,
                objective_cause=r.objective_cause,
            )
            for r in task.results.all()
        ),
    )


def evaluation_date(year: int, today: dt.date | None = None) -> dt.date:
    """The date a year's ledger is evaluated at: today, or the 31/12 of a past year."""
    today = today or timezone.localdate()
    return min(today, dt.date(year, 12, 31))


def _results_prefetch(*, with_products: bool) -> Prefetch:
    results = Result.objects.order_by("completed_on", "id")
    if with_products:
        results = results.prefetch_related(
            Prefetch("products", queryset=Product.objects.order_by("id"))
        )
    return Prefetch("results", queryset=results)


def counted_tasks(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks that count as assigned: approved (a cancelled, rejected or proposed task does not)."""
    return qs.filter(status=Task.Status.APPROVED)


@dataclass
class TaskRow:
    task: Task
    status: scoring.TaskStatus
    item: scoring.ItemScore | None
    """NĐ 335 item score (assigned tasks only)."""
    points: Decimal | None = None
    """The item's points out of 70 (its weight share of 70 × its item score)."""

    @property
    def counted(self) -> bool:
        return self.task.status == Task.Status.APPROVED


def _rows(tasks: list[Task], *, as_of: dt.date) -> list[TaskRow]:
    rows: list[TaskRow] = []
    total_weight = sum((t.weight for t in tasks if t.status == Task.Status.APPROVED), Decimal(0))
    for task in tasks:
        facts = task_facts(task)
        status = scoring.task_status(facts, as_of=as_of)
        item = points = None
        if task.status == Task.Status.APPROVED:
            item = scoring.item_score(facts, as_of=as_of)
            points = scoring.round_points(
                scoring.RESULTS_MAX * task.weight / total_weight * item.total
            )
        rows.append(TaskRow(task=task, status=status, item=item, points=points))
    return rows


@dataclass
class PersonLedger:
    person: Person
    year: int
    as_of: dt.date
    rows: list[TaskRow]
    counts: dict[str, int]
    score: Decimal | None
    quarters: list[tuple[scoring.Period, Decimal | None]] = field(default_factory=list)


def person_ledger(person: Person, *, year: int, today: dt.date | None = None) -> PersonLedger:
    """A person's tasks of a year with results, products, derived status and scores.

    Three queries whatever the number of tasks (tasks, results, products).
    """
    today = today or timezone.localdate()
    as_of = evaluation_date(year, today)
    tasks = list(
        Task.objects.filter(person=person, year=year)
        .select_related("organization")
        .prefetch_related(_results_prefetch(with_products=True))
        .order_by("deadline", "id")
    )
    rows = _rows(tasks, as_of=as_of)
    assigned = [r for r in rows if r.counted]
    facts = [task_facts(r.task) for r in assigned]
    quarters = [
        (period, scoring.period_score(facts, period, as_of=min(period.end, as_of)))
        for period in scoring.periods_of(year, "quarter")
    ]
    return PersonLedger(
        person=person,
        year=year,
        as_of=as_of,
        rows=rows,
        counts=scoring.task_counts(r.status for r in assigned),
        score=scoring.annual_score(facts, year=year, as_of=as_of),
        quarters=quarters,
    )


def person_task_counts(
    person: Person,
    *,
    year: int,
    period: scoring.Period | None = None,
    as_of: dt.date | None = None,
) -> dict[str, int]:
    """The rules engine's `tasks` input for a person's year (or a period of it, by deadline)."""
    as_of = as_of or evaluation_date(year)
    tasks = counted_tasks(Task.objects.filter(person=person, year=year)).prefetch_related(
        _results_prefetch(with_products=False)
    )
    statuses = [
        scoring.task_status(task_facts(t), as_of=as_of)
        for t in tasks
        if period is None or period.contains(t.deadline)
    ]
    return scoring.task_counts(statuses)


def person_results_score(
    person: Person, *, year: int, period: scoring.Period | None = None, as_of: dt.date | None = None
) -> Decimal | None:
    """The NĐ 335 70-point results score of a person's year or period (None: no tasks)."""
    as_of = as_of or evaluation_date(year)
    tasks = counted_tasks(Task.objects.filter(person=person, year=year)).prefetch_related(
        _results_prefetch(with_products=False)
    )
    facts = [task_facts(t) for t in tasks]
    return scoring.period_score(facts, period or scoring.Period("year", year), as_of=as_of)


@dataclass
class PersonLine:
    person: Person
    counts: dict[str, int]


@dataclass
class UnitLedger:
    organization: Organization
    year: int
    as_of: dt.date
    rows: list[TaskRow]
    people: list[Person]
    lines: list[PersonLine]
    totals: dict[str, int]

    @property
    def proposed(self) -> list[TaskRow]:
        return [r for r in self.rows if r.task.status == Task.Status.PROPOSED]


def unit_people(org: Organization) -> QuerySet[Person]:
    """People with a current post in the organization's subtree, in official-list order."""
    return (
        Person.objects.filter(
            positions__organization__path__under=org.path, positions__end_date__isnull=True
        )
        .distinct()
        .order_by("sort_key", "id")
    )


def unit_ledger(
    org: Organization, *, year: int, today: dt.date | None = None, with_products: bool = True
) -> UnitLedger:
    """Every task of the organization's subtree for a year, with statistics per person and in
    total; a fixed number of queries (tasks, results, products, people)."""
    as_of = evaluation_date(year, today)
    tasks = list(
        Task.objects.filter(organization__path__under=org.path, year=year)
        .select_related("person", "organization")
        .prefetch_related(_results_prefetch(with_products=with_products))
        .order_by("person__sort_key", "person_id", "deadline", "id")
    )
    rows: list[TaskRow] = []
    for person_id in dict.fromkeys(t.person_id for t in tasks):
        rows.extend(_rows([t for t in tasks if t.person_id == person_id], as_of=as_of))
    stats = scoring.unit_statistics((r.task.person_id, r.status) for r in rows if r.counted)
    people = list(unit_people(org))
    known = {p.pk: p for p in people} | {r.task.person_id: r.task.person for r in rows}
    ordered = sorted(known.values(), key=lambda p: (p.sort_key, p.pk))
    empty = scoring.task_counts([])
    lines = [PersonLine(p, stats.per_person.get(p.pk, empty)) for p in ordered]
    return UnitLedger(
        organization=org,
        year=year,
        as_of=as_of,
        rows=rows,
        people=people,
        lines=lines,
        totals=stats.totals,
    )


def unit_task_statistics(
    org: Organization, *, year: int, as_of: dt.date | None = None
) -> scoring.UnitStatistics:
    """Task counts per person and in total over the organization's subtree (a leader's
    self-review: the results of the unit they lead, ND90-12, ND335-3). Two queries."""
    as_of = as_of or evaluation_date(year)
    tasks = counted_tasks(
        Task.objects.filter(organization__path__under=org.path, year=year)
    ).prefetch_related(_results_prefetch(with_products=False))
    return scoring.unit_statistics(
        (t.person_id, scoring.task_status(task_facts(t), as_of=as_of)) for t in tasks
    )


def managed_units(user) -> QuerySet[Organization]:
    """The organizations where the user holds a work-managing role (the roots of their scope)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    ids = RoleAssignment.objects.filter(user=user, role__in=WORK_MANAGER_ROLES).values(
        "organization_id"
    )
    return Organization.objects.filter(pk__in=ids).order_by("path")


def current_units(person: Person) -> list[Organization]:
    return [
        p.organization
        for p in Position.objects.filter(person=person, end_date__isnull=True).select_related(
            "organization"
        )
    ]
