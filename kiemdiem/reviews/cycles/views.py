"""Pages of the review cycles, for the personnel body (cơ quan tham mưu tổ chức, cán bộ).

Each view: access helper (raising PermissionDenied) → form → one service (which checks the
rights again) → redirect or render. Record keepers whose subtree holds the cycle's scope (or a
superuser) create, open, close and edit; the competent level and the inspection committee over
it may look (`kiemdiem.reviews.cycles.access`). htmx requests get template partials of the
same page (`reviews/cycle_detail.html#…`); every form also works as a plain POST.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kiemdiem.core.models import Job
from kiemdiem.orgs.forms import apply_service_errors
from kiemdiem.reviews.criteria.models import CriteriaTemplate
from kiemdiem.reviews.cycles import access, peer_groups, selectors, services
from kiemdiem.reviews.cycles.forms import CloseForm, CycleCreateForm, RatioForm, TemplateSlotForm
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.evaluations.models import Evaluation

DETAIL = "reviews/cycle_detail.html"


def _job_redirect(job: Job, cycle: Cycle) -> HttpResponse:
    back = reverse("cycle_detail", args=[cycle.pk])
    return redirect(reverse("job_detail", args=[job.pk]) + "?" + urlencode({"next": back}))


def _messages(exc: ValidationError, field: str) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(exc.message_dict.get(field, exc.messages))
    return " ".join(exc.messages)


# --- list and create -----------------------------------------------------------------------


@login_required
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    context = {
        "cycles": selectors.cycle_list(access.visible_q(request.user)),
        "mine": selectors.my_evaluations(request.user),
        "can_create": access.can_create(request.user),
    }
    return render(request, "reviews/cycle_list.html", context)


@login_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    if not access.can_create(request.user):
        raise PermissionDenied
    form = CycleCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo đợt “%(name)s”.") % {"name": cycle.name})
            return redirect("cycle_detail", pk=cycle.pk)
    return render(request, "reviews/cycle_form.html", {"form": form})


# --- the cycle page ------------------------------------------------------------------------


TABS = ("tong-quan", "nhom", "loai-tru", "ngoai-nhom")


def _detail_context(
    request: HttpRequest,
    cycle: Cycle,
    *,
    slot_errors: dict[str, str] | None = None,
    ratio_error: tuple[int, str, str] | None = None,
    close_error: str = "",
) -> dict[str, Any]:
    """The cycle page is split into tabs (a province has thousands of peer groups and
    exclusions): the counts every tab's label shows, then only the open tab's page of rows."""
    tab = request.GET.get("tab", "")
    if ratio_error:
        tab = "nhom"
    tab = tab if tab in TABS else "tong-quan"
    counts = selectors.cycle_counts(cycle, states=tab == "tong-quan")
    context: dict[str, Any] = {
        "tab": tab,
        "cycle": counts.cycle,
        "overview": counts,
        "can_manage": access.can_manage(request.user, cycle),
        "close_error": close_error,
        "closed_event": counts.closed_event,
    }
    page = request.GET.get("trang", 1)
    if tab == "tong-quan":
        statuses = dict(Evaluation.Status.choices)
        tracks = {**dict(Evaluation.Track.choices), "collective": _("Tập thể")}
        roles = dict(Evaluation.Role.choices)
        context["by_status"] = [(statuses.get(s, s), n) for s, n in counts.by_status.items()]
        context["by_role"] = [
            (tracks.get(key.split(".", 1)[0]), roles.get(key.split(".", 1)[1]), n)
            for key, n in counts.by_role.items()
        ]
        context["slots"] = selectors.slot_rows(counts.cycle, slot_errors)
    elif tab == "nhom":
        group_query = request.GET.get("nhom", "")
        groups = selectors.peer_group_page(cycle, query=group_query, page=page)
        for group in groups:
            group.ratio_value, group.ratio_error = group.ratio, ""
            if ratio_error and ratio_error[0] == group.pk:
                group.ratio_value, group.ratio_error = ratio_error[1], ratio_error[2]
        context.update(group_query=group_query, rows=groups)
    elif tab == "loai-tru":
        context["rows"] = selectors.excluded_page(cycle, page=page)
    else:
        context["rows"] = selectors.outside_page(cycle, page=page)
    return context


@login_required
@require_GET
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = access.cycle_for_viewer(request.user, pk)
    return render(request, DETAIL, _detail_context(request, cycle))


@login_required
@require_POST
def cycle_template_set(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = access.cycle_for_manager(request.user, pk)
    form = TemplateSlotForm(request.POST)
    valid = form.is_valid()
    slot = form.cleaned_data.get("slot") or ""
    chosen = form.cleaned_data.get("template") if valid else None
    template = CriteriaTemplate.objects.filter(pk=chosen).first() if chosen else None
    errors: dict[str, str] = {}
    if template is None:
        errors[slot] = _("Hãy chọn một mẫu tiêu chí.")
    else:
        try:
            cycle = services.cycle_set_template(
                actor=request.user, cycle=cycle, slot=slot, template=template
            )
        except ValidationError as exc:
            errors[slot] = _messages(exc, "templates")
    if request.htmx:
        context = {"cycle": cycle, "can_manage": True, "slots": selectors.slot_rows(cycle, errors)}
        return render(request, DETAIL + "#templates", context)
    if errors:
        return render(request, DETAIL, _detail_context(request, cycle, slot_errors=errors))
    messages.success(request, _("Đã đổi mẫu tiêu chí."))
    return redirect("cycle_detail", pk=cycle.pk)


@login_required
@require_POST
def cycle_peer_group_ratio(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    cycle = access.cycle_for_manager(request.user, pk)
    group = get_object_or_404(PeerGroup, pk=group_pk, cycle=cycle)
    form = RatioForm(request.POST)
    ratio, reason = "", ""
    if form.is_valid():
        ratio, reason = form.cleaned_data["ratio"], form.cleaned_data["reason"]
    error = ""
    try:
        peer_groups.peer_group_set_ratio(
            actor=request.user, group=group, ratio=ratio, reason=reason
        )
    except ValidationError as exc:
        error = _messages(exc, "ratio")
    if request.htmx:
        row = selectors.group_row(group.pk)
        row.ratio_value, row.ratio_error = (ratio, error) if error else (row.ratio, "")
        context = {"cycle": cycle, "can_manage": True, "group": row}
        return render(request, DETAIL + "#peer_group_row", context)
    if error:
        context = _detail_context(request, cycle, ratio_error=(group.pk, ratio, error))
        return render(request, DETAIL, context)
    messages.success(request, _("Đã lưu tỷ lệ của nhóm “%(name)s”.") % {"name": group.name})
    return redirect(reverse("cycle_detail", args=[cycle.pk]) + "?tab=nhom")


@login_required
@require_POST
def cycle_open_start(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = access.cycle_for_manager(request.user, pk)
    job = services.cycle_enqueue_open(actor=request.user, cycle=cycle)
    return _job_redirect(job, cycle)


@login_required
@require_POST
def cycle_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = access.cycle_for_manager(request.user, pk)
    job = services.cycle_enqueue_recompute(actor=request.user, cycle=cycle)
    return _job_redirect(job, cycle)


@login_required
@require_POST
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = access.cycle_for_manager(request.user, pk)
    form = CloseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.cycle_close(actor=request.user, cycle=cycle, reason=reason)
    except ValidationError as exc:
        context = _detail_context(request, cycle, close_error=" ".join(exc.messages))
        return render(request, DETAIL, context, status=400)
    messages.success(request, _("Đã kết thúc đợt “%(name)s”.") % {"name": cycle.name})
    return redirect("cycle_detail", pk=cycle.pk)
