"""Pages of the self-review (bản tự kiểm điểm).

Each view: access helper (raising PermissionDenied) → values → one service → redirect or render.
htmx requests get template partials of the same page (`reviews/selfreview_form.html#…`); every
form also works as a plain POST, which renders or redirects to the full page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kiemdiem.accounts.models import RoleAssignment
from kiemdiem.orgs.models import Organization, Position
from kiemdiem.quantify import QuantificationReport
from kiemdiem.reviews import selfreview as sr
from kiemdiem.reviews import selfreview_access as access
from kiemdiem.reviews import selfreview_mapping as mapping
from kiemdiem.reviews.adapter import suggest
from kiemdiem.reviews.forms import (
    ReturnForm,
    SelfReviewValues,
    values_from_post,
    values_from_review,
)
from kiemdiem.reviews.models import CriteriaTemplate, Cycle, Evaluation, Grade, Level, SelfReview

FORM_TEMPLATE = "reviews/selfreview_form.html"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _evaluation_for_user(request: HttpRequest, pk: int) -> Evaluation:
    """The evaluation if the user may see its self-review (author, or a scope over it)."""
    evaluation = get_object_or_404(
        Evaluation.objects.select_related(
            "cycle", "template", "person", "organization", "organization__leads", "leads"
        ),
        pk=pk,
    )
    if not access.can_view(request.user, evaluation):
        raise PermissionDenied
    return evaluation


def _evaluation_for_author(request: HttpRequest, pk: int) -> Evaluation:
    evaluation = _evaluation_for_user(request, pk)
    if not access.can_edit(request.user, evaluation):
        raise PermissionDenied
    return evaluation


# --- the list ------------------------------------------------------------------------------


def _head_org_ids(user: Any) -> list[int]:
    person_id = getattr(getattr(user, "person", None), "pk", None)
    ids = set(
        RoleAssignment.objects.filter(user=user, role__in=access.HEAD_ROLES).values_list(
            "organization_id", flat=True
        )
    )
    if person_id is not None:
        ids |= set(
            Position.objects.filter(
                person_id=person_id, is_head=True, end_date__isnull=True
            ).values_list("organization_id", flat=True)
        )
    # A leadership collective's report is drafted by the head of the organization it leads.
    ids |= set(Organization.objects.filter(leads_id__in=ids).values_list("id", flat=True))
    return sorted(ids)


@login_required
@require_GET
def selfreview_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    base = Evaluation.objects.filter(cycle__status=Cycle.Status.OPEN).select_related(
        "cycle", "template", "person", "organization", "self_review"
    )
    mine = list(
        base.filter(
            Q(person__user=user)
            | Q(subject=Evaluation.Subject.COLLECTIVE, organization_id__in=_head_org_ids(user))
        ).order_by("-cycle__year", "subject", "track", "id")
    )
    to_review: list[Evaluation] = []
    if access.scope_q(user) != Q(pk__in=[]):
        to_review = list(
            base.filter(access.scope_q(user), status__in=[Evaluation.Status.SUBMITTED])
            .exclude(pk__in=[e.pk for e in mine])
            .order_by("organization__path", "person__sort_key", "id")[:200]
        )
    return render(request, "reviews/selfreview_list.html", {"mine": mine, "to_review": to_review})


# --- the form page -------------------------------------------------------------------------


@dataclass
class CriterionRow:
    code: str
    label: str
    hint: str
    max_points: Decimal | None
    grades: list[tuple[str, str]]
    value: str
    error: str = ""

    @property
    def dom_id(self) -> str:
        return "c-" + "".join(ch if ch.isalnum() else "_" for ch in self.code)


@dataclass
class GroupRow:
    code: str
    label: str
    max_points: Decimal | None
    total: Decimal | None
    from_ledger: bool
    criteria: list[CriterionRow] = field(default_factory=list)
    error: str = ""


@dataclass
class Segment:
    text: str
    kind: str = ""
    message: str = ""


@dataclass
class SectionRow:
    code: str
    label: str
    hint: str
    required: bool
    value: str
    quantified: bool
    report: QuantificationReport | None = None
    segments: list[Segment] = field(default_factory=list)
    error: str = ""


def segments_of(text: str, report: QuantificationReport) -> list[Segment]:
    """The text cut at its findings: vague phrases and concrete products marked with the
    checker's explanation (spans index the typed string)."""
    out: list[Segment] = []
    at = 0
    for f in sorted(report.findings, key=lambda f: f.span):
        start, end = f.span
        if start < at:
            continue
        if start > at:
            out.append(Segment(text[at:start]))
        kind = "vague" if f.kind == "vague" and not f.supported else f.kind
        out.append(Segment(text[start:end], kind, f.message_vi))
        at = end
    if at < len(text):
        out.append(Segment(text[at:]))
    return out


def form_code_title(evaluation: Evaluation, template: CriteriaTemplate | None) -> str:
    if template is None:
        return _("Bản tự kiểm điểm")
    return f"{template.form_code} — {template.name}"


def _page_context(
    request: HttpRequest,
    evaluation: Evaluation,
    *,
    values: SelfReviewValues | None = None,
    errors: dict[str, list[str]] | None = None,
    return_form: ReturnForm | None = None,
) -> dict[str, Any]:
    review = SelfReview.objects.filter(evaluation=evaluation).first()
    template = sr.template_for(evaluation)
    if values is None:
        values = values_from_review(
            review,
            shortcomings_previous=evaluation.shortcomings_previous,
            shortcomings_remedied=evaluation.shortcomings_remedied,
        )
    ledger = sr.ledger_figures(evaluation)
    mapped = sr.map_review(
        evaluation,
        template,
        criteria=values.criteria,
        shortcomings_previous=values.shortcomings_previous,
        shortcomings_remedied=values.shortcomings_remedied,
        ledger=ledger,
    )
    suggestion = suggest(evaluation, mapped.facts)
    report = sr.quantification_of(template, values.sections)
    definition = template.definition if template else {}
    points = sr.is_points(template, evaluation)
    field_errors = {k: v[0] for k, v in (errors or {}).items() if v}
    grade_choices = [(g.value, g.label) for g in reversed(mapping.GRADE_ORDER)]
    groups = []
    for group in definition.get("groups", []):
        row = GroupRow(
            code=group["code"],
            label=group.get("label", group["code"]),
            max_points=Decimal(str(group["max_points"])) if group.get("max_points") else None,
            total=mapped.group_totals.get(group["code"]),
            from_ledger=group["code"] in mapped.ledger_groups,
            error=field_errors.get(f"g-{group['code']}")
            or mapped.errors.get(f"g-{group['code']}", ""),
        )
        for c in group.get("criteria", []):
            name = f"c-{c['code']}"
            labels = dict(grade_choices)
            row.criteria.append(
                CriterionRow(
                    code=c["code"],
                    label=c.get("label", c["code"]),
                    hint=c.get("hint", ""),
                    max_points=Decimal(str(c["max_points"]))
                    if c.get("max_points") is not None
                    else None,
                    grades=[(g, labels.get(g, g)) for g in c.get("grades") or labels],
                    value=values.criteria.get(c["code"], ""),
                    error=field_errors.get(name) or mapped.errors.get(name, ""),
                )
            )
        groups.append(row)
    quantified = set(mapping.quantified_sections(definition))
    sections = []
    for s in mapping.template_sections(definition):
        text = values.sections.get(s["code"], "")
        section_report = report.sections.get(s["code"])
        sections.append(
            SectionRow(
                code=s["code"],
                label=s.get("label", s["code"]),
                hint=s.get("hint", ""),
                required=mapping.section_required(s),
                value=text,
                quantified=s["code"] in quantified,
                report=section_report,
                segments=segments_of(text, section_report) if section_report and text else [],
                error=field_errors.get(f"s-{s['code']}", ""),
            )
        )
    status = review.status if review else SelfReview.Status.DRAFT
    can_edit = access.can_edit(request.user, evaluation)
    editable = can_edit and status in sr.EDITABLE and evaluation.cycle.status == Cycle.Status.OPEN
    unit = sr.leader_unit(evaluation)
    unit_ledger = None
    if unit is not None:
        from kiemdiem.ledger.selectors import unit_ledger as load_unit_ledger

        unit_ledger = load_unit_ledger(unit, year=evaluation.cycle.year, with_products=False)
    can_return = status == SelfReview.Status.SUBMITTED and access.can_return(
        request.user, evaluation
    )
    return {
        "evaluation": evaluation,
        "cycle": evaluation.cycle,
        "template": template,
        "title": form_code_title(evaluation, template),
        "review": review,
        "status": status,
        "status_label": SelfReview.Status(status).label,
        "values": values,
        "version": values.version
        if values.version is not None
        else (review.version if review else 0),
        "points": points,
        "groups": groups,
        "sections": sections,
        "mapped": mapped,
        "ledger": ledger,
        "suggestion": suggestion,
        "suggested_label": Level(suggestion.level).label if suggestion.level else "",
        "report": report,
        "levels": [(lv.value, lv.label) for lv in sr.PROPOSABLE_LEVELS],
        "grades": grade_choices,
        "general_label": Grade(mapped.facts["general"]).label
        if mapped.facts.get("general")
        else "",
        "results_grade_label": Grade(mapped.facts["results_grade"]).label
        if mapped.facts.get("results_grade")
        else "",
        "errors": field_errors,
        "non_field_errors": (errors or {}).get("__all__", []),
        "can_edit": can_edit,
        "editable": editable,
        "can_return": can_return,
        "return_form": return_form or (ReturnForm() if can_return else None),
        "unit": unit,
        "unit_ledger": unit_ledger,
        "own_ledger": evaluation.person is not None
        and evaluation.person.user_id == request.user.pk,
        "is_leader": evaluation.role == Evaluation.Role.LEADER,
    }


@login_required
@require_GET
def selfreview_form(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_for_user(request, pk)
    return render(request, FORM_TEMPLATE, _page_context(request, evaluation))


def _validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"__all__": list(exc.messages)}


def _save(request: HttpRequest, evaluation: Evaluation, values: SelfReviewValues) -> sr.SaveOutcome:
    return sr.self_review_save(
        actor=request.user,
        evaluation=evaluation,
        expected_version=values.version if values.version is not None else -1,
        **values.service_kwargs(),
    )


@login_required
@require_POST
def selfreview_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave (htmx: the status line and the new version) or the plain "Lưu" button."""
    evaluation = _evaluation_for_author(request, pk)
    values = values_from_post(request.POST, sr.template_for(evaluation))
    try:
        outcome = _save(request, evaluation, values)
    except ValidationError as exc:
        errors = _validation_messages(exc)
        if _is_htmx(request):
            response = render(
                request,
                f"{FORM_TEMPLATE}#save-status",
                {"save_error": " ".join(errors.get("__all__", [])), "version": values.version},
                status=409,
            )
            response["X-Selfreview"] = "conflict"
            return response
        return render(
            request,
            FORM_TEMPLATE,
            _page_context(request, evaluation, values=values, errors=errors),
            status=409,
        )
    if _is_htmx(request):
        response = render(
            request,
            f"{FORM_TEMPLATE}#save-status",
            {
                "saved_at": timezone.localtime(),
                "version": outcome.review.version,
                "oob_version": True,
                "save_warnings": bool(outcome.mapped.errors),
            },
        )
        response["X-Selfreview"] = "saved"
        response["X-Selfreview-Version"] = str(outcome.review.version)
        return response
    messages.success(request, _("Đã lưu bản tự kiểm điểm."))
    return redirect("selfreview_form", pk=evaluation.pk)


@login_required
@require_POST
def selfreview_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The engine's suggestion and the quantification for the typed values; saves nothing."""
    evaluation = _evaluation_for_author(request, pk)
    values = values_from_post(request.POST, sr.template_for(evaluation))
    context = _page_context(request, evaluation, values=values)
    if _is_htmx(request):
        response = render(request, f"{FORM_TEMPLATE}#preview", {**context, "oob": True})
        response["X-Selfreview"] = "preview"
        return response
    return render(request, FORM_TEMPLATE, context)


@login_required
@require_POST
def selfreview_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save what the form carries (nothing typed is lost), then submit the stored review."""
    evaluation = _evaluation_for_author(request, pk)
    values = values_from_post(request.POST, sr.template_for(evaluation))
    try:
        if values.version is not None:
            outcome = _save(request, evaluation, values)
            values.version = outcome.review.version
        sr.self_review_submit(actor=request.user, evaluation=evaluation)
    except ValidationError as exc:
        evaluation.refresh_from_db()
        return render(
            request,
            FORM_TEMPLATE,
            _page_context(request, evaluation, values=values, errors=_validation_messages(exc)),
            status=400,
        )
    messages.success(request, _("Đã nộp bản tự kiểm điểm."))
    return redirect("selfreview_form", pk=evaluation.pk)


@login_required
@require_POST
def selfreview_return(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_for_user(request, pk)
    if not access.can_return(request.user, evaluation):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    form.is_valid()
    try:
        sr.self_review_return(
            actor=request.user, evaluation=evaluation, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        errors = _validation_messages(exc)
        for name, msgs in errors.items():
            for message in msgs:
                form.add_error(None if name == "__all__" else name, message)
        return render(
            request,
            FORM_TEMPLATE,
            _page_context(request, evaluation, return_form=form),
            status=400,
        )
    messages.success(request, _("Đã trả lại bản tự kiểm điểm kèm lý do."))
    return redirect(reverse("selfreview_form", args=[evaluation.pk]))
