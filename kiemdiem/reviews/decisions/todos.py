"""The decision workflow's "việc cần làm" (home page): meetings to hold for the collectives the
user heads, evaluations to verify (personnel body), to decide (competent level), and petitions
filed on the user's scope. A few queries each, whatever the number of evaluations."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import role_paths
from kiemdiem.accounts.models import Role
from kiemdiem.core.todos import Todo, register_todo_provider
from kiemdiem.orgs.access import headed_org_ids
from kiemdiem.orgs.models import Organization
from kiemdiem.orgs.tree import under_any
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.decisions.selectors import decidable_ids
from kiemdiem.reviews.evaluations.models import Evaluation

S = Evaluation.Status


def _waiting(
    status: str, paths: list[str], title: str, detail: str, url: str, kind: str
) -> list[Todo]:
    if not paths:
        return []
    rows = (
        Evaluation.objects.filter(status=status, cycle__status=Cycle.Status.OPEN)
        .filter(under_any(paths, "organization__path"))
        .values("cycle_id")
        .annotate(n=Count("id"), due=Min("cycle__state_deadline"))
        .order_by("cycle_id")
    )
    return [
        Todo(
            title=title,
            url=reverse(url, args=[r["cycle_id"]]),
            detail=detail % {"n": r["n"]},
            due=r["due"],
            count=r["n"],
            kind=kind,
        )
        for r in rows
    ]


def meetings_to_hold(user: Any) -> list[Todo]:
    ids = headed_org_ids(user)
    paths = list(Organization.objects.filter(pk__in=ids).values_list("path", flat=True))
    return _waiting(
        S.SUBMITTED,
        paths,
        _("Tổ chức hội nghị kiểm điểm"),
        _("%(n)s phiếu chờ hội nghị"),
        "meeting_page",
        "meeting",
    )


def evaluations_to_verify(user: Any) -> list[Todo]:
    return _waiting(
        S.REVIEWED,
        role_paths(user, {Role.PERSONNEL}),
        _("Thẩm định kết quả kiểm điểm"),
        _("%(n)s phiếu chờ thẩm định"),
        "verification_page",
        "verify",
    )


def evaluations_to_decide(user: Any) -> list[Todo]:
    if not role_paths(user, {Role.COMPETENT}):
        return []
    todos = []
    for cycle in Cycle.objects.filter(status=Cycle.Status.OPEN):
        n = len(
            decidable_ids(user, cycle)
            - set(
                Evaluation.objects.filter(cycle=cycle, status=S.DECIDED).values_list(
                    "id", flat=True
                )
            )
        )
        if n:
            todos.append(
                Todo(
                    title=_("Quyết định xếp loại"),
                    url=reverse("decision_page", args=[cycle.pk]),
                    detail=_("%(n)s phiếu chờ quyết định") % {"n": n},
                    due=cycle.state_deadline,
                    count=n,
                    kind="decide",
                )
            )
    return todos


def register() -> None:
    register_todo_provider("reviews.meetings", meetings_to_hold)
    register_todo_provider("reviews.verify", evaluations_to_verify)
    register_todo_provider("reviews.decide", evaluations_to_decide)
