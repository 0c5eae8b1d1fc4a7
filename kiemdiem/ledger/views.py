"""Pages of a person's own ledger: my tasks, the results and evidence I record, file download.

Each view: access check → form → one service → redirect (plain POST) or the refreshed
fragment (htmx), through `kiemdiem.ledger.pages.form_action`. The services check access again.
A unit's ledger (managers) is `kiemdiem.ledger.unit_views`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemdiem.ledger import access, results, selectors, services
from kiemdiem.ledger.forms import (
    CountForm,
    DocumentForm,
    FileForm,
    LinkForm,
    RegisterForm,
    ResultForm,
)
from kiemdiem.ledger.models import Product, Result, Task
from kiemdiem.ledger.pages import data_of, dress, form_action, mine_url, year_of
from kiemdiem.orgs.models import Person


def _my_person(request: HttpRequest) -> Person:
    person = access.person_of(request.user)
    if person is None:
        raise PermissionDenied(_("Tài khoản chưa gắn với hồ sơ cá nhân."))
    return person


def _own_task(request: HttpRequest, pk: int) -> Task:
    task = get_object_or_404(Task.objects.select_related("person", "organization"), pk=pk)
    access.require_owner(request.user, task.person)
    return task


def _own_result(request: HttpRequest, pk: int) -> Result:
    result = get_object_or_404(
        Result.objects.select_related("task__person", "task__organization"), pk=pk
    )
    access.require_owner(request.user, result.task.person)
    return result


def _product_forms(result: Result, data: Any = None, files: Any = None) -> dict[str, Any]:
    rid = result.pk
    return {
        "doc": dress(
            DocumentForm(data, auto_id=f"r{rid}-doc-%s"),
            form_id=f"doc-form-{rid}",
            action=reverse("ledger_document_add", args=[rid]),
            submit=_("Thêm văn bản"),
            preview=reverse("ledger_document_preview", args=[rid]),
        ),
        "file": dress(
            FileForm(data, files, auto_id=f"r{rid}-file-%s"),
            form_id=f"file-form-{rid}",
            action=reverse("ledger_file_add", args=[rid]),
            submit=_("Tải lên"),
            multipart=True,
        ),
        "link": dress(
            LinkForm(data, auto_id=f"r{rid}-link-%s"),
            form_id=f"link-form-{rid}",
            action=reverse("ledger_link_add", args=[rid]),
            submit=_("Thêm đường dẫn"),
        ),
        "count": dress(
            CountForm(data, auto_id=f"r{rid}-count-%s"),
            form_id=f"count-form-{rid}",
            action=reverse("ledger_count_add", args=[rid]),
            submit=_("Thêm"),
        ),
    }


def _result_form(task: Task, data: Any = None) -> ResultForm:
    return dress(
        ResultForm(data, auto_id=f"t{task.pk}-%s"),
        form_id=f"result-form-{task.pk}",
        action=reverse("ledger_result_record", args=[task.pk]),
        submit=_("Ghi kết quả"),
    )


def _register_form(year: int, data: Any = None) -> RegisterForm:
    return dress(
        RegisterForm(data, auto_id="reg-%s"),
        form_id="register-form",
        action=f"{reverse('ledger_task_register')}?nam={year}",
        submit=_("Đăng ký"),
    )


# --- my ledger ------------------------------------------------------------------------------


def _with_forms(ledger: selectors.PersonLedger) -> selectors.PersonLedger:
    """Unbound forms for each task and result, with ids unique on the page."""
    for row in ledger.rows:
        row.result_form = _result_form(row.task)  # type: ignore[attr-defined]
        for result in row.task.results.all():
            forms = _product_forms(result)
            result.doc_form = forms["doc"]
            result.file_form = forms["file"]
            result.link_form = forms["link"]
            result.count_form = forms["count"]
    return ledger


def _mine_context(request: HttpRequest, person: Person, year: int) -> dict[str, Any]:
    return {
        "ledger": _with_forms(selectors.person_ledger(person, year=year)),
        "year": year,
        "years": [year - 1, year, year + 1],
        "register_form": _register_form(year),
        "units": selectors.managed_units(request.user),
        "today": timezone.localdate(),
    }


def _mine_body(request: HttpRequest, person: Person, year: int) -> HttpResponse:
    response = render(request, "ledger/mine.html#ledger-body", _mine_context(request, person, year))
    response["HX-Retarget"] = "#ledger-body"
    response["HX-Reswap"] = "outerHTML"
    return response


@login_required
def my_ledger(request: HttpRequest) -> HttpResponse:
    person = _my_person(request)
    year = year_of(request)
    return render(request, "ledger/mine.html", _mine_context(request, person, year))


def _moved_notice(request: HttpRequest, task: Any, year: int) -> Any:
    """A task belongs to its deadline's year: say so when that is not the page's year."""
    if task is not None and task.year != year:
        messages.warning(
            request,
            _(
                "Nhiệm vụ có thời hạn %(deadline)s nên được ghi vào sổ nhiệm vụ năm %(year)s, "
                "không nằm trong sổ năm %(page)s."
            )
            % {"deadline": task.deadline.strftime("%d/%m/%Y"), "year": task.year, "page": year},
        )
    return task


@login_required
def task_register(request: HttpRequest) -> HttpResponse:
    person = _my_person(request)
    year = year_of(request)
    form = _register_form(year, data_of(request))
    return form_action(
        request,
        form,
        lambda data: _moved_notice(
            request, services.task_register(actor=request.user, **data), year
        ),
        title=_("Đăng ký nhiệm vụ"),
        subject=person,
        form_id="register-form",
        back=mine_url(year),
        done=_("Đã đăng ký nhiệm vụ, chờ duyệt."),
        on_htmx_success=lambda: _mine_body(request, person, year),
        submit=_("Đăng ký"),
    )


@login_required
def result_record(request: HttpRequest, pk: int) -> HttpResponse:
    task = _own_task(request, pk)
    form = _result_form(task, data_of(request))
    return form_action(
        request,
        form,
        lambda data: results.result_record(actor=request.user, task=task, **data),
        title=_("Ghi kết quả"),
        subject=task,
        form_id=f"result-form-{pk}",
        back=mine_url(task.year, f"task-{pk}"),
        done=_("Đã ghi kết quả."),
        on_htmx_success=lambda: _mine_body(request, task.person, task.year),
    )


def _product_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    result = _own_result(request, pk)
    task = result.task
    data, files = data_of(request), request.FILES if request.method == "POST" else None
    titles = {
        "doc": _("Thêm văn bản"),
        "file": _("Tải tệp lên"),
        "link": _("Thêm đường dẫn"),
        "count": _("Thêm sản phẩm đếm được"),
    }
    form, title = _product_forms(result, data, files)[kind], titles[kind]

    def run(cleaned: dict[str, Any]) -> Product:
        if kind == "doc":
            return results.product_add_document(actor=request.user, result=result, **cleaned)
        if kind == "file":
            return results.product_add_file(
                actor=request.user, result=result, upload=cleaned["file"], title=cleaned["title"]
            )
        if kind == "link":
            return results.product_add_link(actor=request.user, result=result, **cleaned)
        return results.product_add_count(actor=request.user, result=result, **cleaned)

    return form_action(
        request,
        form,
        run,
        title=title,
        subject=task,
        form_id=f"{kind}-form-{pk}",
        back=mine_url(task.year, f"task-{task.pk}"),
        done=_("Đã thêm sản phẩm."),
        on_htmx_success=lambda: _mine_body(request, task.person, task.year),
        multipart=kind == "file",
        submit=_("Thêm"),
    )


@login_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _product_view(request, pk, "doc")


@login_required
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _product_view(request, pk, "file")


@login_required
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _product_view(request, pk, "link")


@login_required
def count_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _product_view(request, pk, "count")


@login_required
@require_POST
def document_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What the pasted citation parses to, or what is wrong with it (htmx, as the user types)."""
    _own_result(request, pk)
    text = request.POST.get("reference", "")
    ref, errors = results.document_reference_check(text) if text.strip() else (None, [])
    return render(
        request, "ledger/_docref.html", {"ref": ref, "errors": errors, "empty": not text.strip()}
    )


@login_required
def product_download(request: HttpRequest, pk: int) -> FileResponse:
    product = get_object_or_404(
        Product.objects.select_related("result__task__person", "result__task__organization"),
        pk=pk,
    )
    access.require_viewer(request.user, product.result.task)
    if product.kind != Product.Kind.FILE or not product.file:
        raise Http404
    try:
        handle = product.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=product.file_name or "tep",
        content_type=product.content_type or "application/octet-stream",
    )
