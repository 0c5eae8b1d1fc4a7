"""What the ledger derives from its rows: task status, task counts and the NĐ 335 results score.

Pure Python over plain values (no Django import): the selectors map rows to `TaskFacts` once
(`kiemdiem.ledger.selectors.task_facts`) and everything a page, the self-review or the rules
engine shows is computed here. Nothing here is typed by a user twice: on time, late, exceeded
and overdue come from the dates and quantities of the results.

Readings we chose (the texts leave them open; see the docstrings for the clause each serves):

* A task is **completed** when the cumulative achieved quantity reaches the target; its
  **completion date** is the date of the result that made the sum reach the target. Partial
  deliveries add up. Completion exactly on the deadline is on time.
* **Exceeded** (vượt, ND90-11/12): completed, and either more than the target was delivered or
  a result was judged "exceeds the requirement" (vượt yêu cầu) in quality. Exceeding in quality
  alone does not make an unfinished task exceeded, so exceeded ≤ completed always holds.
* **Overdue**: not completed and the deadline has passed at the date of evaluation.
* Results dated after the date of evaluation (`as_of`) are ignored, so a past state can be
  recomputed exactly.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

EXCEEDS = "exceeds"
MEETS = "meets"
BELOW = "below"

RESULTS_MAX = Decimal(70)
"""NĐ 335 Art 14 (ND335-2): task results weigh 70 of the 100 points."""

DEDUCTION = Decimal("0.25")
"""ND335-2: each major content error takes 25% of the item's quality points, each delay 25% of
its progress points."""

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Split:
    """How one task item's points are shared between quantity, quality and progress.

    NĐ 335 names the three axes but, in what we could read, not their shares (ND335-2 [S]); the
    default 40/30/30 puts the largest share on delivering the products at all. A province that
    fixes other shares passes its own `Split`.
    """

    quantity: Decimal
    quality: Decimal
    progress: Decimal

    def __post_init__(self) -> None:
        if self.quantity + self.quality + self.progress != 1:
            raise ValueError("the shares of quantity, quality and progress must add up to 1")


DEFAULT_SPLIT = Split(quantity=Decimal("0.4"), quality=Decimal("0.3"), progress=Decimal("0.3"))


@dataclass(frozen=True)
class ResultFacts:
    quantity: Decimal
    completed_on: dt.date
    quality: str = MEETS
    major_errors: int = 0
    delays: int = 0
    objective_cause: bool = False


@dataclass(frozen=True)
class TaskFacts:
    target: Decimal
    deadline: dt.date
    weight: Decimal = Decimal(1)
    results: tuple[ResultFacts, ...] = ()


StatusCode = Literal["on_time", "late", "overdue", "in_progress"]


@dataclass(frozen=True)
class TaskStatus:
    achieved: Decimal
    completed_on: dt.date | None
    completed: bool
    on_time: bool
    late: bool
    exceeded: bool
    overdue: bool
    ratio: Decimal
    """min(achieved / target, 1): the share of the target delivered."""
    completing_result: int | None
    """Index (in date order of the counted results) of the result that reached the target."""
    counted: tuple[ResultFacts, ...]

    @property
    def code(self) -> StatusCode:
        if self.on_time:
            return "on_time"
        if self.late:
            return "late"
        if self.overdue:
            return "overdue"
        return "in_progress"


def task_status(task: TaskFacts, *, as_of: dt.date) -> TaskStatus:
    """Derived status of one task at the date `as_of` (results dated later are ignored)."""
    counted = tuple(
        sorted((r for r in task.results if r.completed_on <= as_of), key=lambda r: r.completed_on)
    )
    achieved = Decimal(0)
    completed_on: dt.date | None = None
    completing: int | None = None
    for index, result in enumerate(counted):
        achieved += result.quantity
        if completing is None and achieved >= task.target:
            completing, completed_on = index, result.completed_on
    completed = completing is not None
    on_time = completed and completed_on is not None and completed_on <= task.deadline
    exceeded = completed and (achieved > task.target or any(r.quality == EXCEEDS for r in counted))
    return TaskStatus(
        achieved=achieved,
        completed_on=completed_on,
        completed=completed,
        on_time=on_time,
        late=completed and not on_time,
        exceeded=exceeded,
        overdue=not completed and task.deadline < as_of,
        ratio=min(achieved / task.target, Decimal(1)),
        completing_result=completing,
        counted=counted,
    )


def task_counts(statuses: Iterable[TaskStatus]) -> dict[str, int]:
    """The rules engine's `tasks` input: assigned, completed, on_time, exceeded.

    The caller passes the statuses of the assigned tasks only (approved, not cancelled; see
    `selectors`); 0 ≤ on_time ≤ completed ≤ assigned and exceeded ≤ completed by construction.
    """
    counts = {"assigned": 0, "completed": 0, "on_time": 0, "exceeded": 0}
    for status in statuses:
        counts["assigned"] += 1
        counts["completed"] += status.completed
        counts["on_time"] += status.on_time
        counts["exceeded"] += status.exceeded
    return counts


# --- NĐ 335 results score -------------------------------------------------------------------


@dataclass(frozen=True)
class ItemScore:
    """One task item's share of its own full points, on each axis (each 0..its split share)."""

    quantity: Decimal
    quality: Decimal
    progress: Decimal
    errors: int
    delays: int

    @property
    def total(self) -> Decimal:
        return self.quantity + self.quality + self.progress


def _factor(count: int) -> Decimal:
    return max(Decimal(0), 1 - DEDUCTION * count)


def item_score(task: TaskFacts, *, as_of: dt.date, split: Split = DEFAULT_SPLIT) -> ItemScore:
    """ND335-2 for one item (NĐ 335/2025 Art 14).

    * quantity = share × min(achieved / target, 1);
    * quality = share × min(achieved / target, 1) × max(0, 1 − 25% × errors), where errors are
      the major content errors of the results, a result judged "below the requirement" counting
      as at least one;
    * progress = share × min(achieved / target, 1) × max(0, 1 − 25% × delays), where delays are
      the delays recorded on results (missed intermediate milestones) plus one when the task was
      completed after its deadline, or is unfinished with its deadline passed.

    Quality and progress are earned on what was delivered (scaled by the delivered share): an
    item with nothing delivered scores nothing on any axis. Errors and delays of a result whose
    objective cause the manager confirmed are not deducted; the lateness of completion is
    excused when a result of the completion day (the one that completed the task) has a
    confirmed objective cause. Never below zero on any axis.
    """
    status = task_status(task, as_of=as_of)
    errors = 0
    delays = 0
    for result in status.counted:
        if result.objective_cause:
            continue
        errors += max(result.major_errors, 1 if result.quality == BELOW else 0)
        delays += result.delays
    if status.late:
        # Results of the same day may come in any order: look at all of the completion day's.
        excused = any(
            r.objective_cause for r in status.counted if r.completed_on == status.completed_on
        )
        if not excused:
            delays += 1
    elif status.overdue:
        delays += 1
    ratio = status.ratio
    return ItemScore(
        quantity=split.quantity * ratio,
        quality=split.quality * ratio * _factor(errors),
        progress=split.progress * ratio * _factor(delays),
        errors=errors,
        delays=delays,
    )


def round_points(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def results_score(
    tasks: Sequence[TaskFacts], *, as_of: dt.date, split: Split = DEFAULT_SPLIT
) -> Decimal | None:
    """The 70-point task-results score of a set of items (ND335-2); None when there are none.

    Each item's points are its weight (hệ số quy đổi) share of 70. Rounded once, at the end, to
    two decimals half up.
    """
    return _rounded(_raw_score(tasks, as_of=as_of, split=split))


def _raw_score(
    tasks: Sequence[TaskFacts], *, as_of: dt.date, split: Split
) -> tuple[Decimal, Decimal] | None:
    total_weight = sum((t.weight for t in tasks), Decimal(0))
    if not tasks or total_weight <= 0:
        return None
    earned = sum(
        (t.weight * item_score(t, as_of=as_of, split=split).total for t in tasks), Decimal(0)
    )
    return earned, total_weight


def _rounded(raw: tuple[Decimal, Decimal] | None) -> Decimal | None:
    if raw is None:
        return None
    earned, total_weight = raw
    return round_points(RESULTS_MAX * earned / total_weight)


# --- periods --------------------------------------------------------------------------------

PeriodKind = Literal["month", "quarter", "year"]


@dataclass(frozen=True)
class Period:
    """A month (1–12), a quarter (1–4) or the whole year; an item belongs to the period of its
    deadline (the products are assigned for that period)."""

    kind: PeriodKind
    year: int
    index: int = 1

    @property
    def start(self) -> dt.date:
        if self.kind == "month":
            return dt.date(self.year, self.index, 1)
        if self.kind == "quarter":
            return dt.date(self.year, 3 * self.index - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        if self.kind == "month":
            last_month = self.index
        elif self.kind == "quarter":
            last_month = 3 * self.index
        else:
            last_month = 12
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.index:02d}/{self.year}"
        if self.kind == "quarter":
            return f"Quý {self.index}/{self.year}"
        return f"Năm {self.year}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def periods_of(year: int, kind: PeriodKind) -> list[Period]:
    count = {"month": 12, "quarter": 4, "year": 1}[kind]
    return [Period(kind, year, i) for i in range(1, count + 1)]


def period_score(
    tasks: Sequence[TaskFacts], period: Period, *, as_of: dt.date, split: Split = DEFAULT_SPLIT
) -> Decimal | None:
    """The results score of the items whose deadline falls in `period`, at the date `as_of`.

    For a monthly or quarterly evaluation at the close of the period pass `as_of=period.end`
    (or today, if earlier); later deliveries then do not count for that period.
    """
    return results_score(
        [t for t in tasks if period.contains(t.deadline)], as_of=as_of, split=split
    )


def annual_score(
    tasks: Sequence[TaskFacts], *, year: int, as_of: dt.date, split: Split = DEFAULT_SPLIT
) -> Decimal | None:
    """The year's results score: every item of the year scored once, at `as_of`.

    NĐ 335 scores monthly or quarterly and does not say, in what we could read, how the periods
    make the year (ND335-7 [NF]). We compute the whole year at the date of evaluation. This is
    exactly the mean of the period scores weighted by the items' weights in each period when the
    periods are scored at the same date (the weight sums cancel), so months and quarters give
    the same year; it credits a product delivered after its period closed (with the 25%
    progress deduction for the delay) instead of losing it; and it rounds once.
    """
    period = Period("year", year)
    return period_score(tasks, period, as_of=as_of, split=split)


# --- a leader's unit ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitStatistics:
    """Task counts of every person of a unit's subtree, and the unit's totals (ND335-3, ND90-12:
    a leader is also judged on the results of the unit they lead)."""

    per_person: dict[int, dict[str, int]]
    totals: dict[str, int]


def unit_statistics(rows: Iterable[tuple[int, TaskStatus]]) -> UnitStatistics:
    """`rows`: (person id, status) for every assigned task of the unit's subtree."""
    by_person: dict[int, list[TaskStatus]] = {}
    all_statuses: list[TaskStatus] = []
    for person_id, status in rows:
        by_person.setdefault(person_id, []).append(status)
        all_statuses.append(status)
    return UnitStatistics(
        per_person={pid: task_counts(sts) for pid, sts in by_person.items()},
        totals=task_counts(all_statuses),
    )
