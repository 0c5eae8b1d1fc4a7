"""Pages of a unit's ledger, for its managers: the unit's tasks, assigning, approving,
rejecting, cancelling and editing tasks, confirming objective causes.

Each view: access check → form → one service (which checks access again) → redirect or a page
refresh (htmx), through `kiemdiem.ledger.pages.form_action`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemdiem.core.text import ascii_digits
from kiemdiem.ledger import access, results, selectors, services
from kiemdiem.ledger.forms import AssignForm, ReasonForm, TaskUpdateForm
from kiemdiem.ledger.models import Result, Task
from kiemdiem.ledger.pages import data_of, form_action, mine_url, refresh, unit_url, year_of
from kiemdiem.orgs.models import Organization, Person


def _managed_task(request: HttpRequest, pk: int) -> Task:
    task = get_object_or_404(Task.objects.select_related("person", "organization"), pk=pk)
    access.require_manager(request.user, task)
    return task


def _unit_for_viewer(request: HttpRequest, pk: int) -> Organization:
    org = get_object_or_404(Organization, pk=pk)
    if not access.views_org(request.user, org):
        raise PermissionDenied
    return org


@login_required
def unit_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    org = _unit_for_viewer(request, pk)
    year = year_of(request)
    ledger = selectors.unit_ledger(org, year=year)
    can_manage = access.manages_org(request.user, org)
    for row in ledger.rows:
        row.manageable = access.can_manage_task(request.user, row.task)  # type: ignore[attr-defined]
    people = [p for p in ledger.people if not access.is_owner(request.user, p)]
    context = {
        "ledger": ledger,
        "org": org,
        "year": year,
        "years": [year - 1, year, year + 1],
        "can_manage": can_manage,
        "assign_form": AssignForm(auto_id="assign-%s", people=_people_qs(people))
        if can_manage
        else None,
    }
    return render(request, "ledger/unit.html", context)


def _people_qs(people: list[Person]):
    return Person.objects.filter(pk__in=[p.pk for p in people]).order_by("sort_key", "id")


@login_required
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    org = _unit_for_viewer(request, pk)
    if not access.manages_org(request.user, org):
        raise PermissionDenied
    year = year_of(request)
    people = _people_qs(
        [p for p in selectors.unit_people(org) if not access.is_owner(request.user, p)]
    )
    form = AssignForm(data_of(request), auto_id="assign-%s", people=people)
    return form_action(
        request,
        form,
        lambda data: services.task_assign(actor=request.user, **data),
        title=_("Giao nhiệm vụ"),
        subject=org,
        form_id="assign-form",
        back=unit_url(org.pk, year),
        done=_("Đã giao nhiệm vụ."),
        on_htmx_success=refresh,
        submit=_("Giao"),
    )


def _back_for(request: HttpRequest, task: Task) -> str:
    unit = request.POST.get("don_vi") or request.GET.get("don_vi") or ""
    if ascii_digits(unit):
        return unit_url(int(unit), task.year, f"task-{task.pk}")
    return unit_url(task.organization_id, task.year, f"task-{task.pk}")


@login_required
@require_POST
def task_approve(request: HttpRequest, pk: int) -> HttpResponse:
    task = _managed_task(request, pk)
    try:
        services.task_approve(actor=request.user, task=task)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã duyệt nhiệm vụ."))
    if request.htmx:
        return refresh()
    return redirect(_back_for(request, task))


def _reason_action(
    request: HttpRequest,
    task: Task,
    run: Callable[[str], Any],
    *,
    title: str,
    kind: str,
    back: str = "",
) -> HttpResponse:
    form = ReasonForm(data_of(request), auto_id=f"{kind}-{task.pk}-%s")
    return form_action(
        request,
        form,
        lambda data: run(data["reason"]),
        title=title,
        subject=task,
        form_id=f"{kind}-form-{task.pk}",
        back=back or _back_for(request, task),
        done=_("Đã lưu."),
        on_htmx_success=refresh,
    )


@login_required
def task_reject(request: HttpRequest, pk: int) -> HttpResponse:
    task = _managed_task(request, pk)
    return _reason_action(
        request,
        task,
        lambda reason: services.task_reject(actor=request.user, task=task, reason=reason),
        title=_("Không duyệt nhiệm vụ"),
        kind="reject",
    )


@login_required
def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.select_related("person", "organization"), pk=pk)
    if not (
        access.can_manage_task(request.user, task)
        or (access.is_owner(request.user, task.person) and task.status == Task.Status.PROPOSED)
    ):
        raise PermissionDenied
    return _reason_action(
        request,
        task,
        lambda reason: services.task_cancel(actor=request.user, task=task, reason=reason),
        title=_("Hủy nhiệm vụ"),
        kind="cancel",
        back=""
        if access.can_manage_task(request.user, task)
        else mine_url(task.year, f"task-{task.pk}"),
    )


@login_required
def objective_cause(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_object_or_404(
        Result.objects.select_related("task__person", "task__organization"), pk=pk
    )
    access.require_manager(request.user, result.task)
    return _reason_action(
        request,
        result.task,
        lambda reason: results.result_confirm_objective_cause(
            actor=request.user, result=result, reason=reason
        ),
        title=_("Xác nhận nguyên nhân khách quan"),
        kind=f"cause-{result.pk}",
    )


@login_required
def task_update(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.select_related("person", "organization"), pk=pk)
    manager = access.can_manage_task(request.user, task)
    owner = access.is_owner(request.user, task.person)
    if not manager and not (owner and task.status in {Task.Status.PROPOSED, Task.Status.REJECTED}):
        raise PermissionDenied
    if request.method == "POST":
        form = TaskUpdateForm(request.POST, auto_id="edit-%s")
    else:
        initial = {f: getattr(task, f) for f in services.TASK_FIELDS}
        form = TaskUpdateForm(
            initial={**initial, "version": task.updated_at.isoformat()}, auto_id="edit-%s"
        )
    back = mine_url(task.year, f"task-{pk}") if owner else _back_for(request, task)

    def run(data: dict[str, Any]) -> Task:
        version = data.pop("version")
        return services.task_update(
            actor=request.user, task=task, expected_updated_at=version, **data
        )

    return form_action(
        request,
        form,
        run,
        title=_("Sửa nhiệm vụ"),
        subject=task,
        form_id=f"edit-form-{pk}",
        back=back,
        done=_("Đã lưu nhiệm vụ."),
        on_htmx_success=refresh,
    )
