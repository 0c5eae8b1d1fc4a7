"""Pages of the decision (decisions.md §3) and an evaluation's history.

The decision page lists every evaluation the competent level decides in the cycle, with the
four levels, what must be decided first and the quota meter of each peer group; one form
decides the ticked rows, one row, a whole peer group, or "every proposal the rules allow".
A refusal is shown next to the evaluation it names; nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kiemdiem.accounts.access import User
from kiemdiem.accounts.models import Role
from kiemdiem.core.models import AuditEvent
from kiemdiem.reviews.cycles.access import can_view as can_view_cycle
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.decisions import selectors, workflow
from kiemdiem.reviews.decisions.errors import DecisionItem, DecisionRefused
from kiemdiem.reviews.decisions.models import Petition
from kiemdiem.reviews.decisions.rendering import groups_html, rows_html
from kiemdiem.reviews.decisions.services import decide
from kiemdiem.reviews.evaluations.access import holds, is_author, page_evaluation, workflow_cycle
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.meetings.access import meeting_entries_for

PAGE = "reviews/decision_page.html"
#: "Accept every proposal the rules allow" drops a refused evaluation and tries again, this
#: many times at most.
ACCEPT_TRIES = 25
#: The page is read by the cycle's viewers (personnel body, inspection) and the competent
#: levels; only the competent levels decide and publish (each evaluation checked by `decide`).
DECIDERS = holds(Role.COMPETENT)


def _reads_decisions(user: User, cycle: Cycle) -> bool:
    return can_view_cycle(user, cycle) or DECIDERS(user, cycle)


def _render(
    request: HttpRequest, cycle, error: DecisionRefused | None = None, status: int = 200
) -> HttpResponse:
    page = selectors.decision_page(request.user, cycle)
    context = {
        "page": page,
        "error": error,
        "groups_html": groups_html(page.groups),
        "rows_html": rows_html(
            page.rows,
            error.details.get("evaluation") if error else None,
            error.message if error else "",
        ),
    }
    return render(request, PAGE, context, status=status)


@login_required
@require_GET
def decision_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, workflow_cycle(request.user, pk, _reads_decisions))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _items(request: HttpRequest, ids: list[int]) -> list[DecisionItem]:
    items = []
    for pk in ids:
        version = _int(request.POST.get(f"version_{pk}"))
        items.append(
            DecisionItem(
                evaluation=pk,
                level=request.POST.get(f"level_{pk}", ""),
                version=version if version is not None else -1,
                reason=request.POST.get(f"reason_{pk}", ""),
            )
        )
    return items


def _accept_items(request: HttpRequest, cycle) -> list[DecisionItem]:
    page = selectors.decision_page(request.user, cycle)
    return [
        DecisionItem(r.id, r.proposed_level, r.version, "")
        for r in page.rows
        if r.decidable and r.proposed_level and r.proposed_level == r.suggested_level
    ]


def _decide_accepting(request: HttpRequest, cycle, items: list[DecisionItem]) -> int:
    for _try in range(ACCEPT_TRIES):
        if not items:
            return 0
        try:
            return len(
                decide(actor=request.user, cycle=cycle, items=items, request=request).decided
            )
        except DecisionRefused as exc:
            bad = exc.details.get("evaluation")
            if bad is None or exc.code in {"forbidden", "invalid"}:
                raise
            items = [i for i in items if i.evaluation != bad]
    return 0


@login_required
@require_POST
def decision_submit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = workflow_cycle(request.user, pk, DECIDERS)
    try:
        if "accept" in request.POST:
            n = _decide_accepting(request, cycle, _accept_items(request, cycle))
        else:
            if request.POST.get("only"):
                ids = [_int(request.POST["only"])]
            elif request.POST.get("group"):
                group = _int(request.POST["group"])
                ids = list(
                    Evaluation.objects.filter(cycle=cycle, peer_group_id=group).values_list(
                        "id", flat=True
                    )
                )
            else:
                ids = [_int(v) for v in request.POST.getlist("evaluation")]
            items = _items(request, [i for i in ids if i is not None])
            n = len(decide(actor=request.user, cycle=cycle, items=items, request=request).decided)
    except DecisionRefused as exc:
        return _render(request, cycle, exc, status=409 if exc.code == "conflict" else 422)
    messages.success(request, _("Đã quyết định %(n)s phiếu.") % {"n": n})
    return redirect("decision_page", pk=cycle.pk)


@login_required
@require_POST
def decision_publish(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = workflow_cycle(request.user, pk, DECIDERS)
    page = selectors.decision_page(request.user, cycle)
    ids = [r.id for r in page.rows if r.status == Evaluation.Status.DECIDED]
    evs = list(Evaluation.objects.filter(pk__in=ids))
    try:
        n = workflow.publish(actor=request.user, cycle=cycle, evaluations=evs)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("decision_page", pk=cycle.pk)
    messages.success(request, _("Đã công bố %(n)s phiếu.") % {"n": n})
    return redirect("decision_page", pk=cycle.pk)


@login_required
def evaluation_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every step of one evaluation, oldest first; the subject may petition from here."""
    evaluation = page_evaluation(request.user, pk)
    error = ""
    if request.method == "POST":
        try:
            workflow.petition_file(
                actor=request.user, evaluation=evaluation, text=request.POST.get("text", "")
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Đã gửi kiến nghị."))
            return redirect("evaluation_history", pk=pk)
    events = (
        AuditEvent.objects.filter(object_type="reviews.evaluation", object_id=str(pk))
        .select_related("actor")
        .order_by("at", "id")
    )
    context = {
        "evaluation": get_object_or_404(Evaluation, pk=pk),
        "events": events,
        "entries": meeting_entries_for(request.user, evaluation),
        "verifications": evaluation.verifications.all(),
        "petitions": Petition.objects.filter(evaluation=evaluation),
        "can_petition": is_author(request.user, evaluation)
        and evaluation.status == Evaluation.Status.PUBLISHED,
        "deadline": workflow.petition_deadline(evaluation),
        "error": error,
    }
    return render(request, "reviews/evaluation_history.html", context, status=422 if error else 200)


__all__ = ["decision_page", "decision_publish", "decision_submit", "evaluation_history"]
