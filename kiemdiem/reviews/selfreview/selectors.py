"""Reads of the self-review pages: the lists, and everything the form page shows
(`selfreview_page`) — computed once per request, with every list inside the page going through
the same access helpers as the route that lists it on its own (a unit's task table is shown
only to those who may open that unit's ledger).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User
from kiemdiem.ledger import access as ledger_access
from kiemdiem.ledger.selectors import UnitLedger, unit_ledger
from kiemdiem.orgs.models import Organization
from kiemdiem.quantify import QuantificationReport, SectionsReport
from kiemdiem.quantify.evidence import EvidenceReport, check_evidence
from kiemdiem.reviews.criteria.models import CriteriaTemplate
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations import access as evaluation_access
from kiemdiem.reviews.evaluations.engine import Suggestion, suggest
from kiemdiem.reviews.evaluations.models import Evaluation, Grade, Level
from kiemdiem.reviews.selfreview import access
from kiemdiem.reviews.selfreview.facts import (
    ReviewBasis,
    is_points,
    leader_unit,
    ledger_products,
    map_review,
    quantification_of,
)
from kiemdiem.reviews.selfreview.forms import ReturnForm, SelfReviewValues, values_from_review
from kiemdiem.reviews.selfreview.mapping import (
    GRADE_ORDER,
    Mapped,
    quantified_sections,
    section_required,
    template_sections,
)
from kiemdiem.reviews.selfreview.models import SelfReview
from kiemdiem.reviews.selfreview.services import PROPOSABLE_LEVELS, excluded_message
from kiemdiem.reviews.selfreview.transitions import EDITABLE

# --- the lists -------------------------------------------------------------------------------


def selfreview_lists(user: User, *, limit: int = 200) -> tuple[list[Evaluation], list[Evaluation]]:
    """My self-reviews (mine and the collectives I head) in open cycles, and the submitted ones
    in my scope waiting for review."""
    base = Evaluation.objects.filter(cycle__status=Cycle.Status.OPEN).select_related(
        "cycle", "template", "person", "organization", "self_review"
    )
    mine = list(
        base.filter(evaluation_access.authored_q(user)).order_by(
            "-cycle__year", "subject", "track", "id"
        )
    )
    scope = evaluation_access.visible_q(user)
    to_review: list[Evaluation] = []
    if scope != Q(pk__in=[]):  # a scope that matches nothing costs no query
        to_review = list(
            base.filter(scope, status=Evaluation.Status.SUBMITTED)
            .exclude(pk__in=[e.pk for e in mine])
            .order_by("organization__path", "person__sort_key", "id")[:limit]
        )
    return mine, to_review


# --- the form page ---------------------------------------------------------------------------


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


def _decimal(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value is not None and value != "" else None


def group_rows(
    definition: dict[str, Any],
    values: SelfReviewValues,
    mapped: Mapped,
    errors: dict[str, str],
) -> list[GroupRow]:
    labels = {g.value: str(g.label) for g in reversed(GRADE_ORDER)}
    groups = []
    for group in definition.get("groups", []):
        row = GroupRow(
            code=group["code"],
            label=group.get("label", group["code"]),
            max_points=_decimal(group.get("max_points") or None),
            total=mapped.group_totals.get(group["code"]),
            from_ledger=group["code"] in mapped.ledger_groups,
            error=errors.get(f"g-{group['code']}") or mapped.errors.get(f"g-{group['code']}", ""),
        )
        for c in group.get("criteria", []):
            name = f"c-{c['code']}"
            row.criteria.append(
                CriterionRow(
                    code=c["code"],
                    label=c.get("label", c["code"]),
                    hint=c.get("hint", ""),
                    max_points=_decimal(c.get("max_points")),
                    grades=[(g, labels.get(g, g)) for g in c.get("grades") or labels],
                    value=values.criteria.get(c["code"], ""),
                    error=errors.get(name) or mapped.errors.get(name, ""),
                )
            )
        groups.append(row)
    return groups


def section_rows(
    definition: dict[str, Any],
    values: SelfReviewValues,
    report: SectionsReport,
    errors: dict[str, str],
) -> list[SectionRow]:
    quantified = set(quantified_sections(definition))
    rows = []
    for s in template_sections(definition):
        text = values.sections.get(s["code"], "")
        section_report = report.sections.get(s["code"])
        rows.append(
            SectionRow(
                code=s["code"],
                label=s.get("label", s["code"]),
                hint=s.get("hint", ""),
                required=section_required(s),
                value=text,
                quantified=s["code"] in quantified,
                report=section_report,
                segments=segments_of(text, section_report) if section_report and text else [],
                error=errors.get(f"s-{s['code']}", ""),
            )
        )
    return rows


@dataclass
class SelfReviewPage:
    """Everything the form page shows, for one viewer."""

    evaluation: Evaluation
    review: SelfReview | None
    template: CriteriaTemplate | None
    values: SelfReviewValues
    basis: ReviewBasis
    mapped: Mapped
    suggestion: Suggestion
    report: SectionsReport
    evidence: EvidenceReport
    can_edit: bool
    can_return: bool
    unit: Organization | None
    unit_ledger: UnitLedger | None

    @property
    def status(self) -> str:
        return self.review.status if self.review else SelfReview.Status.DRAFT

    @property
    def editable(self) -> bool:
        return (
            self.can_edit
            and self.status in EDITABLE
            and self.evaluation.cycle.status == Cycle.Status.OPEN
        )


def selfreview_page(
    *, viewer: User, evaluation: Evaluation, values: SelfReviewValues | None = None
) -> SelfReviewPage:
    """The page of `evaluation` for `viewer` (who may see it: the caller checked), with the
    typed `values` when they are not the stored ones (a preview, a refused save)."""
    review = SelfReview.objects.filter(evaluation=evaluation).first()
    basis = ReviewBasis.of(evaluation)
    if values is None:
        values = values_from_review(
            review,
            shortcomings_previous=evaluation.shortcomings_previous,
            shortcomings_remedied=evaluation.shortcomings_remedied,
        )
    mapped = map_review(
        evaluation,
        basis.template,
        criteria=values.criteria,
        shortcomings_previous=values.shortcomings_previous,
        shortcomings_remedied=values.shortcomings_remedied,
        ledger=basis.ledger,
    )
    unit = leader_unit(evaluation)
    # The unit's task table is a list of other people's work: shown to those who may open that
    # unit's ledger, like its own page.
    shown_unit = unit if unit is not None and ledger_access.views_org(viewer, unit) else None
    report = quantification_of(basis.template, values.sections)
    return SelfReviewPage(
        evaluation=evaluation,
        review=review,
        template=basis.template,
        values=values,
        basis=basis,
        mapped=mapped,
        suggestion=suggest(evaluation, mapped.facts),
        report=report,
        evidence=check_evidence(report, ledger_products(evaluation)),
        can_edit=access.can_edit(viewer, evaluation),
        can_return=bool(review)
        and review.status == SelfReview.Status.SUBMITTED
        and access.can_return(viewer, evaluation),
        unit=unit,
        unit_ledger=unit_ledger(shown_unit, year=evaluation.cycle.year, with_products=False)
        if shown_unit is not None
        else None,
    )


def page_context(
    page: SelfReviewPage,
    *,
    viewer: User,
    errors: dict[str, list[str]] | None = None,
    return_form: ReturnForm | None = None,
) -> dict[str, Any]:
    """The template's context: the page, its rows, and the labels it prints."""
    evaluation, mapped, template = page.evaluation, page.mapped, page.template
    definition = template.definition if template else {}
    field_errors = {k: v[0] for k, v in (errors or {}).items() if v}
    return {
        "evaluation": evaluation,
        "cycle": evaluation.cycle,
        "template": template,
        "title": f"{template.form_code} — {template.name}" if template else _("Bản tự kiểm điểm"),
        "review": page.review,
        "status": page.status,
        "status_label": SelfReview.Status(page.status).label,
        "values": page.values,
        "version": page.values.version
        if page.values.version is not None
        else (page.review.version if page.review else 0),
        "points": is_points(template, evaluation),
        "groups": group_rows(definition, page.values, mapped, field_errors),
        "sections": section_rows(definition, page.values, page.report, field_errors),
        "mapped": mapped,
        "ledger": page.basis.ledger,
        "suggestion": page.suggestion,
        "suggested_label": Level(page.suggestion.level).label if page.suggestion.level else "",
        "report": page.report,
        "evidence": page.evidence,
        "levels": [(lv.value, lv.label) for lv in PROPOSABLE_LEVELS],
        "excluded_message": excluded_message(evaluation) if evaluation.excluded else "",
        "general_label": _grade_label(mapped.facts.get("general")),
        "results_grade_label": _grade_label(mapped.facts.get("results_grade")),
        "errors": field_errors,
        "non_field_errors": (errors or {}).get("__all__", []),
        "can_edit": page.can_edit,
        "editable": page.editable,
        "can_return": page.can_return,
        "return_form": return_form or (ReturnForm() if page.can_return else None),
        "unit": page.unit,
        "unit_ledger": page.unit_ledger,
        "own_ledger": evaluation.person is not None and evaluation.person.user_id == viewer.pk,
        "is_leader": evaluation.role == Evaluation.Role.LEADER,
    }


def _grade_label(grade: str | None) -> str:
    return str(Grade(grade).label) if grade else ""
