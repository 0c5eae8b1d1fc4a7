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
from typing import Any

from django.db.models import Case, CharField, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Substr

from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.stats import compliance
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


def level_expr() -> Case:
    """The level an evaluation counts at (decisions.md §4)."""
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
    compliance: list[compliance.Check] = field(default_factory=list)


def _deadline_passed(cycle: Cycle, track: str, today: dt.date) -> bool:
    deadline = cycle.state_deadline if track == Evaluation.Track.STATE else cycle.party_deadline
    return today > deadline


def _rows(groups: dict[str, dict[str, int]], labels: dict[str, str]) -> list[Row]:
    return [
        Row(key, str(label), level_counts(groups.get(key, {})))
        for key, label in labels.items()
        if key in groups
    ]


def _counter() -> defaultdict[str, defaultdict[str, int]]:
    return defaultdict(lambda: defaultdict(int))


@dataclass
class Scan:
    """The one aggregate query's groups, summed up per table."""

    total: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    roles: defaultdict[str, defaultdict[str, int]] = field(default_factory=_counter)
    tracks: defaultdict[str, defaultdict[str, int]] = field(default_factory=_counter)
    prefixes: defaultdict[str, defaultdict[str, int]] = field(default_factory=_counter)
    groups: defaultdict[int, defaultdict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    progress: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PROGRESS_KEYS, 0))
    overdue: int = 0

    def add(self, g: dict[str, Any], cycle: Cycle, today: dt.date) -> None:
        """One group: `prefix`, `role`, `track`, `status`, `lvl`, `n` (and `pg`, when the
        group's peer group counts for the quota)."""
        n, lvl = g["n"], g["lvl"]
        self.total[lvl] += n
        self.roles[g["role"]][lvl] += n
        self.tracks[g["track"] or "collective"][lvl] += n
        self.prefixes[g["prefix"]][lvl] += n
        self.progress[g["status"]] = self.progress.get(g["status"], 0) + n
        if g.get("pg") is not None:
            self.groups[g["pg"]][lvl] += n
        if g["status"] in NOT_SUBMITTED and _deadline_passed(cycle, g["track"], today):
            self.overdue += n


def prefix_length(org: Organization) -> int:
    """The length of a child unit's path below `org` (paths are fixed-width segments)."""
    return len(org.path) + len(org.path.rstrip(".").split(".")[-1]) + 1


def _scan(cycle: Cycle, org: Organization, today: dt.date) -> Scan:
    """Every table from one GROUP BY over the subtree: by role, track, status, level, the path
    prefix one level below `org` (the child unit) and, for decided HTXSNV/HTTNV only, the peer
    group (so the groups multiply only where the quota needs them)."""
    rows = (
        subtree(cycle, org)
        .annotate(
            lvl=level_expr(),
            prefix=Substr("organization__path", 1, prefix_length(org)),
            pg=quota_group_expr(),
        )
        .values("prefix", "role", "track", "status", "lvl", "pg")
        .annotate(n=Count("id"))
        .order_by()
    )
    scan = Scan()
    for g in rows:
        scan.add(g, cycle, today)
    return scan


def quota_group_expr() -> Case:
    """The peer group of a decided HTXSNV or HTTNV (the quota's figures), else NULL."""
    good = Q(status__in=DONE, decided_level__in=["HTXSNV", "HTTNV"])
    return Case(When(good, then=F("peer_group_id")), default=None, output_field=IntegerField())


def _children(org: Organization, scan: Scan, here_label: str) -> list[Row]:
    """One row per direct child unit (its whole subtree), plus the unit's own evaluations."""
    counts = scan.prefixes
    rows = [
        Row(str(child.pk), child.name, level_counts(counts.get(child.path, {})), child)
        for child in Organization.objects.filter(parent=org).order_by("path")
    ]
    own = counts.get(org.path)
    if own:
        rows.insert(0, Row(str(org.pk), here_label, level_counts(own)))
    return rows


def _quotas(cycle: Cycle, scan: Scan) -> list[QuotaRow]:
    """The peer groups with a decided HTXSNV or HTTNV in the subtree (the cycle's groups read
    by cycle, not by a list of thousands of ids, and only the three columns shown, as tuples)."""
    columns = ("pk", "name", "ratio")
    groups = [
        g
        for g in PeerGroup.objects.filter(cycle=cycle).order_by("name", "pk").values_list(*columns)
        if g[0] in scan.groups
    ]
    missing = set(scan.groups) - {g[0] for g in groups}
    if missing:  # an evaluation in another cycle's group: never expected, still counted
        others = PeerGroup.objects.filter(pk__in=missing).values_list(*columns)
        groups = sorted([*groups, *others], key=lambda g: (g[1], g[0]))
    return [
        QuotaRow(name, ratio, scan.groups[pk].get("HTXSNV", 0), scan.groups[pk].get("HTTNV", 0))
        for pk, name, ratio in groups
    ]


def previous_cycle(cycle: Cycle) -> Cycle | None:
    return (
        Cycle.objects.filter(scope_id=cycle.scope_id, year=cycle.year - 1, quarter=cycle.quarter)
        .order_by("-pk")
        .first()
    )


def by_level(cycle: Cycle, org: Organization) -> dict[str, int]:
    """decisions.md §4's `by_level` over the subtree (the API's statistics endpoint too)."""
    rows = subtree(cycle, org).annotate(lvl=level_expr()).values("lvl").annotate(n=Count("id"))
    return level_counts({r["lvl"]: r["n"] for r in rows.order_by()})


def statistics(
    cycle: Cycle, org: Organization, *, today: dt.date | None = None, here_label: str = ""
) -> Statistics:
    """The figures counted directly over the evaluations (the summary's cross-check; the page
    reads `kiemdiem.stats.summary.statistics`)."""
    previous = previous_cycle(cycle)
    return assemble(
        cycle,
        org,
        _scan(cycle, org, today or dt.date.today()),
        previous=previous,
        previous_levels=by_level(previous, org) if previous else {},
        checks=compliance.checks(subtree(cycle, org)),
        here_label=here_label,
    )


def assemble(
    cycle: Cycle,
    org: Organization,
    scan: Scan,
    *,
    previous: Cycle | None,
    previous_levels: dict[str, int],
    checks: list[compliance.Check],
    here_label: str = "",
) -> Statistics:
    track_labels = {
        Evaluation.Track.STATE.value: Evaluation.Track.STATE.label,
        Evaluation.Track.PARTY.value: Evaluation.Track.PARTY.label,
        "collective": Evaluation.Subject.COLLECTIVE.label,
    }
    return Statistics(
        cycle=cycle,
        organization=org,
        total=Row("total", org.name, level_counts(scan.total)),
        by_role=_rows(scan.roles, dict(Evaluation.Role.choices)),
        by_track=_rows(scan.tracks, track_labels),
        progress=scan.progress,
        overdue=scan.overdue,
        children=_children(org, scan, here_label or org.name),
        quotas=_quotas(cycle, scan),
        previous_cycle=previous,
        previous=previous_levels,
        compliance=checks,
    )


PEOPLE_LIMIT = 500


def own_evaluations(cycle: Cycle, org: Organization) -> list[Evaluation]:
    """The unit's own evaluations (not its sub-units'), the last step of the drill-down: the
    collective first, then the people by name (one query, at most PEOPLE_LIMIT rows)."""
    rows = (
        Evaluation.objects.filter(cycle=cycle, organization=org)
        .exclude(status=Evaluation.Status.ANNULLED)
        .select_related("person")
        .order_by("subject", "person__full_name", "track", "pk")
    )
    return list(rows[:PEOPLE_LIMIT])


__all__ = ["LEVEL_KEYS", "Row", "Statistics", "by_level", "statistics", "subtree"]
