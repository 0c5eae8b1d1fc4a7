"""The self-review (bản tự kiểm điểm) services, and the status transitions they go through.

The services (`self_review_save`, `self_review_submit`, `self_review_return`) are keyword-only,
atomic, audited; status changes only through `TRANSITIONS`.

The mapping of the values typed to the evaluation facts (the rules, including where the ledger's
figures come from) is in `kiemdiem.reviews.selfreview_mapping`; who may edit, view and return
is in `kiemdiem.reviews.selfreview_access`. Their public names are re-exported here, so
`kiemdiem.reviews.selfreview` keeps its former interface.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kiemdiem.core.audit import audit_record
from kiemdiem.orgs.models import Organization, Position
from kiemdiem.quantify import SectionsReport, check_sections
from kiemdiem.reviews.adapter import POINT_RULESETS, ruleset_for
from kiemdiem.reviews.models import CriteriaTemplate, Cycle, Evaluation, Level, SelfReview
from kiemdiem.reviews.selfreview_access import (
    HEAD_ROLES,
    RETURN_ROLES,
    User,
    can_edit,
    can_return,
    can_view,
    is_head_of,
    scope_q,
)
from kiemdiem.reviews.selfreview_mapping import (
    GRADE_ORDER,
    GRADE_RANK,
    OPTIONAL_SECTION_CODES,
    RESULTS_GROUP_CODES,
    TWO_PLACES,
    LedgerFigures,
    Mapped,
    _text,
    is_results_group,
    map_to_facts,
    parse_points,
    quantified_sections,
    section_required,
    template_criteria,
    template_sections,
)

PROPOSABLE_LEVELS = [Level.HTXSNV, Level.HTTNV, Level.HTNV, Level.KHTNV]
FACT_FIELDS = [
    "score",
    "general",
    "results_grade",
    "tasks_assigned",
    "tasks_completed",
    "tasks_on_time",
    "tasks_exceeded",
    "shortcomings_previous",
    "shortcomings_remedied",
]


# --- transitions ---------------------------------------------------------------------------

SUBMIT = "submit"
RETURN = "return"
TRANSITIONS: dict[tuple[str, str], str] = {
    (SelfReview.Status.DRAFT, SUBMIT): SelfReview.Status.SUBMITTED,
    (SelfReview.Status.RETURNED, SUBMIT): SelfReview.Status.SUBMITTED,
    (SelfReview.Status.SUBMITTED, RETURN): SelfReview.Status.RETURNED,
}
EDITABLE = {SelfReview.Status.DRAFT, SelfReview.Status.RETURNED}
_ACTION_LABELS = {SUBMIT: "nộp", RETURN: "trả lại"}


def transition(status: str, action: str) -> str:
    """The status after `action`, or a ValidationError: the one place transitions are checked."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        label = SelfReview.Status(status).label
        raise ValidationError(
            f"Không thể {_ACTION_LABELS[action]} bản tự kiểm điểm đang ở trạng thái “{label}”.",
            code="transition",
        ) from None


# --- services ------------------------------------------------------------------------------


def template_for(evaluation: Evaluation) -> CriteriaTemplate | None:
    """The evaluation's template (set at opening), else the active one of its rule set and kind."""
    if evaluation.template_id:
        return evaluation.template
    kind = subject_kind(evaluation)
    return (
        CriteriaTemplate.objects.filter(
            family=ruleset_for(evaluation.cycle, evaluation), subject_kind=kind, is_active=True
        )
        .order_by("-version", "id")
        .first()
    )


def subject_kind(evaluation: Evaluation) -> str:
    if evaluation.subject == Evaluation.Subject.COLLECTIVE:
        return CriteriaTemplate.SubjectKind.COLLECTIVE
    return {
        Evaluation.Role.LEADER: CriteriaTemplate.SubjectKind.LEADER,
        Evaluation.Role.PARTY_OUTSIDE: CriteriaTemplate.SubjectKind.PARTY_OUTSIDE,
    }.get(evaluation.role, CriteriaTemplate.SubjectKind.STAFF)


def is_points(template: CriteriaTemplate | None, evaluation: Evaluation) -> bool:
    if template is not None:
        return template.scoring == CriteriaTemplate.Scoring.POINTS
    return ruleset_for(evaluation.cycle, evaluation) in POINT_RULESETS


def ledger_units(evaluation: Evaluation) -> list[Organization]:
    """The organizations whose subtree's tasks are a collective's tasks: the organization
    itself; a leadership collective's led organization; a party organization's agencies."""
    org = evaluation.organization
    if org.leads_id:
        return [org.leads]
    agencies = list(org.agencies.all()) if org.is_party else []
    return agencies or [org]


def leader_unit(evaluation: Evaluation) -> Organization | None:
    """The unit a leader leads: the organization of `leads`, else where they are head."""
    if evaluation.role != Evaluation.Role.LEADER or evaluation.person is None:
        return None
    if evaluation.leads_id:
        return evaluation.leads.organization
    head = (
        Position.objects.filter(person=evaluation.person, is_head=True, end_date__isnull=True)
        .select_related("organization")
        .order_by("-level", "start_date", "id")
        .first()
    )
    return head.organization if head else evaluation.organization


def ledger_figures(evaluation: Evaluation) -> LedgerFigures:
    """The ledger's figures for the subject and the cycle year (see the `selfreview_mapping`
    module docstring).

    The NĐ 335 results score is read only where a template can use it (the state track under
    `nd335`)."""
    from kiemdiem.ledger import selectors as ledger

    year = evaluation.cycle.year
    if evaluation.subject == Evaluation.Subject.COLLECTIVE:
        totals = {"assigned": 0, "completed": 0, "on_time": 0, "exceeded": 0}
        for org in ledger_units(evaluation):
            stats = ledger.unit_task_statistics(org, year=year)
            for key in totals:
                totals[key] += stats.totals[key]
        return LedgerFigures(**totals)
    assert evaluation.person is not None
    counts = ledger.person_task_counts(evaluation.person, year=year)
    score = None
    if ruleset_for(evaluation.cycle, evaluation) == "nd335":
        score = ledger.person_results_score(evaluation.person, year=year)
    return LedgerFigures(**counts, results_score=score)


def map_review(
    evaluation: Evaluation,
    template: CriteriaTemplate | None,
    *,
    criteria: Mapping[str, Any],
    shortcomings_previous: Any,
    shortcomings_remedied: Any,
    ledger: LedgerFigures | None,
) -> Mapped:
    definition = template.definition if template else {}
    return map_to_facts(
        definition=definition,
        scoring=(
            CriteriaTemplate.Scoring.POINTS
            if is_points(template, evaluation)
            else CriteriaTemplate.Scoring.GRADES
        ),
        family=template.family if template else ruleset_for(evaluation.cycle, evaluation),
        criteria=criteria,
        ledger=ledger,
        shortcomings_previous=shortcomings_previous,
        shortcomings_remedied=shortcomings_remedied,
    )


def quantification_of(
    template: CriteriaTemplate | None, sections: Mapping[str, str]
) -> SectionsReport:
    codes = quantified_sections(template.definition) if template else list(sections)
    return check_sections({code: sections.get(code, "") for code in codes})


def _clean_values(
    template: CriteriaTemplate | None, sections: Mapping[str, Any], criteria: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, str]]:
    """Keep the template's keys only; text as typed (NFC), nothing else changed."""
    definition = template.definition if template else {}
    section_codes = [s["code"] for s in template_sections(definition)]
    criterion_codes = [c["code"] for _g, c in template_criteria(definition)]
    clean_sections = {
        code: unicodedata.normalize("NFC", str(sections.get(code) or "")) for code in section_codes
    }
    clean_criteria = {code: _text(criteria.get(code, "")) for code in criterion_codes}
    return clean_sections, clean_criteria


def _locked_evaluation(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle", "template", "organization", "person")
        .get(pk=evaluation.pk)
    )


def _require_open(cycle: Cycle) -> None:
    if cycle.status != Cycle.Status.OPEN:
        raise ValidationError(
            "Đợt kiểm điểm không trong thời gian tự kiểm điểm, không thể sửa hoặc nộp.",
            code="closed",
        )


def _review_state(review: SelfReview | None, evaluation: Evaluation) -> dict[str, Any]:
    state: dict[str, Any] = {f: _plain(getattr(evaluation, f)) for f in FACT_FIELDS}
    if review is not None:
        state.update(
            sections=review.sections,
            criteria=review.criteria,
            proposed_level=review.proposed_level,
            quantification=review.quantification,
        )
    return state


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


@dataclass
class SaveOutcome:
    review: SelfReview
    mapped: Mapped
    report: SectionsReport
    changed: bool


@transaction.atomic
def self_review_save(
    *,
    actor: User,
    evaluation: Evaluation,
    expected_version: int,
    sections: Mapping[str, Any],
    criteria: Mapping[str, Any],
    proposed_level: str = "",
    shortcomings_previous: Any = "",
    shortcomings_remedied: Any = "",
    ledger: LedgerFigures | None = None,
) -> SaveOutcome:
    """Autosave: store what was typed, as typed, even if incomplete or partly invalid.

    Invalid criterion values are kept as typed and reported in `mapped.errors` (the score stays
    empty until they are fixed); only a stale `expected_version` (a concurrent edit), a locked
    review or a closed cycle refuse the save. The evaluation's facts follow the mapping.
    """
    ev = _locked_evaluation(evaluation)
    if not can_edit(actor, ev):
        raise PermissionDenied("Chỉ người viết bản tự kiểm điểm này mới được sửa.")
    review = SelfReview.objects.filter(evaluation=ev).first()
    current = review.version if review else 0
    if expected_version != current:
        raise ValidationError(
            "Bản tự kiểm điểm đã được lưu ở một cửa sổ hoặc thiết bị khác "
            f"(phiên bản {current}, trang này đang sửa phiên bản {expected_version}). "
            "Hãy tải lại trang để xem bản mới nhất; nội dung vừa gõ vẫn được giữ trong trình duyệt.",
            code="conflict",
        )
    if review is not None and review.status not in EDITABLE:
        raise ValidationError("Bản tự kiểm điểm đã nộp, không thể sửa.", code="locked")
    _require_open(ev.cycle)
    template = template_for(ev)
    clean_sections, clean_criteria = _clean_values(template, sections, criteria)
    level = proposed_level if proposed_level in PROPOSABLE_LEVELS else ""
    if ledger is None:
        ledger = ledger_figures(ev)
    mapped = map_review(
        ev,
        template,
        criteria=clean_criteria,
        shortcomings_previous=shortcomings_previous,
        shortcomings_remedied=shortcomings_remedied,
        ledger=ledger,
    )
    if proposed_level and not level:
        mapped.errors["proposed_level"] = "Chọn một mức xếp loại trong danh sách."
    report = quantification_of(template, clean_sections)
    before = _review_state(review, ev)
    if review is None:
        review = SelfReview(evaluation=ev, version=0)
    review.sections = clean_sections
    review.criteria = clean_criteria
    review.proposed_level = level
    review.quantification = report.score
    for name, value in mapped.facts.items():
        setattr(ev, name, value)
    after = _review_state(review, ev)
    changed = before != after
    if changed:
        review.version = current + 1
        review.save()
        ev.save(update_fields=FACT_FIELDS)
        diff = [k for k in after if before.get(k) != after[k]]
        audit_record(
            actor=actor,
            action="self_review.save",
            obj=review,
            before={k: before.get(k) for k in diff},
            after={"version": review.version, **{k: after[k] for k in diff}},
        )
    return SaveOutcome(review=review, mapped=mapped, report=report, changed=changed)


def completeness_errors(
    review: SelfReview, evaluation: Evaluation, template: CriteriaTemplate | None, mapped: Mapped
) -> dict[str, list[str]]:
    """What stops a submission, by form field ("__all__" for the whole review)."""
    errors: dict[str, list[str]] = {}
    definition = template.definition if template else {}
    points = is_points(template, evaluation)
    for group, criterion in template_criteria(definition):
        if group["code"] in mapped.ledger_groups:
            continue
        name = f"c-{criterion['code']}"
        if name in mapped.errors:
            errors[name] = [mapped.errors[name]]
        elif criterion["code"] in mapped.missing:
            errors[name] = [
                "Chưa chấm điểm tiêu chí này." if points else "Chưa chọn mức cho tiêu chí này."
            ]
    for name, message in mapped.errors.items():
        if not name.startswith("c-"):
            errors.setdefault(name, [message])
    for section in template_sections(definition):
        if section_required(section) and not (review.sections.get(section["code"]) or "").strip():
            errors[f"s-{section['code']}"] = ["Chưa viết nội dung phần này."]
    if review.proposed_level not in PROPOSABLE_LEVELS:
        errors["proposed_level"] = ["Chưa tự xếp loại."]
    return errors


@transaction.atomic
def self_review_submit(
    *, actor: User, evaluation: Evaluation, ledger: LedgerFigures | None = None
) -> SelfReview:
    """Submit the stored review: complete and quantified enough, then locked for review."""
    ev = _locked_evaluation(evaluation)
    if not can_edit(actor, ev):
        raise PermissionDenied("Chỉ người viết bản tự kiểm điểm này mới được nộp.")
    review = SelfReview.objects.filter(evaluation=ev).first()
    if review is None:
        raise ValidationError("Bản tự kiểm điểm chưa có nội dung, chưa thể nộp.", code="empty")
    new_status = transition(review.status, SUBMIT)
    _require_open(ev.cycle)
    template = template_for(ev)
    mapped = map_review(
        ev,
        template,
        criteria=review.criteria,
        shortcomings_previous=ev.shortcomings_previous,
        shortcomings_remedied=ev.shortcomings_remedied,
        ledger=ledger if ledger is not None else ledger_figures(ev),
    )
    errors = completeness_errors(review, ev, template, mapped)
    if errors:
        errors.setdefault("__all__", []).insert(0, "Bản tự kiểm điểm chưa đầy đủ, chưa thể nộp.")
        raise ValidationError(errors)
    report = quantification_of(template, review.sections)
    minimum = ev.cycle.min_quantification
    if not report.meets(minimum):
        raise ValidationError(
            f"Chỉ số lượng hóa kết quả đạt {report.score}/100, chưa đạt mức tối thiểu {minimum} "
            "của đợt kiểm điểm. Hãy nêu sản phẩm, văn bản, số liệu cụ thể.",
            code="quantification",
        )
    before = {"status": review.status, "returned_reason": review.returned_reason}
    review.status = new_status
    review.submitted_at = timezone.now()
    review.returned_reason = ""
    review.quantification = report.score
    review.version += 1
    review.save()
    for name, value in mapped.facts.items():
        setattr(ev, name, value)
    ev.status = Evaluation.Status.SUBMITTED
    ev.save(update_fields=[*FACT_FIELDS, "status"])
    audit_record(
        actor=actor,
        action="self_review.submit",
        obj=review,
        before=before,
        after={"status": review.status, "quantification": report.score, "score": _plain(ev.score)},
    )
    return review


@transaction.atomic
def self_review_return(*, actor: User, evaluation: Evaluation, reason: str) -> SelfReview:
    """Return a submitted review to its author with a reason they will see; it unlocks."""
    ev = _locked_evaluation(evaluation)
    if not can_return(actor, ev):
        raise PermissionDenied("Chỉ người có thẩm quyền với đơn vị này mới được trả lại.")
    review = SelfReview.objects.filter(evaluation=ev).first()
    if review is None:
        raise ValidationError("Bản tự kiểm điểm chưa được nộp.", code="transition")
    new_status = transition(review.status, RETURN)
    reason = unicodedata.normalize("NFC", reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Phải nêu lý do trả lại."]})
    before = {"status": review.status}
    review.status = new_status
    review.returned_reason = reason
    review.version += 1
    review.save()
    ev.status = Evaluation.Status.RETURNED
    ev.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="self_review.return",
        obj=review,
        before=before,
        after={"status": review.status},
        reason=reason,
    )
    return review


__all__ = [
    "EDITABLE",
    "FACT_FIELDS",
    "GRADE_ORDER",
    "GRADE_RANK",
    "HEAD_ROLES",
    "LedgerFigures",
    "Mapped",
    "OPTIONAL_SECTION_CODES",
    "PROPOSABLE_LEVELS",
    "RESULTS_GROUP_CODES",
    "RETURN",
    "RETURN_ROLES",
    "SUBMIT",
    "SaveOutcome",
    "TRANSITIONS",
    "TWO_PLACES",
    "User",
    "can_edit",
    "can_return",
    "can_view",
    "completeness_errors",
    "is_head_of",
    "is_points",
    "is_results_group",
    "leader_unit",
    "ledger_figures",
    "ledger_units",
    "map_review",
    "map_to_facts",
    "parse_points",
    "quantification_of",
    "quantified_sections",
    "scope_q",
    "section_required",
    "self_review_return",
    "self_review_save",
    "self_review_submit",
    "subject_kind",
    "template_criteria",
    "template_for",
    "template_sections",
    "transition",
]
