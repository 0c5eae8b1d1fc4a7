"""The integrity page (`/liem-chinh/`): province → unit → person, flags with their numbers and
evidence, "checked, justified" with a note, a recomputation, and the XLSX export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kiemdiem.core.text import ascii_digits
from kiemdiem.integrity import access, export, selectors, services
from kiemdiem.integrity.describe import NAMES
from kiemdiem.integrity.models import Flag
from kiemdiem.orgs.models import Organization, Person
from kiemdiem.orgs.tree import path_ids
from kiemdiem.stats.shares import vn_int


def _page_number(value: str | None) -> int:
    return int(value) if value and ascii_digits(value) and 0 < int(value) < 100000 else 1


@login_required
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    cycle, org = access.resolve(request.user, request.GET.get("cycle"), request.GET.get("org"))
    code = request.GET.get("ma", "")
    status = request.GET.get("trang-thai", "")
    if code not in NAMES:
        code = ""
    if status not in Flag.Status.values:
        status = ""
    person = None
    if ascii_digits(pid := request.GET.get("ca-nhan", "")):
        person = get_object_or_404(Person, pk=pid)
    number = _page_number(request.GET.get("trang"))
    flags, total = selectors.flag_page(
        cycle, org, code=code, status=status, person_id=person.pk if person else None, page=number
    )
    selectors.evidence_links(request.user, flags)
    pages = (total + selectors.PAGE_SIZE - 1) // selectors.PAGE_SIZE
    context = {
        "cycle": cycle,
        "org": org,
        "cycles": access.visible_cycles(request.user),
        "summary": selectors.summary(cycle, org),
        "children": [(k, vn_int(n)) for k, n in selectors.children(cycle, org)],
        "ancestors": _ancestors(request, org),
        "flags": flags,
        "total": vn_int(total),
        "code": code,
        "status": status,
        "person": person,
        "codes": [(c, str(n)) for c, n in NAMES.items()],
        "statuses": Flag.Status.choices,
        "page": number,
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if number < pages else None,
    }
    return render(request, "integrity/page.html", context)


def _ancestors(request: HttpRequest, org: Organization) -> list[Organization]:
    ids = path_ids(org.path)[:-1]
    found = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found and access.can_view(request.user, found[i])]


def _flag_for(request: HttpRequest, pk: int) -> Flag:
    flag = get_object_or_404(Flag.objects.select_related("organization", "cycle"), pk=pk)
    if not access.can_view(request.user, flag.organization):
        raise Http404
    return flag


@login_required
@require_POST
def justify(request: HttpRequest, pk: int) -> HttpResponse:
    flag = _flag_for(request, pk)
    try:
        services.justify(actor=request.user, flag=flag, note=request.POST.get("note", ""))
        messages.success(request, _("Đã ghi nhận kết quả kiểm tra."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    back = request.POST.get("next", "")
    if back.startswith(reverse("integrity_page")) and "//" not in back:
        return redirect(back)
    return redirect(f"{reverse('integrity_page')}?cycle={flag.cycle_id}&org={flag.organization_id}")


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    cycle, org = access.resolve(request.user, request.POST.get("cycle"), request.POST.get("org"))
    try:
        job = services.start(actor=request.user, cycle=cycle, organization=org)
    except PermissionDenied:
        raise Http404 from None
    messages.info(request, _("Đã xếp lịch phân tích; kết quả cập nhật khi công việc hoàn thành."))
    return redirect(f"{reverse('integrity_page')}?cycle={cycle.pk}&org={org.pk}&cong-viec={job.pk}")


@login_required
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    cycle, org = access.resolve(request.user, request.GET.get("cycle"), request.GET.get("org"))
    response = HttpResponse(
        export.workbook(cycle, org),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    code = "".join(c for c in org.code if c.isascii() and (c.isalnum() or c == "-"))
    name = f"liem-chinh-{cycle.year}-{code or org.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
