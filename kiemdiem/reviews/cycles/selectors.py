"""Reads of the review cycles: overview counts and evaluation lists, in a bounded number of
queries that does not grow with the number of evaluations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from kiemdiem.core.models import AuditEvent
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.criteria.models import CriteriaTemplate
from kiemdiem.reviews.criteria.slots import SLOTS, slot_track
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.evaluations.models import Evaluation


@dataclass(frozen=True)
class CycleOverview:
    cycle: Cycle
    total: int
    by_status: dict[str, int]
    by_role: dict[str, int]  # "<track or collective>.<role>" → count
    excluded_count: int
    excluded: list[Evaluation]  # the first `limit`, with person and organization
    peer_groups: list[PeerGroup]  # annotated with `member_count` and `excluded_count`
    peer_group_count: int  # all groups matching the filter (a province has thousands)
    outside_groups: list[Evaluation]  # dropped from their derived group (9.7), with the note
    closed_event: AuditEvent | None  # when and why a closed cycle was closed


def cycle_overview(
    cycle: Cycle, *, limit: int = 200, group_query: str = "", group_limit: int = 100
) -> CycleOverview:
    """Everything the cycle page shows, in seven queries.

    Peer groups are filtered by code or name and capped at `group_limit`: a province has
    thousands of groups, and a page with a ratio form per group would not stay usable."""
    evaluations = Evaluation.objects.filter(cycle=cycle)
    by_status: dict[str, int] = {}
    by_role: dict[str, int] = {}
    total = 0
    excluded_count = 0
    for row in (
        evaluations.order_by().values("status", "track", "role", "excluded").annotate(n=Count("id"))
    ):
        n = row["n"]
        total += n
        by_status[row["status"]] = by_status.get(row["status"], 0) + n
        key = f"{row['track'] or 'collective'}.{row['role']}"
        by_role[key] = by_role.get(key, 0) + n
        if row["excluded"]:
            excluded_count += n
    excluded = list(
        evaluations.filter(excluded=True)
        .select_related("person", "organization")
        .order_by("organization__path", "person__sort_key", "id")[:limit]
    )
    matching = PeerGroup.objects.filter(cycle=cycle)
    if group_query.strip():
        term = group_query.strip()
        matching = matching.filter(Q(code__icontains=term) | Q(name__icontains=term))
    # Count the members of the shown groups only: annotating every group of a province
    # (thousands) before the LIMIT scans all of the cycle's evaluations.
    groups = list(matching.order_by("code")[:group_limit])
    counts = {
        row["peer_group_id"]: row
        for row in Evaluation.objects.filter(peer_group_id__in=[g.pk for g in groups])
        .order_by()
        .values("peer_group_id")
        .annotate(n=Count("id"), ex=Count("id", filter=Q(excluded=True)))
    }
    for group in groups:
        row = counts.get(group.pk, {"n": 0, "ex": 0})
        group.member_count, group.excluded_count = row["n"], row["ex"]
    outside = list(
        evaluations.exclude(peer_group_note="")
        .select_related("person", "organization")
        .order_by("code")[:limit]
    )
    fresh = Cycle.objects.select_related("scope").get(pk=cycle.pk)
    closed = None
    if fresh.status == Cycle.Status.CLOSED:
        closed = (
            AuditEvent.objects.filter(
                action="cycle.status",
                object_type=Cycle._meta.label_lower,
                object_id=str(cycle.pk),
                after__status=Cycle.Status.CLOSED,
            )
            .order_by("-at", "-id")
            .first()
        )
    return CycleOverview(
        cycle=fresh,
        total=total,
        by_status=dict(sorted(by_status.items())),
        by_role=dict(sorted(by_role.items())),
        excluded_count=excluded_count,
        excluded=excluded,
        peer_groups=groups,
        peer_group_count=matching.count(),
        outside_groups=outside,
        closed_event=closed,
    )


def evaluations_in_subtree(
    cycle: Cycle,
    org: Organization,
    *,
    track: str | None = None,
    role: str | None = None,
) -> QuerySet[Evaluation]:
    """The cycle's evaluations whose unit is in `org`'s subtree: collectives first (tree order),
    then people in Vietnamese name order; with what a list row shows, in one query."""
    qs = Evaluation.objects.filter(cycle=cycle, organization__path__under=org.path)
    if track is not None:
        qs = qs.filter(track=track)
    if role is not None:
        qs = qs.filter(role=role)
    return qs.select_related("person", "organization", "peer_group", "template").order_by(
        "subject", "organization__path", "person__sort_key", "track", "id"
    )


def peer_group_members(group: PeerGroup) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(peer_group=group)
        .select_related("person", "organization")
        .order_by("organization__path", "person__sort_key", "id")
    )


def cycle_list(visible: Q) -> list[Cycle]:
    """The cycles matching `visible` (the user's scope), with their evaluation counts."""
    qs = Cycle.objects.select_related("scope").annotate(
        evaluation_count=Count("evaluations"),
        excluded_count=Count("evaluations", filter=Q(evaluations__excluded=True)),
    )
    return list(qs.filter(visible).order_by("-year", "quarter", "scope__path", "name"))


def slot_rows(cycle: Cycle, errors: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One row per kind of subject: the chosen template and the ones it may change to."""
    chosen_ids = [pk for pk in cycle.templates.values() if pk]
    templates = list(
        CriteriaTemplate.objects.filter(Q(is_active=True) | Q(pk__in=chosen_ids)).order_by(
            "family", "code", "-version"
        )
    )
    by_id = {t.pk: t for t in templates}
    return [
        {
            "slot": slot,
            "label": label,
            "current": by_id.get(cycle.templates.get(slot)),
            "choices": [t for t in templates if t.track == slot_track(slot) and t.is_active],
            "error": (errors or {}).get(slot, ""),
        }
        for slot, label in SLOTS.items()
    ]


def group_row(group_pk: int) -> PeerGroup:
    """One peer group with its member counts (the row the ratio form redraws)."""
    return PeerGroup.objects.annotate(
        member_count=Count("members"),
        excluded_count=Count("members", filter=Q(members__excluded=True)),
    ).get(pk=group_pk)
