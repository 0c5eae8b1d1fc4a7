"""The self-review (bản tự kiểm điểm): from what a person types to the facts the engine reads.

Three parts, in this order:

* **The mapping** (`map_to_facts`, pure): criterion values of a criteria template plus the
  ledger's figures → the `Evaluation` fact fields of classification.md 2.1.

  - Point templates (`qd366`, `nd335`, local variants): `score` = the sum of the criterion
    points, each a decimal with at most two places within 0..its `max_points` (and each group's
    sum within the group's `max_points`). Under NĐ 335 the 70-point results group is not typed:
    it is the ledger's results score (ND335-2, `kiemdiem.ledger.scoring.annual_score`) whenever
    the ledger has scored tasks for the year; its inputs are then read-only on the form. With no
    scored task in the ledger the person types that group like any other.
  - Grade templates (`qd124`, `nd90`): `general` = the lowest grade among the general criteria
    (every group but the results group, so a leader's capacity criteria count too) — 124-9's
    "every criterion at least Tốt" is exactly "lowest ≥ good", and the engine reads
    `general ∈ {excellent, good}` — and `results_grade` = the grade of the results criterion
    (the lowest, if a results group holds several). The results group is the one coded
    `ket_qua`/`results` or flagged `"results": true`.
  - A score or a grade is written only when every criterion it depends on is filled and valid;
    until then it is empty and the engine names it as missing (an incomplete sum would suggest
    a level the person never claimed).
  - Task counts (assigned/completed/on time/exceeded) come from the ledger for the cycle year:
    an individual's own tasks (a leader's too — the engine reads the unit's tasks through
    `leads`), a collective's = every task of its organization's subtree (a leadership
    collective: of the organization it leads; a party organization: of the agencies it leads).
    When the ledger has no task for the subject the row keeps the counts it has (set at
    opening or imported).
  - Shortcomings of the last review (previous/remedied) are typed on the form.
  - The quantification indicator reads the results sections (code `ket_qua…`, or flagged
    `"quantify": true`); a section is required unless flagged `"required": false`, labelled
    "(nếu có)", or the self-classification text (its level choice is the required part).

* **Access** (`can_edit`, `can_view`, `can_return`): the person edits their own individual
  self-review; the head of an organization drafts its collective report (Mẫu 01); a scope role
  over the evaluation's organization reads it, and all of those but the inspection committee may
  return it. Nobody returns their own.

* **Services** (`self_review_save`, `self_review_submit`, `self_review_return`): keyword-only,
  atomic, audited; status changes only through `TRANSITIONS`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kiemdiem.accounts.models import SCOPE_ROLES, Role, RoleAssignment
from kiemdiem.core.audit import audit_record
from kiemdiem.orgs.models import Organization, Position
from kiemdiem.quantify import SectionsReport, check_sections
from kiemdiem.reviews.adapter import POINT_RULESETS, ruleset_for
from kiemdiem.reviews.models import CriteriaTemplate, Cycle, Evaluation, Grade, Level, SelfReview

User = AbstractBaseUser | AnonymousUser | None

# Lowest first: the general grade of a grade template is the minimum in this order.
GRADE_ORDER = [Grade.POOR, Grade.AVERAGE, Grade.GOOD, Grade.EXCELLENT]
GRADE_RANK = {g.value: i for i, g in enumerate(GRADE_ORDER)}
PROPOSABLE_LEVELS = [Level.HTXSNV, Level.HTTNV, Level.HTNV, Level.KHTNV]
RESULTS_GROUP_CODES = {"results", "ket_qua", "ketqua", "ket-qua", "kq"}
TWO_PLACES = Decimal("0.01")
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


# --- the template --------------------------------------------------------------------------


def is_results_group(group: Mapping[str, Any]) -> bool:
    """The task-results group: flagged `"results": true`, or by its code."""
    return bool(group.get("results")) or str(group.get("code", "")).lower() in RESULTS_GROUP_CODES


def template_criteria(definition: Mapping[str, Any]) -> list[tuple[dict, dict]]:
    """(group, criterion) pairs in form order."""
    return [
        (group, criterion)
        for group in definition.get("groups", [])
        for criterion in group.get("criteria", [])
    ]


def template_sections(definition: Mapping[str, Any]) -> list[dict]:
    return list(definition.get("sections", []))


OPTIONAL_SECTION_CODES = {"tu_xep_loai"}


def section_required(section: Mapping[str, Any]) -> bool:
    """Required unless the template says `"required": false`, the label says "(nếu có)" (if
    any), or it is the self-classification text (the proposed-level choice is the required
    part of it)."""
    if "required" in section:
        return bool(section["required"])
    if section["code"] in OPTIONAL_SECTION_CODES:
        return False
    return "(nếu có)" not in str(section.get("label", "")).lower()


def quantified_sections(definition: Mapping[str, Any]) -> list[str]:
    """The sections the quantification indicator reads: the results of tasks, which must be
    "quantified by concrete products" (3455; 366-3) — those flagged `"quantify": true`, else
    those whose code starts with `ket_qua`, else every section."""
    sections = template_sections(definition)
    flagged = [s["code"] for s in sections if s.get("quantify")]
    results = [s["code"] for s in sections if str(s["code"]).startswith("ket_qua")]
    return flagged or results or [s["code"] for s in sections]


# --- the ledger ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFigures:
    """What the ledger says for one subject and year (task counts in the engine's shape)."""

    assigned: int = 0
    completed: int = 0
    on_time: int = 0
    exceeded: int = 0
    results_score: Decimal | None = None
    """NĐ 335 70-point results score; None when no task is scored."""

    @property
    def has_tasks(self) -> bool:
        return self.assigned > 0

    def as_tasks(self) -> dict[str, int]:
        return {
            "assigned": self.assigned,
            "completed": self.completed,
            "on_time": self.on_time,
            "exceeded": self.exceeded,
        }


# --- the mapping ---------------------------------------------------------------------------


@dataclass
class Mapped:
    """The mapping's verdict on one set of form values."""

    facts: dict[str, Any]
    """Evaluation field → value, only for the fields the self-review decides."""
    errors: dict[str, str] = field(default_factory=dict)
    """Form field name (``c-<criterion>``, ``g-<group>``, ``shortcomings_*``) → message."""
    missing: list[str] = field(default_factory=list)
    """Codes of the criteria not filled yet."""
    total: Decimal | None = None
    """Running sum of the valid points typed so far (point templates), for the page."""
    group_totals: dict[str, Decimal] = field(default_factory=dict)
    ledger_groups: list[str] = field(default_factory=list)
    """Groups whose points come from the ledger (read-only on the form)."""


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value if value is not None else "")).strip()


def parse_points(raw: str, maximum: Decimal) -> tuple[Decimal | None, str]:
    """A typed number of points ("8", "8,5", "8.25") → (value, error message)."""
    text = raw.replace(" ", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, "Nhập số điểm, ví dụ 8 hoặc 8,5."
    if not value.is_finite():
        return None, "Nhập số điểm, ví dụ 8 hoặc 8,5."
    if value != value.quantize(TWO_PLACES, rounding="ROUND_DOWN"):
        return None, "Điểm chỉ lấy đến 2 chữ số thập phân."
    if value < 0 or value > maximum:
        return None, f"Điểm phải từ 0 đến {_fmt(maximum)}."
    return value.quantize(TWO_PLACES), ""


def _fmt(value: Decimal) -> str:
    """8 → "8", 8.50 → "8,5": Vietnamese decimal comma, no trailing zeros."""
    text = format(value.normalize(), "f") if value == value.normalize() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _parse_count(raw: Any) -> int | None:
    text = _text(raw)
    if text == "":
        return 0
    if not text.isdigit():
        return None
    return int(text)


def map_to_facts(
    *,
    definition: Mapping[str, Any],
    scoring: str,
    family: str,
    criteria: Mapping[str, Any],
    ledger: LedgerFigures | None = None,
    shortcomings_previous: Any = "",
    shortcomings_remedied: Any = "",
) -> Mapped:
    """The evaluation facts of one self-review (see the module docstring for the rules)."""
    mapped = Mapped(facts={})
    pairs = template_criteria(definition)
    if scoring == CriteriaTemplate.Scoring.POINTS:
        _map_points(mapped, definition, family, criteria, ledger)
    else:
        _map_grades(mapped, pairs, criteria)
    if ledger is not None and ledger.has_tasks:
        mapped.facts.update(
            tasks_assigned=ledger.assigned,
            tasks_completed=ledger.completed,
            tasks_on_time=ledger.on_time,
            tasks_exceeded=ledger.exceeded,
        )
    previous = _parse_count(shortcomings_previous)
    remedied = _parse_count(shortcomings_remedied)
    if previous is None:
        mapped.errors["shortcomings_previous"] = "Nhập một số nguyên không âm."
    if remedied is None:
        mapped.errors["shortcomings_remedied"] = "Nhập một số nguyên không âm."
    if previous is not None and remedied is not None:
        if remedied > previous:
            mapped.errors["shortcomings_remedied"] = (
                f"Số hạn chế đã khắc phục ({remedied}) không thể lớn hơn số hạn chế "
                f"được chỉ ra ({previous})."
            )
        else:
            mapped.facts.update(shortcomings_previous=previous, shortcomings_remedied=remedied)
    return mapped


def _map_points(
    mapped: Mapped,
    definition: Mapping[str, Any],
    family: str,
    criteria: Mapping[str, Any],
    ledger: LedgerFigures | None,
) -> None:
    total = Decimal(0)
    complete = True
    for group in definition.get("groups", []):
        code = group["code"]
        group_max = Decimal(str(group.get("max_points", 0))) if group.get("max_points") else None
        from_ledger = (
            family == "nd335"
            and is_results_group(group)
            and ledger is not None
            and ledger.results_score is not None
        )
        if from_ledger:
            assert ledger is not None and ledger.results_score is not None
            value = ledger.results_score
            if group_max is not None:
                value = min(value, group_max)
            mapped.ledger_groups.append(code)
            mapped.group_totals[code] = value
            total += value
            continue
        group_sum = Decimal(0)
        for criterion in group.get("criteria", []):
            raw = _text(criteria.get(criterion["code"], ""))
            if raw == "":
                mapped.missing.append(criterion["code"])
                complete = False
                continue
            value, error = parse_points(raw, Decimal(str(criterion.get("max_points", 0))))
            if value is None:
                mapped.errors[f"c-{criterion['code']}"] = error
                complete = False
                continue
            group_sum += value
        if group_max is not None and group_sum > group_max:
            mapped.errors[f"g-{code}"] = (
                f"Tổng điểm nhóm “{group.get('label', code)}” ({_fmt(group_sum)}) vượt quá "
                f"{_fmt(group_max)} điểm."
            )
            complete = False
        mapped.group_totals[code] = group_sum
        total += group_sum
    mapped.total = total
    mapped.facts["score"] = total.quantize(TWO_PLACES) if complete else None


def _map_grades(
    mapped: Mapped, pairs: list[tuple[dict, dict]], criteria: Mapping[str, Any]
) -> None:
    general: list[str] = []
    results: list[str] = []
    general_complete = results_complete = True
    has_results = False
    for group, criterion in pairs:
        in_results = is_results_group(group)
        has_results = has_results or in_results
        raw = _text(criteria.get(criterion["code"], ""))
        allowed = criterion.get("grades") or [g.value for g in reversed(GRADE_ORDER)]
        if raw == "":
            mapped.missing.append(criterion["code"])
            ok = False
        elif raw not in allowed or raw not in GRADE_RANK:
            mapped.errors[f"c-{criterion['code']}"] = "Chọn một mức trong danh sách."
            ok = False
        else:
            ok = True
            (results if in_results else general).append(raw)
        if not ok:
            if in_results:
                results_complete = False
            else:
                general_complete = False
    mapped.facts["general"] = (
        min(general, key=GRADE_RANK.__getitem__) if general and general_complete else ""
    )
    if has_results:
        mapped.facts["results_grade"] = (
            min(results, key=GRADE_RANK.__getitem__) if results and results_complete else ""
        )


# --- access --------------------------------------------------------------------------------


def _authenticated(user: User) -> bool:
    return user is not None and user.is_authenticated


def _role_paths(user: User, roles: Iterable[str]) -> list[str]:
    if not _authenticated(user):
        return []
    roles = set(roles)
    cache_name = "_selfreview_paths_" + "_".join(sorted(roles))
    cached = getattr(user, cache_name, None)
    if cached is None:
        cached = sorted(
            set(
                RoleAssignment.objects.filter(user=user, role__in=roles).values_list(
                    "organization__path", flat=True
                )
            )
        )
        setattr(user, cache_name, cached)
    return cached


RETURN_ROLES = SCOPE_ROLES - {Role.INSPECTOR}
HEAD_ROLES = {Role.UNIT_HEAD, Role.CELL_SECRETARY}


def is_head_of(user: User, org: Organization) -> bool:
    """Head of `org`: a current head post there, or a head role assigned at exactly `org`.
    A leadership collective's report is drafted by the head of the organization it leads."""
    if not _authenticated(user):
        return False
    org_ids = [org.pk] + ([org.leads_id] if org.leads_id else [])
    person_id = getattr(getattr(user, "person", None), "pk", None)
    if (
        person_id is not None
        and Position.objects.filter(
            person_id=person_id, organization_id__in=org_ids, is_head=True, end_date__isnull=True
        ).exists()
    ):
        return True
    return RoleAssignment.objects.filter(
        user=user, role__in=HEAD_ROLES, organization_id__in=org_ids
    ).exists()


def can_edit(user: User, evaluation: Evaluation) -> bool:
    """The person themself; for a collective, the head of its organization (Mẫu 01)."""
    if not _authenticated(user):
        return False
    if evaluation.subject == Evaluation.Subject.INDIVIDUAL:
        return evaluation.person is not None and evaluation.person.user_id == user.pk
    return is_head_of(user, evaluation.organization)


def _in_scope(user: User, evaluation: Evaluation, roles: Iterable[str]) -> bool:
    path = evaluation.organization.path
    return any(path.startswith(p) for p in _role_paths(user, roles))


def can_return(user: User, evaluation: Evaluation) -> bool:
    """A role over the evaluation's organization (not the inspection committee), and not the
    author: nobody returns their own self-review."""
    if not _authenticated(user) or can_edit(user, evaluation):
        return False
    return bool(getattr(user, "is_superuser", False)) or _in_scope(user, evaluation, RETURN_ROLES)


def can_view(user: User, evaluation: Evaluation) -> bool:
    if not _authenticated(user):
        return False
    if getattr(user, "is_superuser", False) or can_edit(user, evaluation):
        return True
    return _in_scope(user, evaluation, SCOPE_ROLES)


def scope_q(user: User, prefix: str = "organization__") -> Q:
    """Evaluations whose organization is in the user's scope (for the reviewer list)."""
    q = Q(pk__in=[])
    for path in _role_paths(user, SCOPE_ROLES):
        q |= Q(**{f"{prefix}path__under": path})
    return q


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
    """The ledger's figures for the subject and the cycle year (see the module docstring).

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
