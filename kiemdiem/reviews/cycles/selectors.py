"""Reads of the review cycles: overview counts and paged evaluation lists, in a bounded number
of queries that does not grow with the number of evaluations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from kiemdiem.core.models import AuditEvent
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.criteria.models import CriteriaTemplate
from kiemdiem.reviews.criteria.slots import SLOTS, slot_track
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.evaluations.access import authored_q
from kiemdiem.reviews.evaluations.models import Evaluation


@dataclass(frozen=True)
class CycleCounts:
    """What the cycle page's overview tab and its tab labels show."""

    cycle: Cycle
    total: int
    by_status: dict[str, int]
    by_role: dict[str, int]  # "<track or collective>.<role>" → count
    excluded_count: int
    peer_group_count: int
    outside_count: int  # dropped from their derived group (9.7)
    closed_event: AuditEvent | None  # when and why a closed cycle was closed


def cycle_counts(cycle: Cycle, *, states: bool = True) -> CycleCounts:
    """The overview's counts, in five queries (six for a closed cycle).

    The state counts read only the covering index `evaluation_cycle_counts`, the exclusions
    and "outside its group" counts their partial indexes (migration 0006): on the 100k province
    none touches the evaluation rows themselves. The other tabs need only the counts of their
    labels (`states=False`): the by-state walk over the whole cycle is skipped."""
    by_status: dict[str, int] = {}
    by_role: dict[str, int] = {}
    total = excluded_count = 0
    rows = (
        Evaluation.objects.filter(cycle=cycle)
        .order_by()
        .values("status", "track", "role", "excluded")
        .annotate(n=Count("id"))
    )
    if not states:
        rows = Evaluation.objects.none()
        excluded_count = Evaluation.objects.filter(cycle=cycle, excluded=True).count()
    for row in rows:
        n = row["n"]
        total += n
        by_status[row["status"]] = by_status.get(row["status"], 0) + n
        key = f"{row['track'] or 'collective'}.{row['role']}"
        by_role[key] = by_role.get(key, 0) + n
        if row["excluded"]:
            excluded_count += n
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
    return CycleCounts(
        cycle=fresh,
        total=total,
        by_status=dict(sorted(by_status.items())),
        by_role=dict(sorted(by_role.items())),
        excluded_count=excluded_count,
        peer_group_count=PeerGroup.objects.filter(cycle=cycle).count(),
        outside_count=_outside(cycle).count(),
        closed_event=closed,
    )


def _outside(cycle: Cycle) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(cycle=cycle).exclude(peer_group_note="")


def peer_group_page(cycle: Cycle, *, query: str = "", page: Any = 1, per_page: int = 50) -> Page:
    """One page of the cycle's peer groups (filtered by code or name), each annotated with
    `member_count` and `excluded_count`: three queries whatever the province's size.

    Only the shown groups are counted: annotating every group of a province (thousands) before
    the LIMIT would scan all of the cycle's evaluations."""
    matching = PeerGroup.objects.filter(cycle=cycle)
    if query.strip():
        term = query.strip()
        matching = matching.filter(Q(code__icontains=term) | Q(name__icontains=term))
    shown = Paginator(matching.order_by("code"), per_page).get_page(page)
    groups = list(shown.object_list)
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
    shown.object_list = groups
    return shown


def excluded_page(cycle: Cycle, *, page: Any = 1, per_page: int = 100) -> Page:
    """One page of the persons and collectives not rated this cycle, in tree and name order
    (the partial index `evaluation_cycle_excluded` finds them without a scan)."""
    rows = (
        Evaluation.objects.filter(cycle=cycle, excluded=True)
        .select_related("person", "organization")
        .order_by("organization__path", "person__sort_key", "id")
    )
    return Paginator(rows, per_page).get_page(page)


def outside_page(cycle: Cycle, *, page: Any = 1, per_page: int = 100) -> Page:
    """One page of the evaluations dropped from their derived peer group (9.7), with the note."""
    rows = _outside(cycle).select_related("person", "organization").order_by("code")
    return Paginator(rows, per_page).get_page(page)


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


def my_evaluations(user: Any) -> list[Evaluation]:
    """The user's own evaluations (and their headed collectives') in cycles not yet closed: a
    staff member sees the cycles they take part in without any role over the cycle."""
    return list(
        Evaluation.objects.filter(authored_q(user))
        .exclude(cycle__status=Cycle.Status.CLOSED)
        .select_related("cycle", "person", "organization")
        .order_by("-cycle__year", "cycle__state_deadline", "track", "id")[:50]
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
