"""Pages of the ledger: my ledger, a unit's ledger, the forms that feed them, file download.

Each view: access check → form → one service → redirect (plain POST) or the refreshed
fragment (htmx). A form with errors comes back in place (htmx) or on its own page (plain
POST), so everything works without JavaScript. The services check access again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemdiem.ledger import access, selectors, services
from kiemdiem.ledger.forms import (
    AssignForm,
    CountForm,
    DocumentForm,
    FileForm,
    LinkForm,
    ReasonForm,
    RegisterForm,
    ResultForm,
    TaskUpdateForm,
    apply_service_errors,
)
from kiemdiem.ledger.models import Product, Result, Task
from kiemdiem.orgs.models import Organization, Person


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("nam") or request.POST.get("nam") or ""
    today = timezone.localdate()
    if raw.isdigit() and 2000 <= int(raw) <= today.year + 5:
        return int(raw)
    return today.year


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


def _managed_task(request: HttpRequest, pk: int) -> Task:
    task = get_object_or_404(Task.objects.select_related("person", "organization"), pk=pk)
    access.require_manager(request.user, task)
    return task


def _mine_url(year: int, anchor: str = "") -> str:
    return f"{reverse('ledger_mine')}?nam={year}" + (f"#{anchor}" if anchor else "")


def _dress(
    form: Any,
    *,
    form_id: str,
    action: str,
    submit: str = "",
    multipart: bool = False,
    back: str = "",
    preview: str = "",
) -> Any:
    """What the shared form partial needs to draw `form` (id, target, button, back link)."""
    form.form_id = form_id
    form.action = action
    form.submit = submit or _("Lưu")
    form.multipart = multipart
    form.back = back
    if preview and "reference" in form.fields:
        form.fields["reference"].widget.attrs.update(
            {
                "hx-post": preview,
                "hx-trigger": "input changed delay:400ms",
                "hx-target": f"#{form_id}-preview",
                "hx-swap": "innerHTML",
            }
        )
    return form


def _product_forms(result: Result, data: Any = None, files: Any = None) -> dict[str, Any]:
    rid = result.pk
    return {
        "doc": _dress(
            DocumentForm(data, auto_id=f"r{rid}-doc-%s"),
            form_id=f"doc-form-{rid}",
            action=reverse("ledger_document_add", args=[rid]),
            submit=_("Thêm văn bản"),
            preview=reverse("ledger_document_preview", args=[rid]),
        ),
        "file": _dress(
            FileForm(data, files, auto_id=f"r{rid}-file-%s"),
            form_id=f"file-form-{rid}",
            action=reverse("ledger_file_add", args=[rid]),
            submit=_("Tải lên"),
            multipart=True,
        ),
        "link": _dress(
            LinkForm(data, auto_id=f"r{rid}-link-%s"),
            form_id=f"link-form-{rid}",
            action=reverse("ledger_link_add", args=[rid]),
            submit=_("Thêm đường dẫn"),
        ),
        "count": _dress(
            CountForm(data, auto_id=f"r{rid}-count-%s"),
            form_id=f"count-form-{rid}",
            action=reverse("ledger_count_add", args=[rid]),
            submit=_("Thêm"),
        ),
    }


def _result_form(task: Task, data: Any = None) -> ResultForm:
    return _dress(
        ResultForm(data, auto_id=f"t{task.pk}-%s"),
        form_id=f"result-form-{task.pk}",
        action=reverse("ledger_result_record", args=[task.pk]),
        submit=_("Ghi kết quả"),
    )


def _register_form(year: int, data: Any = None) -> RegisterForm:
    return _dress(
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
    year = _year(request)
    return render(request, "ledger/mine.html", _mine_context(request, person, year))


def _form_action(
    request: HttpRequest,
    form: Any,
    run: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    subject: Any,
    form_id: str,
    back: str,
    done: str,
    on_htmx_success: Callable[[], HttpResponse],
    multipart: bool = False,
    submit: str = "",
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if _is_htmx(request) and not _from_own_page(request):
                return on_htmx_success()
            messages.success(request, done)
            if _is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = back
                return response
            return redirect(back)
    if not hasattr(form, "form_id"):
        _dress(form, form_id=form_id, action=request.path, submit=submit, multipart=multipart)
    form.back = "" if _is_htmx(request) else back
    context = {"form": form, "title": title, "subject": subject}
    if _is_htmx(request):
        return render(request, "ledger/form.html#form", context)
    return render(request, "ledger/form.html", context)


def _from_own_page(request: HttpRequest) -> bool:
    """An htmx post from the form's own page (not from a ledger page that embeds the form):
    there is no ledger to refresh, so the browser goes back to it."""
    return urlsplit(request.headers.get("HX-Current-URL", "")).path == request.path


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
def task_register(request: HttpRequest) -> HttpResponse:
    person = _my_person(request)
    year = _year(request)
    form = _register_form(year, _data(request))
    return _form_action(
        request,
        form,
        lambda data: services.task_register(actor=request.user, **data),
        title=_("Đăng ký nhiệm vụ"),
        subject=person,
        form_id="register-form",
        back=_mine_url(year),
        done=_("Đã đăng ký nhiệm vụ, chờ duyệt."),
        on_htmx_success=lambda: _mine_body(request, person, year),
        submit=_("Đăng ký"),
    )


@login_required
def result_record(request: HttpRequest, pk: int) -> HttpResponse:
    task = _own_task(request, pk)
    form = _result_form(task, _data(request))
    return _form_action(
        request,
        form,
        lambda data: services.result_record(actor=request.user, task=task, **data),
        title=_("Ghi kết quả"),
        subject=task,
        form_id=f"result-form-{pk}",
        back=_mine_url(task.year, f"task-{pk}"),
        done=_("Đã ghi kết quả."),
        on_htmx_success=lambda: _mine_body(request, task.person, task.year),
    )


def _product_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    result = _own_result(request, pk)
    task = result.task
    data, files = _data(request), request.FILES if request.method == "POST" else None
    titles = {
        "doc": _("Thêm văn bản"),
        "file": _("Tải tệp lên"),
        "link": _("Thêm đường dẫn"),
        "count": _("Thêm sản phẩm đếm được"),
    }
    form, title = _product_forms(result, data, files)[kind], titles[kind]

    def run(cleaned: dict[str, Any]) -> Product:
        if kind == "doc":
            return services.product_add_document(actor=request.user, result=result, **cleaned)
        if kind == "file":
            return services.product_add_file(
                actor=request.user, result=result, upload=cleaned["file"], title=cleaned["title"]
            )
        if kind == "link":
            return services.product_add_link(actor=request.user, result=result, **cleaned)
        return services.product_add_count(actor=request.user, result=result, **cleaned)

    return _form_action(
        request,
        form,
        run,
        title=title,
        subject=task,
        form_id=f"{kind}-form-{pk}",
        back=_mine_url(task.year, f"task-{task.pk}"),
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
    ref, errors = services.document_reference_check(text) if text.strip() else (None, [])
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


# --- a unit's ledger (managers) -------------------------------------------------------------


def _unit_for_viewer(request: HttpRequest, pk: int) -> Organization:
    org = get_object_or_404(Organization, pk=pk)
    if not access.views_org(request.user, org):
        raise PermissionDenied
    return org


def _unit_url(org_pk: int, year: int, anchor: str = "") -> str:
    url = f"{reverse('ledger_unit', args=[org_pk])}?nam={year}"
    return url + (f"#{anchor}" if anchor else "")


def _refresh() -> HttpResponse:
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


@login_required
def unit_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    org = _unit_for_viewer(request, pk)
    year = _year(request)
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
    year = _year(request)
    people = _people_qs(
        [p for p in selectors.unit_people(org) if not access.is_owner(request.user, p)]
    )
    form = AssignForm(_data(request), auto_id="assign-%s", people=people)
    return _form_action(
        request,
        form,
        lambda data: services.task_assign(actor=request.user, **data),
        title=_("Giao nhiệm vụ"),
        subject=org,
        form_id="assign-form",
        back=_unit_url(org.pk, year),
        done=_("Đã giao nhiệm vụ."),
        on_htmx_success=_refresh,
        submit=_("Giao"),
    )


def _back_for(request: HttpRequest, task: Task) -> str:
    unit = request.POST.get("don_vi") or request.GET.get("don_vi") or ""
    if unit.isdigit():
        return _unit_url(int(unit), task.year, f"task-{task.pk}")
    return _unit_url(task.organization_id, task.year, f"task-{task.pk}")


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
    if _is_htmx(request):
        return _refresh()
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
    form = ReasonForm(_data(request), auto_id=f"{kind}-{task.pk}-%s")
    return _form_action(
        request,
        form,
        lambda data: run(data["reason"]),
        title=title,
        subject=task,
        form_id=f"{kind}-form-{task.pk}",
        back=back or _back_for(request, task),
        done=_("Đã lưu."),
        on_htmx_success=_refresh,
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
        else _mine_url(task.year, f"task-{task.pk}"),
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
        lambda reason: services.result_confirm_objective_cause(
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
    back = _mine_url(task.year, f"task-{pk}") if owner else _back_for(request, task)

    def run(data: dict[str, Any]) -> Task:
        version = data.pop("version")
        return services.task_update(
            actor=request.user, task=task, expected_updated_at=version, **data
        )

    return _form_action(
        request,
        form,
        run,
        title=_("Sửa nhiệm vụ"),
        subject=task,
        form_id=f"edit-form-{pk}",
        back=back,
        done=_("Đã lưu nhiệm vụ."),
        on_htmx_success=_refresh,
    )
