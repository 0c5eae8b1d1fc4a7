"""The statistics of a cycle over an organization's subtree, in a fixed number of aggregate
queries (GROUP BY over the subtree by its path prefix; never one query per organization).

Counting rules (decisions.md §4): an evaluation counts at its decided level once decided or
published; an excluded one not yet decided counts as NOT_RATED; every other one as
"undecided". Annulled evaluations are left out of every figure. Rights are the caller's
(`kiemdiem.stats.views`): these functions read whatever they are handed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Substr

from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.stats.shares import LEVEL_KEYS, level_counts, quota, share

DONE = (Evaluation.Status.DECIDED, Evaluation.Status.PUBLISHED)
NOT_SUBMITTED = (Evaluation.Status.DRAFT, Evaluation.Status.RETURNED)
PROGRESS_KEYS = (
    "draft",
    "submitted",
    "returned",
    "reviewed",
    "verified",
    "decided",
    "published",
)


def _level_expr() -> Case:
    return Case(
        When(Q(status__in=DONE) & ~Q(decided_level=""), then=F("decided_level")),
        When(excluded=True, then=Value("NOT_RATED")),
        default=Value("undecided"),
        output_field=CharField(),
    )


def subtree(cycle: Cycle, org: Organization) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(cycle=cycle, organization__path__under=org.path).exclude(
        status=Evaluation.Status.ANNULLED
    )


@dataclass
class Row:
    """One line of a table: a label, a total and its counts by level."""

    key: str
    label: str
    by_level: dict[str, int]
    organization: Organization | None = None
    previous: dict[str, int] | None = None

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    @property
    def shares(self) -> dict[str, Decimal]:
        return {k: share(v, self.total) for k, v in self.by_level.items()}


@dataclass
class QuotaRow:
    name: str
    ratio: str
    excellent: int
    good: int

    @property
    def allowed(self) -> int:
        return quota(self.excellent, self.good, self.ratio)

    @property
    def within(self) -> bool:
        return self.excellent <= self.allowed


@dataclass
class Statistics:
    cycle: Cycle
    organization: Organization
    total: Row
    by_role: list[Row]
    by_track: list[Row]
    progress: dict[str, int]
    overdue: int
    children: list[Row]
    quotas: list[QuotaRow]
    previous_cycle: Cycle | None = None
    previous: dict[str, int] = field(default_factory=dict)


def _deadline_passed(cycle: Cycle, track: str, today: dt.date) -> bool:
    deadline = cycle.state_deadline if track == Evaluation.Track.STATE else cycle.party_deadline
    return today > deadline


def _main_groups(cycle: Cycle, org: Organization) -> list[dict]:
    return list(
        subtree(cycle, org)
        .annotate(lvl=_level_expr())
        .values("role", "track", "status", "lvl")
        .annotate(n=Count("id"))
        .order_by()
    )


def _rows(groups: dict[str, dict[str, int]], labels: dict[str, str]) -> list[Row]:
    return [
        Row(key, str(label), level_counts(groups.get(key, {})))
        for key, label in labels.items()
        if key in groups
    ]


def _children(cycle: Cycle, org: Organization, here_label: str) -> list[Row]:
    """One row per direct child unit (its whole subtree), plus the unit's own evaluations."""
    segment = len(org.path.rstrip(".").split(".")[-1]) + 1
    width = len(org.path) + segment
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for g in (
        subtree(cycle, org)
        .annotate(lvl=_level_expr(), prefix=Substr("organization__path", 1, width))
        .values("prefix", "lvl")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[g["prefix"]][g["lvl"]] += g["n"]
    rows = [
        Row(str(child.pk), child.name, level_counts(counts.get(child.path, {})), child)
        for child in Organization.objects.filter(parent=org).order_by("path")
    ]
    own = counts.get(org.path)
    if own:
        rows.insert(0, Row(str(org.pk), here_label, level_counts(own)))
    return rows


def _quotas(cycle: Cycle, org: Organization) -> list[QuotaRow]:
    done = Q(status__in=DONE)
    return [
        QuotaRow(g["peer_group__name"], g["peer_group__ratio"], g["excellent"], g["good"])
        for g in subtree(cycle, org)
        .filter(peer_group__isnull=False)
        .values("peer_group", "peer_group__name", "peer_group__ratio")
        .annotate(
            excellent=Count("id", filter=done & Q(decided_level="HTXSNV")),
            good=Count("id", filter=done & Q(decided_level="HTTNV")),
        )
        .order_by("peer_group__name")
    ]


def previous_cycle(cycle: Cycle) -> Cycle | None:
    return (
        Cycle.objects.filter(scope_id=cycle.scope_id, year=cycle.year - 1, quarter=cycle.quarter)
        .order_by("-pk")
        .first()
    )


def by_level(cycle: Cycle, org: Organization) -> dict[str, int]:
    """decisions.md §4's `by_level` over the subtree (the API's statistics endpoint too)."""
    rows = subtree(cycle, org).annotate(lvl=_level_expr()).values("lvl").annotate(n=Count("id"))
    return level_counts({r["lvl"]: r["n"] for r in rows.order_by()})


def statistics(
    cycle: Cycle, org: Organization, *, today: dt.date | None = None, here_label: str = ""
) -> Statistics:
    today = today or dt.date.today()
    total: dict[str, int] = defaultdict(int)
    roles: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    tracks: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    progress = dict.fromkeys(PROGRESS_KEYS, 0)
    overdue = 0
    for g in _main_groups(cycle, org):
        n = g["n"]
        total[g["lvl"]] += n
        roles[g["role"]][g["lvl"]] += n
        tracks[g["track"] or "collective"][g["lvl"]] += n
        progress[g["status"]] = progress.get(g["status"], 0) + n
        if g["status"] in NOT_SUBMITTED and _deadline_passed(cycle, g["track"], today):
            overdue += n
    track_labels = {
        Evaluation.Track.STATE.value: Evaluation.Track.STATE.label,
        Evaluation.Track.PARTY.value: Evaluation.Track.PARTY.label,
        "collective": Evaluation.Subject.COLLECTIVE.label,
    }
    previous = previous_cycle(cycle)
    return Statistics(
        cycle=cycle,
        organization=org,
        total=Row("total", org.name, level_counts(total)),
        by_role=_rows(roles, dict(Evaluation.Role.choices)),
        by_track=_rows(tracks, track_labels),
        progress=progress,
        overdue=overdue,
        children=_children(cycle, org, here_label or org.name),
        quotas=_quotas(cycle, org),
        previous_cycle=previous,
        previous=by_level(previous, org) if previous else {},
    )


__all__ = ["LEVEL_KEYS", "Row", "Statistics", "by_level", "statistics", "subtree"]
