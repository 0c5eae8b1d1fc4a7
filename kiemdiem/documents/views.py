"""Pages under /tai-lieu/: an evaluation's form as DOCX or PDF, and the bulk export of a
subtree (start or join, watch the progress, download while it is kept)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kiemdiem.accounts.access import is_superuser, role_paths
from kiemdiem.core.models import Job
from kiemdiem.documents import adapters, services, storage
from kiemdiem.documents.pdf import ConversionError, convert_bytes, typst_pdf, uses_libreoffice
from kiemdiem.documents.render import render_docx
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.access import evaluation_for_user
from kiemdiem.reviews.evaluations.models import Evaluation

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def form_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    evaluation_for_user(request.user, pk)  # 404 / 403 before anything is read
    [evaluation] = adapters.load_evaluations(Evaluation.objects.filter(pk=pk))
    document = adapters.self_review_doc(evaluation, adapters.ledger_for([evaluation]))
    data = render_docx(document)
    name = f"{evaluation.code}-{document.form}"
    if fmt == "pdf":
        try:
            pdf = convert_bytes(data, "form") if uses_libreoffice(document) else typst_pdf(document)
        except ConversionError as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        return _attachment(pdf, f"{name}.pdf", "application/pdf")
    return _attachment(data, f"{name}.docx", DOCX)


def _attachment(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _organizations(user) -> list[Organization]:  # type: ignore[no-untyped-def]
    """The organizations the user may export: the roots of their scope (all, for a superuser,
    the tree's roots)."""
    if is_superuser(user):
        return list(Organization.objects.filter(parent__isnull=True).order_by("name"))
    paths = role_paths(user)
    return list(Organization.objects.filter(path__in=paths).order_by("name")) if paths else []


@login_required
@require_http_methods(["GET", "POST"])
def export_start(request: HttpRequest) -> HttpResponse:
    organizations = _organizations(request.user)
    if not organizations:
        raise PermissionDenied
    cycles = list(Cycle.objects.order_by("-year", "-pk")[:50])
    # ?to_chuc=<id>: a unit inside the user's scope, offered first (links from a unit's pages).
    asked = Organization.objects.filter(pk=_int(request.GET.get("to_chuc") or 0)).first()
    if asked and asked not in organizations and services.can_export(request.user, asked):
        organizations.insert(0, asked)
    if request.method == "POST":
        cycle = get_object_or_404(Cycle, pk=_int(request.POST.get("cycle")))
        org = get_object_or_404(Organization, pk=_int(request.POST.get("organization")))
        try:
            job = services.export_start(
                actor=request.user, cycle=cycle, organization=org, fmt=request.POST.get("fmt", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect("documents_export_detail", job.pk)
    context = {"organizations": organizations, "cycles": cycles, "request": request}
    return render(request, "documents/export_start.html", context)


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise Http404 from None


def _export_job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("organization"), pk=pk)
    return services.export_for_user(request.user, job)


@login_required
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _export_job(request, pk)
    context = {
        "job": job,
        "polling": job.status in services.ACTIVE,
        "expired": job.status == Job.Status.SUCCEEDED and services.export_expired(job),
        "hours": int(storage.retention().total_seconds() // 3600),
    }
    if request.htmx:
        return render(request, "documents/export_detail.html#status", context)
    return render(request, "documents/export_detail.html", context)


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _export_job(request, pk)
    if job.status != Job.Status.SUCCEEDED or services.export_expired(job):
        raise Http404(_("Tệp xuất không còn hoặc chưa xong."))
    return FileResponse(
        storage.export_path(job.pk).open("rb"),
        as_attachment=True,
        filename=f"tai-lieu-{job.pk}.zip",
        content_type="application/zip",
    )
