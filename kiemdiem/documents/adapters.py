"""Rows → document contexts: the one place that reads the models for a document.

Evaluations are loaded in batches (`load_evaluations`) with everything their forms show — person,
organization and its parent, criteria template, self-review, current posts, party cell — and the
ledger of the batch's people in one query per table, so an export of a province costs a fixed
number of queries per batch, never per form.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from kiemdiem.documents.context import (
    CriterionRow,
    Heading,
    Person,
    ResultLine,
    Section,
    SelfReviewDoc,
    Signature,
    vn_date,
    vn_number,
)
from kiemdiem.ledger.models import Product, Result, Task
from kiemdiem.orgs.models import Position
from kiemdiem.reviews.evaluations.models import Evaluation, Grade, Level

# Criteria template code prefix → the form's template file and its title (HD 43 2.6, HD 25 3.4,
# NĐ 90 4.3, NĐ 335). Longest prefixes first.
FORMS: list[tuple[str, str, str]] = [
    ("qd366-pl1", "hd43-mau01", "Báo cáo kiểm điểm tập thể"),
    ("qd366-pl3", "hd43-mau2a", "Bản kiểm điểm cá nhân"),
    ("qd366-pl4", "hd43-mau2b", "Bản kiểm điểm cá nhân"),
    ("qd366-pl5", "hd43-mau2c", "Bản kiểm điểm cá nhân"),
    ("qd124-mau01", "hd25-mau01", "Báo cáo kiểm điểm tập thể"),
    ("qd124-mau02a", "hd25-mau02a", "Bản kiểm điểm cá nhân"),
    ("qd124-mau02b", "hd25-mau02b", "Bản kiểm điểm cá nhân"),
    ("nd90-mau01", "nd90-mau01", "Phiếu đánh giá và xếp loại chất lượng cán bộ"),
    ("nd90-mau02", "nd90-mau02", "Phiếu đánh giá và xếp loại chất lượng công chức"),
    ("nd90-mau03", "nd90-mau03", "Phiếu đánh giá và xếp loại chất lượng viên chức"),
    ("nd335", "nd335-phieu", "Phiếu đánh giá, xếp loại chất lượng công chức"),
]
PARTY_ROLES = {Evaluation.Role.PARTY_ORGANIZATION}
GRADE_LABELS = dict(Grade.choices)
LEVEL_LABELS = dict(Level.choices)


def form_for(evaluation: Evaluation) -> tuple[str, str]:
    """(template file, title) of an evaluation's self-review form."""
    code = evaluation.template.code if evaluation.template_id and evaluation.template else ""
    for prefix, form, title in FORMS:
        if code.startswith(prefix):
            return form, title
    if evaluation.subject == Evaluation.Subject.COLLECTIVE:
        return "hd43-mau01", "Báo cáo kiểm điểm tập thể"
    if evaluation.track == Evaluation.Track.PARTY:
        return "hd43-mau2b", "Bản kiểm điểm cá nhân"
    return "nd90-mau02", "Phiếu đánh giá và xếp loại chất lượng công chức"


def is_party(evaluation: Evaluation) -> bool:
    return evaluation.track == Evaluation.Track.PARTY or evaluation.role in PARTY_ROLES


def heading_for(evaluation: Evaluation, *, day: dt.date | None = None, number: str = "") -> Heading:
    org = evaluation.organization
    return Heading(
        party=is_party(evaluation),
        issuer_parent=org.parent.name if org.parent_id and org.parent else "",
        issuer=org.name,
        place=getattr(settings, "DOCUMENT_PLACE", "") or "…………",
        date=day,
        number=number,
    )


def load_evaluations(queryset: Any) -> list[Evaluation]:
    """The evaluations with what every form reads, in a bounded number of queries."""
    today = timezone.localdate()
    current = Position.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    ).select_related("organization")
    return list(
        queryset.select_related(
            "person__party__cell",
            "organization__parent",
            "template",
            "self_review",
            "cycle",
        ).prefetch_related(Prefetch("person__positions", queryset=current, to_attr="current"))
    )


def ledger_for(evaluations: Sequence[Evaluation]) -> dict[tuple[int, int], list[Task]]:
    """(person id, year) → the person's approved tasks of the year, results and products."""
    people = {e.person_id for e in evaluations if e.person_id}
    years = {e.cycle.year for e in evaluations}
    if not people:
        return {}
    results = Result.objects.order_by("completed_on", "id").prefetch_related(
        Prefetch("products", queryset=Product.objects.order_by("id"))
    )
    tasks = (
        Task.objects.filter(person_id__in=people, year__in=years)
        .filter(status=Task.Status.APPROVED)
        .order_by("deadline", "id")
        .prefetch_related(Prefetch("results", queryset=results))
    )
    ledger: dict[tuple[int, int], list[Task]] = defaultdict(list)
    for task in tasks:
        ledger[(task.person_id, task.year)].append(task)
    return ledger


def product_text(product: Product) -> str:
    if product.kind == Product.Kind.DOCUMENT:
        parts = [product.doc_kind_name, f"số {product.doc_symbol}" if product.doc_symbol else ""]
        if product.doc_date:
            parts.append(f"ngày {vn_date(product.doc_date)}")
        if product.doc_issuer:
            parts.append(f"của {product.doc_issuer}")
        text = " ".join(p for p in parts if p)
        return f"{text}: {product.summary or product.title}" if text else product.title
    if product.kind == Product.Kind.COUNT:
        return f"{product.title}: {vn_number(product.quantity)}"
    if product.kind == Product.Kind.LINK:
        return f"{product.title} ({product.url})"
    return f"{product.title} ({product.file_name})" if product.file_name else product.title


def result_lines(tasks: Iterable[Task]) -> list[ResultLine]:
    """The ledger's results with the products listed under the result they evidence."""
    lines = []
    for task in tasks:
        results = list(task.results.all())
        achieved = sum((r.achieved_quantity for r in results), Decimal(0))
        lines.append(
            ResultLine(
                task=task.title,
                target=f"{vn_number(task.target_quantity)} {task.unit}",
                achieved=f"{vn_number(achieved)} {task.unit}" if results else "Chưa có kết quả",
                deadline=task.deadline,
                completed=max((r.completed_on for r in results), default=None),
                quality=", ".join(sorted({r.get_quality_display() for r in results})),
                products=tuple(product_text(p) for r in results for p in r.products.all()),
            )
        )
    return lines


def _value(raw: Any, points: bool) -> str:
    if raw in (None, ""):
        return ""
    if not points:
        return str(GRADE_LABELS.get(str(raw), raw))
    try:
        return vn_number(Decimal(str(raw)))
    except (InvalidOperation, ValueError):
        return str(raw)


def criteria_rows(definition: dict, values: dict, points: bool) -> list[CriterionRow]:
    rows = []
    for group in definition.get("groups", []):
        criteria = group.get("criteria", [])
        subtotal = None
        if points:
            try:
                subtotal = sum(Decimal(str(values[c["code"]])) for c in criteria)
            except (KeyError, InvalidOperation, ValueError):
                subtotal = None
        rows.append(
            CriterionRow(
                code="",
                label=group.get("label", ""),
                max_points=_decimal(group.get("max_points")),
                value=vn_number(subtotal) if subtotal is not None else "",
                group=True,
            )
        )
        for c in criteria:
            rows.append(
                CriterionRow(
                    code=c.get("code", ""),
                    label=c.get("label", ""),
                    max_points=_decimal(c.get("max_points")),
                    value=_value(values.get(c.get("code")), points),
                )
            )
    return rows


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def subject_for(evaluation: Evaluation) -> Person:
    if evaluation.person_id is None:
        org = evaluation.organization
        parent = org.parent.name if org.parent_id and org.parent else ""
        return Person(org.name, (("Trực thuộc", parent),) if parent else ())
    person = evaluation.person
    lines: list[tuple[str, str]] = [("Ngày sinh", vn_date(person.date_of_birth))]
    for post in getattr(person, "current", []):
        lines.append(("Chức vụ, chức danh", f"{post.title}, {post.organization.name}"))
    party = getattr(person, "party", None)
    if evaluation.track == Evaluation.Track.PARTY and party is not None:
        lines.append(("Chi bộ", party.cell.name))
    lines.append(("Đơn vị đánh giá", evaluation.organization.name))
    return Person(person.full_name, tuple(lines))


def self_review_doc(
    evaluation: Evaluation, ledger: dict[tuple[int, int], list[Task]] | None = None
) -> SelfReviewDoc:
    form, title = form_for(evaluation)
    template = evaluation.template
    definition = template.definition if template else {}
    review = getattr(evaluation, "self_review", None)
    texts = review.sections if review else {}
    points = bool(template and template.scoring == "points")
    level = (review.proposed_level if review else "") or evaluation.self_level
    submitted = review.submitted_at if review and review.submitted_at else None
    tasks = (ledger or {}).get((evaluation.person_id or 0, evaluation.cycle.year), [])
    collective = evaluation.person_id is None
    return SelfReviewDoc(
        form=form,
        form_code=template.form_code if template else "",
        title=title,
        subtitle=f"Năm {evaluation.cycle.year}",
        heading=heading_for(evaluation, day=timezone.localdate(submitted) if submitted else None),
        subject=subject_for(evaluation),
        sections=[
            Section(s.get("label", ""), texts.get(s["code"], ""))
            for s in definition.get("sections", [])
        ],
        criteria=criteria_rows(definition, review.criteria if review else {}, points),
        total=evaluation.score if points else None,
        results=result_lines(tasks),
        self_level=str(LEVEL_LABELS.get(level, "")),
        signer=Signature(
            "T/M TẬP THỂ" if collective else "NGƯỜI TỰ KIỂM ĐIỂM",
            "" if collective else evaluation.person.full_name,
        ),
    )
