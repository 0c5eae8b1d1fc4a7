"""Pages of the review cycles, for the personnel body (cơ quan tham mưu tổ chức, cán bộ).

Each view: access helper (raising PermissionDenied) → form → one service → redirect or render.
Personnel and admin roles whose subtree holds the cycle's scope (or a superuser) create, open
and edit; competent and inspector roles over it may look. htmx requests get template partials
of the same page (`reviews/cycle_detail.html#…`); every form also works as a plain POST.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kiemdiem.accounts.access import covers, role_paths, under_any
from kiemdiem.accounts.models import Role
from kiemdiem.core.jobs import job_enqueue
from kiemdiem.orgs.forms import apply_service_errors
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews import cycles, peer_groups
from kiemdiem.reviews.cycle_forms import CycleCreateForm, RatioForm, TemplateSlotForm
from kiemdiem.reviews.models import CriteriaTemplate, Cycle, Evaluation, PeerGroup
from kiemdiem.reviews.selectors import cycle_overview
from kiemdiem.reviews.suggestions import recompute_cycle

DETAIL = "reviews/cycle_detail.html"
MANAGE_ROLES = {Role.PERSONNEL, Role.ADMIN}
VIEW_ROLES = MANAGE_ROLES | {Role.COMPETENT, Role.INSPECTOR}


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _covers(user: Any, roles: set[str], org: Organization) -> bool:
    return user.is_superuser or covers(role_paths(user, roles), org)


def _manageable_orgs(user: Any) -> QuerySet[Organization]:
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(under_any(role_paths(user, MANAGE_ROLES)))


def _cycle_for_viewer(request: HttpRequest, pk: int) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("scope"), pk=pk)
    if not _covers(request.user, VIEW_ROLES, cycle.scope):
        raise PermissionDenied
    return cycle


def _cycle_for_manager(request: HttpRequest, pk: int) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("scope"), pk=pk)
    if not _covers(request.user, MANAGE_ROLES, cycle.scope):
        raise PermissionDenied
    return cycle


def _job_redirect(job: Any, cycle: Cycle) -> HttpResponse:
    back = reverse("cycle_detail", args=[cycle.pk])
    return redirect(reverse("job_detail", args=[job.pk]) + "?" + urlencode({"next": back}))


# --- list and create -----------------------------------------------------------------------


@login_required
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    qs = Cycle.objects.select_related("scope").annotate(
        evaluation_count=Count("evaluations"),
        excluded_count=Count("evaluations", filter=Q(evaluations__excluded=True)),
    )
    if not user.is_superuser:
        qs = qs.filter(under_any(role_paths(user, VIEW_ROLES), "scope__path"))
    context = {
        "cycles": list(qs.order_by("-year", "quarter", "scope__path", "name")),
        "can_create": user.is_superuser or bool(role_paths(user, MANAGE_ROLES)),
    }
    return render(request, "reviews/cycle_list.html", context)


@login_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_superuser or role_paths(request.user, MANAGE_ROLES)):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = CycleCreateForm(data, scope=_manageable_orgs(request.user))
    if form.is_valid():
        try:
            cycle = cycles.cycle_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo đợt “%(name)s”.") % {"name": cycle.name})
            return redirect("cycle_detail", pk=cycle.pk)
    return render(request, "reviews/cycle_form.html", {"form": form})


# --- the cycle page ------------------------------------------------------------------------


def _slot_rows(cycle: Cycle, errors: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One row per kind of subject: the chosen template and the ones it may change to."""
    chosen_ids = [pk for pk in cycle.templates.values() if pk]
    templates = list(
        CriteriaTemplate.objects.filter(Q(is_active=True) | Q(pk__in=chosen_ids)).order_by(
            "family", "code", "-version"
        )
    )
    by_id = {t.pk: t for t in templates}
    rows = []
    for slot, label in cycles.SLOTS.items():
        track = "party" if slot.split(".")[0] in ("collective", "party") else "state"
        rows.append(
            {
                "slot": slot,
                "label": label,
                "current": by_id.get(cycle.templates.get(slot)),
                "choices": [t for t in templates if t.track == track and t.is_active],
                "error": (errors or {}).get(slot, ""),
            }
        )
    return rows


def _detail_context(
    request: HttpRequest,
    cycle: Cycle,
    *,
    slot_errors: dict[str, str] | None = None,
    ratio_error: tuple[int, str, str] | None = None,
) -> dict[str, Any]:
    group_query = request.GET.get("nhom", "")
    overview = cycle_overview(cycle, group_query=group_query)
    for group in overview.peer_groups:
        group.ratio_value, group.ratio_error = group.ratio, ""
        if ratio_error and ratio_error[0] == group.pk:
            group.ratio_value, group.ratio_error = ratio_error[1], ratio_error[2]
    statuses = dict(Evaluation.Status.choices)
    tracks = {**dict(Evaluation.Track.choices), "collective": _("Tập thể")}
    roles = dict(Evaluation.Role.choices)
    by_role = []
    for key, n in overview.by_role.items():
        track, role = key.split(".", 1)
        by_role.append((tracks.get(track, track), roles.get(role, role), n))
    return {
        "group_query": group_query,
        "cycle": overview.cycle,
        "overview": overview,
        "by_status": [(statuses.get(s, s), n) for s, n in overview.by_status.items()],
        "by_role": by_role,
        "can_manage": _covers(request.user, MANAGE_ROLES, cycle.scope),
        "slots": _slot_rows(overview.cycle, slot_errors),
    }


@login_required
@require_GET
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for_viewer(request, pk)
    return render(request, DETAIL, _detail_context(request, cycle))


@login_required
@require_POST
def cycle_template_set(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for_manager(request, pk)
    form = TemplateSlotForm(request.POST)
    form.is_valid()
    slot = form.cleaned_data.get("slot") or ""
    template = CriteriaTemplate.objects.filter(pk=form.cleaned_data.get("template")).first()
    errors: dict[str, str] = {}
    if template is None:
        errors[slot] = _("Hãy chọn một mẫu tiêu chí.")
    else:
        try:
            cycle = cycles.cycle_set_template(
                actor=request.user, cycle=cycle, slot=slot, template=template
            )
        except ValidationError as exc:
            errors[slot] = " ".join(exc.message_dict.get("templates", exc.messages))
    if _is_htmx(request):
        context = {"cycle": cycle, "can_manage": True, "slots": _slot_rows(cycle, errors)}
        return render(request, DETAIL + "#templates", context)
    if errors:
        return render(request, DETAIL, _detail_context(request, cycle, slot_errors=errors))
    messages.success(request, _("Đã đổi mẫu tiêu chí."))
    return redirect("cycle_detail", pk=cycle.pk)


def _group_row(group_pk: int) -> PeerGroup:
    return PeerGroup.objects.annotate(
        member_count=Count("members"),
        excluded_count=Count("members", filter=Q(members__excluded=True)),
    ).get(pk=group_pk)


@login_required
@require_POST
def cycle_peer_group_ratio(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    cycle = _cycle_for_manager(request, pk)
    group = get_object_or_404(PeerGroup, pk=group_pk, cycle=cycle)
    form = RatioForm(request.POST)
    form.is_valid()
    ratio = (form.cleaned_data.get("ratio") or "").strip().replace(",", ".")
    error = ""
    try:
        peer_groups.peer_group_set_ratio(
            actor=request.user, group=group, ratio=ratio, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        error = " ".join(exc.message_dict.get("ratio", exc.messages))
    if _is_htmx(request):
        row = _group_row(group.pk)
        row.ratio_value, row.ratio_error = (ratio, error) if error else (row.ratio, "")
        context = {"cycle": cycle, "can_manage": True, "group": row}
        return render(request, DETAIL + "#peer_group_row", context)
    if error:
        context = _detail_context(request, cycle, ratio_error=(group.pk, ratio, error))
        return render(request, DETAIL, context)
    messages.success(request, _("Đã lưu tỷ lệ của nhóm “%(name)s”.") % {"name": group.name})
    return redirect("cycle_detail", pk=cycle.pk)


@login_required
@require_POST
def cycle_open_start(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for_manager(request, pk)
    job = cycles.cycle_enqueue_open(actor=request.user, cycle=cycle)
    return _job_redirect(job, cycle)


@login_required
@require_POST
def cycle_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for_manager(request, pk)
    job = job_enqueue(
        task=recompute_cycle,
        kind="cycle.recompute",
        title=_("Tính lại mức gợi ý — %(name)s") % {"name": cycle.name},
        actor=request.user,
        kwargs={"cycle_id": cycle.pk},
    )
    return _job_redirect(job, cycle)
