"""The reviews' todo providers for the home page (`kiemdiem.core.todos`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kiemdiem.core.todos import Todo, register_todo_provider
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations import access as evaluation_access
from kiemdiem.reviews.evaluations.models import Evaluation

WAITING = (Evaluation.Status.DRAFT, Evaluation.Status.RETURNED)


def self_reviews_to_write(user: Any) -> list[Todo]:
    """My self-reviews (and those of the collectives I head) still to write or to correct."""
    rows = (
        Evaluation.objects.filter(
            evaluation_access.authored_q(user),
            cycle__status=Cycle.Status.OPEN,
            status__in=WAITING,
            excluded=False,
        )
        .select_related("cycle", "person", "organization")
        .order_by("cycle__state_deadline", "id")[:20]
    )
    todos = []
    for ev in rows:
        deadline = (
            ev.cycle.party_deadline
            if ev.track == Evaluation.Track.PARTY
            else ev.cycle.state_deadline
        )
        returned = ev.status == Evaluation.Status.RETURNED
        title = _("Sửa và nộp lại bản tự kiểm điểm") if returned else _("Viết bản tự kiểm điểm")
        who = ev.person.full_name if ev.person_id else ev.organization.name
        todos.append(
            Todo(
                title=title,
                url=reverse("selfreview_form", args=[ev.pk]),
                detail=f"{who} · {ev.get_track_display()} · {ev.cycle.name}",
                due=deadline,
                kind="selfreview_returned" if returned else "selfreview",
            )
        )
    return todos


def reviews_to_handle(user: Any) -> list[Todo]:
    """Submitted self-reviews in my scope, waiting for me to read, return or assess."""
    scope = evaluation_access.visible_q(user)
    if scope == Q(pk__in=[]):  # no scope: no query
        return []
    found = (
        Evaluation.objects.filter(
            scope, cycle__status=Cycle.Status.OPEN, status=Evaluation.Status.SUBMITTED
        )
        .exclude(evaluation_access.authored_q(user))
        .aggregate(n=Count("id"), due=Min("cycle__state_deadline"))
    )
    if not found["n"]:
        return []
    return [
        Todo(
            title=_("Xem xét các bản tự kiểm điểm đã nộp"),
            url=reverse("selfreview_list") + "#cho-xem-xet",
            detail=_("%(n)s bản chờ xem xét, trả lại hoặc đánh giá") % {"n": found["n"]},
            due=found["due"],
            count=found["n"],
            kind="review_handle",
        )
    ]


def register() -> None:
    register_todo_provider("reviews.selfreview", self_reviews_to_write)
    register_todo_provider("reviews.to_handle", reviews_to_handle)
