"""Progress of a cycle: per sub-unit counts by state and overdue, and who waits for what.

Both reads are bounded: the sub-unit table is three queries whatever the number of evaluations
(the subtree's paths, the counts grouped by organization, the sub-units' names); the list of
people is one paged query, shown once the chosen unit is small enough to list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone

from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.models import Evaluation

WAITING = (Evaluation.Status.DRAFT, Evaluation.Status.RETURNED)


@dataclass
class UnitProgress:
    org: Organization | None  # None: the evaluations of the unit itself (not of a sub-unit)
    path: str
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    excluded: int = 0
    overdue: int = 0

    @property
    def waiting(self) -> int:
        return sum(self.by_status.get(s, 0) for s in WAITING)

    @property
    def submitted_share(self) -> int:
        """Percent of the rated evaluations no longer waiting for their author."""
        rated = self.total - self.excluded
        return round(100 * (rated - self.waiting) / rated) if rated else 100


def _deadline(cycle: Cycle, track: str | None) -> dt.date:
    return cycle.party_deadline if track == Evaluation.Track.PARTY else cycle.state_deadline


def unit_progress(
    cycle: Cycle, org: Organization, *, today: dt.date | None = None
) -> tuple[UnitProgress, list[UnitProgress]]:
    """The subtree's totals and one row per direct sub-unit (tree order), in three queries:
    the subtree's paths, the counts grouped by organization and state (read from the covering
    index `evaluation_cycle_progress` alone), and the sub-units' names. Each organization is
    then mapped to the direct sub-unit it lies under by its path.

    The subtree is filtered through a join on the path (not an IN list of every organization
    id, thousands of parameters for a province); grouping by organization follows the index
    order, which on SQLite is faster than grouping by a cut path (measured: 100 vs 180 ms on
    the 100k province; equal on PostgreSQL)."""
    today = today or timezone.localdate()
    width = len(org.path.rstrip(".").split(".")[-1]) + 1  # one path segment, with its dot
    prefix_len = len(org.path) + width
    paths = dict(
        Organization.objects.filter(path__under=org.path).values_list("id", "path").order_by()
    )
    rows = (
        Evaluation.objects.filter(cycle=cycle, organization__path__under=org.path)
        .order_by()
        .values("organization_id", "status", "track", "excluded")
        .annotate(n=Count("*"))  # "*", not "id": the index covers the query without the id
    )
    total = UnitProgress(org=org, path=org.path)
    by_child: dict[str, UnitProgress] = {}
    for row in rows:
        path = paths[row["organization_id"]]
        # The unit's own evaluations: its path is shorter than one segment below it.
        child = path[:prefix_len] if len(path) >= prefix_len else ""
        unit = by_child.setdefault(child, UnitProgress(org=None, path=child))
        for target in (unit, total):
            n = row["n"]
            target.total += n
            target.by_status[row["status"]] = target.by_status.get(row["status"], 0) + n
            if row["excluded"]:
                target.excluded += n
            elif row["status"] in WAITING and _deadline(cycle, row["track"]) < today:
                target.overdue += n
    children = {o.path: o for o in Organization.objects.filter(path__in=[p for p in by_child if p])}
    for path, unit in by_child.items():
        unit.org = children.get(path) if path else org
    ordered = sorted(by_child.values(), key=lambda u: (u.path != "", u.path))
    return total, ordered


def people_waiting(
    cycle: Cycle, org: Organization, *, status: str = "", only_unit: bool = False
) -> QuerySet[Evaluation]:
    """The evaluations of the subtree (or of the unit itself), filtered by state: by default
    those still waiting for their author; with what a row shows, in one query."""
    qs = Evaluation.objects.filter(cycle=cycle, excluded=False)
    qs = qs.filter(organization=org) if only_unit else qs.filter(organization__path__under=org.path)
    if status in Evaluation.Status.values:
        qs = qs.filter(status=status)
    elif status != "all":  # "all": every state
        qs = qs.filter(status__in=WAITING)
    return qs.select_related("person", "organization").order_by(
        "organization__path", "subject", "person__sort_key", "track", "id"
    )
