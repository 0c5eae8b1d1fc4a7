"""The roster pages: download the template, upload → problems or summary → confirm.

Small files are checked while the user waits and imported on confirmation; large ones are
checked and imported by a background job (its page shows the progress and, on failure, the
problems). Every write goes through `roster_import` with the user as actor, which applies the
subtree rights row by row.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kiemdiem.core.jobs import job_enqueue
from kiemdiem.orgs import access
from kiemdiem.roster.export import roster_export
from kiemdiem.roster.services import RosterInvalid, roster_import
from kiemdiem.roster.tasks import roster_import_task
from kiemdiem.roster.uploads import (
    SUFFIXES,
    local_copy,
    upload_from_token,
    upload_store,
    upload_token,
)

# Above this size the check and the import run in the background (≈ 5,000 rows).
LARGE_BYTES = 512 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_records(request: HttpRequest) -> None:
    if not access.keeps_records(request.user):
        raise PermissionDenied


@login_required
def roster_upload(request: HttpRequest) -> HttpResponse:
    _require_records(request)
    context: dict[str, object] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or Path(upload.name or "").suffix.lower() not in SUFFIXES:
            context["error"] = _("Chọn một tệp .xlsx hoặc .csv theo mẫu.")
        else:
            name = upload_store(upload)
            if upload.size and upload.size > LARGE_BYTES:
                return _start_job(request, name, upload.name or name)
            context.update(_preview(request, name, upload.name or name))
    return render(request, "roster/upload.html", context)


def _preview(request: HttpRequest, name: str, original: str) -> dict[str, object]:
    try:
        with local_copy(name, original) as path:
            report = roster_import(actor=request.user, path=path, dry_run=True)
    except RosterInvalid as exc:
        default_storage.delete(name)
        return {"problems": [p.line() for p in exc.problems], "original": original}
    token = upload_token(name=name, original=original, user_id=request.user.pk)
    return {"summary": report.lines(), "token": token, "original": original}


def _start_job(request: HttpRequest, name: str, original: str) -> HttpResponse:
    job = job_enqueue(
        task=roster_import_task,
        kind="roster_import",
        title=_("Nhập danh sách từ %(name)s") % {"name": original},
        actor=request.user,
        kwargs={"name": name, "original": original, "user_id": request.user.pk},
    )
    return redirect(f"{reverse('job_detail', args=[job.pk])}?next={reverse('roster:upload')}")


@login_required
@require_POST
def roster_confirm(request: HttpRequest) -> HttpResponse:
    _require_records(request)
    upload = upload_from_token(request.POST.get("token", ""), user_id=request.user.pk)
    if upload is None:
        messages.error(request, _("Tệp đã hết hạn hoặc không hợp lệ; hãy tải lên lại."))
        return redirect("roster:upload")
    try:
        with local_copy(upload["name"], upload["original"]) as path:
            report = roster_import(actor=request.user, path=path)
    except RosterInvalid as exc:
        # The database changed since the preview: show the new problems, nothing written.
        context = {"problems": [p.line() for p in exc.problems], "original": upload["original"]}
        return render(request, "roster/upload.html", context)
    finally:
        default_storage.delete(upload["name"])
    for line in report.lines():
        messages.success(request, line)
    return redirect("roster:upload")


@login_required
@require_GET
def roster_template(request: HttpRequest) -> FileResponse:
    return _xlsx_response(None, empty=True, filename="mau-nhap-danh-sach.xlsx")


@login_required
@require_GET
def roster_download(request: HttpRequest, pk: int) -> FileResponse:
    org = access.org_for_record_keeper(request.user, pk)
    return _xlsx_response(org, empty=False, filename=f"danh-sach-{org.code}.xlsx")


def _xlsx_response(org: object, *, empty: bool, filename: str) -> FileResponse:
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 — closed by the response
    roster_export(path=Path(handle.name), organization=org, empty=empty)  # type: ignore[arg-type]
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
