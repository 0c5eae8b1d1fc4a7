"""The self-review (bản tự kiểm điểm) services: save (autosave), submit, return.

Keyword-only, atomic, audited. Each checks who may act (`selfreview.access`) on the locked
evaluation; submitting and returning move the self-review and the evaluation along their
transition tables (`selfreview.transitions.SELF_REVIEW`,
`evaluations.transitions.EVALUATION`) in the same transaction — the evaluation's status is
never copied by hand. What a review is computed from (template, ledger figures, mapping) is
`selfreview.facts`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User
from kiemdiem.core.audit import audit_record
from kiemdiem.core.transitions import transition
from kiemdiem.notices.models import Notice
from kiemdiem.notices.services import notify
from kiemdiem.quantify import SectionsReport
from kiemdiem.reviews.criteria.models import CriteriaTemplate
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.engine import suggest
from kiemdiem.reviews.evaluations.models import Evaluation, Level
from kiemdiem.reviews.evaluations.transitions import EVALUATION
from kiemdiem.reviews.selfreview import access
from kiemdiem.reviews.selfreview.facts import (
    ReviewBasis,
    is_points,
    map_review,
    quantification_of,
)
from kiemdiem.reviews.selfreview.mapping import (
    Mapped,
    clean_text,
    section_required,
    template_criteria,
    template_sections,
)
from kiemdiem.reviews.selfreview.models import SelfReview
from kiemdiem.reviews.selfreview.transitions import EDITABLE, RETURN, SELF_REVIEW, SUBMIT

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


def _clean_values(
    template: CriteriaTemplate | None, sections: Mapping[str, Any], criteria: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, str]]:
    """Keep the template's keys only; text as typed (NFC), nothing else changed."""
    definition = template.definition if template else {}
    clean_sections = {
        s["code"]: unicodedata.normalize("NFC", str(sections.get(s["code"]) or ""))
        for s in template_sections(definition)
    }
    clean_criteria = {
        c["code"]: clean_text(criteria.get(c["code"], ""))
        for _g, c in template_criteria(definition)
    }
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
            _("Đợt kiểm điểm không trong thời gian tự kiểm điểm, không thể sửa hoặc nộp."),
            code="closed",
        )


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _json(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str, list, dict)):
        return value
    return str(value)


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


@dataclass
class SaveOutcome:
    review: SelfReview
    mapped: Mapped
    report: SectionsReport
    changed: bool
    basis: ReviewBasis


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
) -> SaveOutcome:
    """Autosave: store what was typed, as typed, even if incomplete or partly invalid.

    Invalid criterion values are kept as typed and reported in `mapped.errors` (the score stays
    empty until they are fixed); only a stale `expected_version` (a concurrent edit), a locked
    review or a closed cycle refuse the save. The evaluation's facts follow the mapping.
    """
    ev = _locked_evaluation(evaluation)
    if not access.can_edit(actor, ev):
        raise PermissionDenied(_("Chỉ người viết bản tự kiểm điểm này mới được sửa."))
    review = SelfReview.objects.filter(evaluation=ev).first()
    current = review.version if review else 0
    if expected_version != current:
        raise ValidationError(
            _(
                "Bản tự kiểm điểm đã được lưu ở một cửa sổ hoặc thiết bị khác (phiên bản "
                "%(current)s, trang này đang sửa phiên bản %(expected)s). Hãy tải lại trang để xem "
                "bản mới nhất; nội dung vừa gõ vẫn được giữ trong trình duyệt."
            )
            % {"current": current, "expected": expected_version},
            code="conflict",
        )
    if review is not None and review.status not in EDITABLE:
        raise ValidationError(_("Bản tự kiểm điểm đã nộp, không thể sửa."), code="locked")
    _require_open(ev.cycle)
    if ev.excluded:
        proposed_level = ""  # not classified this cycle: no level to propose (366-3, ND90-2)
    basis = ReviewBasis.of(ev)
    clean_sections, clean_criteria = _clean_values(basis.template, sections, criteria)
    level = proposed_level if proposed_level in PROPOSABLE_LEVELS else ""
    mapped = map_review(
        ev,
        basis.template,
        criteria=clean_criteria,
        shortcomings_previous=shortcomings_previous,
        shortcomings_remedied=shortcomings_remedied,
        ledger=basis.ledger,
    )
    if proposed_level and not level:
        mapped.errors["proposed_level"] = _("Chọn một mức xếp loại trong danh sách.")
    report = quantification_of(basis.template, clean_sections)
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
    return SaveOutcome(review=review, mapped=mapped, report=report, changed=changed, basis=basis)


def excluded_message(ev: Evaluation) -> str:
    """Why a person not classified this cycle neither proposes a level nor submits the form."""
    reason = ev.exclusion_reason or _("không thuộc diện xếp loại")
    return _(
        "Đồng chí không xếp loại trong đợt này (%(reason)s): không phải tự xếp loại và không "
        "nộp bản tự kiểm điểm để xếp loại."
    ) % {"reason": reason}


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
                _("Chưa chấm điểm tiêu chí này.")
                if points
                else _("Chưa chọn mức cho tiêu chí này.")
            ]
    for name, message in mapped.errors.items():
        if not name.startswith("c-"):
            errors.setdefault(name, [message])
    for section in template_sections(definition):
        if section_required(section) and not (review.sections.get(section["code"]) or "").strip():
            errors[f"s-{section['code']}"] = [_("Chưa viết nội dung phần này.")]
    if review.proposed_level not in PROPOSABLE_LEVELS:
        errors["proposed_level"] = [_("Chưa tự xếp loại.")]
    return errors


@transaction.atomic
def self_review_submit(
    *, actor: User, evaluation: Evaluation, basis: ReviewBasis | None = None
) -> SelfReview:
    """Submit the stored review: complete and quantified enough, then locked for review.

    `basis` may hand on the template and ledger figures a save of the same request computed."""
    ev = _locked_evaluation(evaluation)
    if not access.can_edit(actor, ev):
        raise PermissionDenied(_("Chỉ người viết bản tự kiểm điểm này mới được nộp."))
    if ev.excluded:
        raise ValidationError(excluded_message(ev), code="excluded")
    review = SelfReview.objects.filter(evaluation=ev).first()
    if review is None:
        raise ValidationError(_("Bản tự kiểm điểm chưa có nội dung, chưa thể nộp."), code="empty")
    SELF_REVIEW.target(review.status, SUBMIT)
    _require_open(ev.cycle)
    basis = basis or ReviewBasis.of(ev)
    mapped = map_review(
        ev,
        basis.template,
        criteria=review.criteria,
        shortcomings_previous=ev.shortcomings_previous,
        shortcomings_remedied=ev.shortcomings_remedied,
        ledger=basis.ledger,
    )
    errors = completeness_errors(review, ev, basis.template, mapped)
    if errors:
        errors.setdefault("__all__", []).insert(0, _("Bản tự kiểm điểm chưa đầy đủ, chưa thể nộp."))
        raise ValidationError(errors)
    report = quantification_of(basis.template, review.sections)
    minimum = ev.cycle.min_quantification
    if not report.meets(minimum):
        raise ValidationError(
            _(
                "Chỉ số lượng hóa kết quả đạt %(score)s/100, chưa đạt mức tối thiểu %(minimum)s "
                "của đợt kiểm điểm. Hãy nêu sản phẩm, văn bản, số liệu cụ thể."
            )
            % {"score": report.score, "minimum": minimum},
            code="quantification",
        )
    # The facts the review decides are written with the evaluation's move (one UPDATE).
    # The engine's suggestion on the submitted facts is frozen with them (decisions.md §1):
    # later ledger changes do not move it; the pages compare it with the live suggestion.
    frozen = suggest(ev, overrides=mapped.facts)
    changes = {
        **mapped.facts,
        "self_level": review.proposed_level,
        "version": ev.version + 1,
        "submitted_suggestion": {
            "level": frozen.level,
            "base_level": frozen.base_level,
            "flags": frozen.flags,
            "facts": {k: _json(v) for k, v in mapped.facts.items()},
        },
    }
    transition(machine=EVALUATION, obj=ev, action=SUBMIT, actor=actor, changes=changes)
    transition(
        machine=SELF_REVIEW,
        obj=review,
        action=SUBMIT,
        actor=actor,
        changes={
            "submitted_at": timezone.now(),
            "returned_reason": "",
            "quantification": report.score,
            "version": review.version + 1,
        },
        audit_after={"quantification": report.score, "score": _plain(ev.score)},
    )
    return review


@transaction.atomic
def self_review_return(*, actor: User, evaluation: Evaluation, reason: str) -> SelfReview:
    """Return a submitted review to its author with a reason they will see; it unlocks."""
    ev = _locked_evaluation(evaluation)
    if not access.can_return(actor, ev):
        raise PermissionDenied(_("Chỉ người có thẩm quyền với đơn vị này mới được trả lại."))
    review = SelfReview.objects.filter(evaluation=ev).first()
    if review is None:
        raise ValidationError(_("Bản tự kiểm điểm chưa được nộp."), code="transition")
    SELF_REVIEW.target(review.status, RETURN)
    reason = unicodedata.normalize("NFC", reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Phải nêu lý do trả lại.")]})
    transition(machine=EVALUATION, obj=ev, action=RETURN, actor=actor, reason=reason)
    transition(
        machine=SELF_REVIEW,
        obj=review,
        action=RETURN,
        actor=actor,
        reason=reason,
        changes={"returned_reason": reason, "version": review.version + 1},
    )
    _notify_author(
        ev,
        kind=Notice.Kind.REVIEW_RETURNED,
        title=_("Bản tự kiểm điểm bị trả lại"),
        body=_("Lý do: %(reason)s") % {"reason": reason},
    )
    return review


def _notify_author(ev: Evaluation, *, kind: str, title: str, body: str = "") -> None:
    """Tell the evaluated person (when they have an account) what happened and where to act."""
    user = ev.person.user if ev.person_id and ev.person else None
    if user is None:
        return
    notify(
        recipients=[user],
        kind=kind,
        title=f"{title}: {ev.cycle.name}",
        url=reverse("selfreview_form", args=[ev.pk]),
        body=body,
    )
