"""The ledger through the API (issue 12): tasks, their results and the products that prove them.

Reads follow the ledger's rule (`ledger.access.can_view_task`): the person themself and the scope
roles over the task's unit; anyone else gets 404. Writes are the owner's, through the same
services as the person's ledger page (`ledger.services.task_register`, `ledger.results.*`),
which check the rights again; an evidence file goes through the same upload checks
(`ledger.files.file_errors`: extension, signature, ZIP and PDF checks of `core.uploads`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import is_authenticated, is_superuser
from kiemdiem.accounts.models import SCOPE_ROLES
from kiemdiem.api.body import Body, max_length
from kiemdiem.api.errors import invalid
from kiemdiem.api.http import api_view, choice_param, json_response, object_or_404, parse_id
from kiemdiem.api.pagination import paginate
from kiemdiem.ledger import results, services
from kiemdiem.ledger.models import Product, Result, Task
from kiemdiem.orgs.access import scope_q

PRODUCT_KINDS = ("document", "link", "count")


def _visible(user: Any) -> QuerySet[Task]:
    # An empty Q() ("everything", a superuser's scope) would vanish from the OR below.
    if is_superuser(user):
        return Task.objects.all()
    mine = Q(person__user=user) if is_authenticated(user) else Q(pk__in=[])
    return Task.objects.filter(mine | scope_q(user, SCOPE_ROLES, "organization__path"))


def _with_results(qs: QuerySet[Task]) -> QuerySet[Task]:
    products = Prefetch("products", queryset=Product.objects.order_by("id"))
    rows = Result.objects.order_by("completed_on", "id").prefetch_related(products)
    return qs.select_related("person", "organization").prefetch_related(
        Prefetch("results", queryset=rows)
    )


def product_json(p: Product) -> dict[str, Any]:
    return {
        "id": p.pk,
        "kind": p.kind,
        "title": p.title,
        "doc_symbol": p.doc_symbol,
        "doc_date": p.doc_date.isoformat() if p.doc_date else None,
        "doc_issuer": p.doc_issuer,
        "file_name": p.file_name,
        "url": p.url,
        "quantity": str(p.quantity) if p.quantity is not None else None,
    }


def result_json(r: Result) -> dict[str, Any]:
    return {
        "id": r.pk,
        "task": r.task_id,
        "achieved_quantity": str(r.achieved_quantity),
        "completed_on": r.completed_on.isoformat(),
        "quality": r.quality,
        "major_errors": r.major_errors,
        "delays": r.delays,
        "objective_cause": r.objective_cause,
        "note": r.note,
        "products": [product_json(p) for p in r.products.all()],
    }


def task_json(t: Task) -> dict[str, Any]:
    return {
        "id": t.pk,
        "person": {"id": t.person_id, "name": t.person.full_name},
        "organization": {"id": t.organization_id, "name": t.organization.name},
        "year": t.year,
        "title": t.title,
        "description": t.description,
        "target_quantity": str(t.target_quantity),
        "unit": t.unit,
        "assigned_on": t.assigned_on.isoformat(),
        "deadline": t.deadline.isoformat(),
        "quality_requirement": t.quality_requirement,
        "weight": str(t.weight),
        "source": t.source,
        "status": t.status,
        "status_reason": t.status_reason,
        "results": [result_json(r) for r in t.results.all()],
    }


def _task_list(request: HttpRequest) -> HttpResponse:
    qs = _with_results(_visible(request.user)).order_by("-year", "deadline", "id")
    if "year" in request.GET:
        year = parse_id(request.GET["year"], "year")
        if year > 9999:
            raise invalid({"year": _("Năm không hợp lệ.")})
        qs = qs.filter(year=year)
    if "person" in request.GET:
        qs = qs.filter(person_id=parse_id(request.GET["person"], "person"))
    status = choice_param(request, "status", Task.Status)
    if status is not None:
        qs = qs.filter(status=status)
    return json_response(paginate(request, qs, lambda rows: [task_json(t) for t in rows]))


def _task_register(request: HttpRequest) -> HttpResponse:
    body = Body(
        request,
        (
            "title",
            "target_quantity",
            "unit",
            "deadline",
            "assigned_on",
            "year",
            "description",
            "quality_requirement",
            "weight",
        ),
    )
    values = {
        "title": body.text("title", required=True, limit=max_length(Task, "title")),
        "target_quantity": body.decimal("target_quantity", required=True),
        "unit": body.text("unit", required=True, limit=max_length(Task, "unit")),
        "deadline": body.date("deadline", required=True),
        "assigned_on": body.date("assigned_on"),
        "year": body.integer("year", minimum=1900, maximum=9999),
        "description": body.text("description"),
        "quality_requirement": body.text("quality_requirement"),
        "weight": body.decimal("weight") if body.has("weight") else Decimal(1),
    }
    body.check()
    task = services.task_register(actor=request.user, **values)
    return _created_task(request, task.pk)


def _created_task(request: HttpRequest, pk: int) -> HttpResponse:
    return json_response(task_json(_with_results(Task.objects.all()).get(pk=pk)), status=201)


@api_view("GET", "POST", params=("page", "page_size", "year", "person", "status"))
def task_collection(request: HttpRequest) -> HttpResponse:
    """GET: the tasks the user may see; POST: the user registers a task of their own."""
    if request.method == "POST":
        return _task_register(request)
    return _task_list(request)


@api_view("GET")
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return json_response(task_json(object_or_404(_with_results(_visible(request.user)), pk)))


@api_view("POST")
def task_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner records a delivery against an approved task."""
    task = object_or_404(_visible(request.user), pk)
    body = Body(
        request, ("achieved_quantity", "completed_on", "quality", "major_errors", "delays", "note")
    )
    values = {
        "achieved_quantity": body.decimal("achieved_quantity", required=True),
        "completed_on": body.date("completed_on", required=True),
        "quality": body.choice("quality", Result.Quality.values) or Result.Quality.MEETS,
        "major_errors": body.integer("major_errors", maximum=999) or 0,
        "delays": body.integer("delays", maximum=999) or 0,
        "note": body.text("note"),
    }
    body.check()
    result = results.result_record(actor=request.user, task=task, **values)
    return json_response(result_json(Result.objects.get(pk=result.pk)), status=201)


def _visible_result(user: Any, pk: int) -> Result:
    return object_or_404(Result.objects.filter(task__in=_visible(user)), pk)


@api_view("POST")
def result_products(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner adds evidence: a cited document, a link or a count (a file: `files/`)."""
    result = _visible_result(request.user, pk)
    body = Body(request, ("kind", "title", "reference", "url", "quantity"))
    kind = body.choice("kind", list(PRODUCT_KINDS), required=True)
    title = body.text("title", limit=max_length(Product, "title"))
    if kind == "document":
        reference = body.text("reference", required=True)
        body.check()
        product = results.product_add_document(
            actor=request.user, result=result, reference=reference, title=title
        )
    elif kind == "link":
        url = body.text("url", required=True, limit=max_length(Product, "url"))
        body.check()
        product = results.product_add_link(actor=request.user, result=result, url=url, title=title)
    else:
        quantity = body.decimal("quantity", required=kind == "count")
        body.check()
        product = results.product_add_count(
            actor=request.user, result=result, quantity=quantity, title=title
        )
    return json_response(product_json(product), status=201)


@api_view("POST")
def result_files(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner uploads an evidence file (multipart/form-data: `file`, optional `title`)."""
    result = _visible_result(request.user, pk)
    if not request.content_type.startswith("multipart/form-data"):
        raise invalid({"file": _("Gửi tệp dạng multipart/form-data, trường “file”.")})
    title = request.POST.get("title", "")
    if "\x00" in title or len(title) > max_length(Product, "title"):
        raise invalid({"title": _("Tên sản phẩm quá dài hoặc chứa ký tự NUL.")})
    product = results.product_add_file(
        actor=request.user, result=result, upload=request.FILES.get("file"), title=title
    )
    return json_response(product_json(product), status=201)
