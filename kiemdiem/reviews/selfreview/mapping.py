"""The self-review mapping: a self-review's values → the evaluation facts the engine reads.

No database access: the criteria template's definition, the values typed and the ledger's
figures in, the `Evaluation` fact fields (and the form's errors) out. Kept apart from the
services in `kiemdiem.reviews.selfreview.services` so that the rules can be read and tested
alone.

* **The mapping** (`map_to_facts`, pure): criterion values of a criteria template plus the
  ledger's figures → the `Evaluation` fact fields of classification.md 2.1.

  - Point templates (`qd366`, `nd335`, local variants): `score` = the sum of the criterion
    points, each a decimal with at most two places within 0..its `max_points` (and each group's
    sum within the group's `max_points`). Where the rule set says the ledger scores it
    (`RuleSet.ledger_score`: NĐ 335) the 70-point results group is not typed: it is the ledger's
    results score (ND335-2, `kiemdiem.ledger.scoring.annual_score`) whenever the ledger has scored
    tasks for the year; its inputs are then read-only on the form. With no scored task in the
    ledger the person types that group like any other.
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
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from kiemdiem.core.numbers import vn_number
from kiemdiem.core.text import ascii_digits
from kiemdiem.reviews.criteria.models import CriteriaTemplate
from kiemdiem.reviews.evaluations.models import Grade

# Lowest first: the general grade of a grade template is the minimum in this order.
GRADE_ORDER = [Grade.POOR, Grade.AVERAGE, Grade.GOOD, Grade.EXCELLENT]
GRADE_RANK = {g.value: i for i, g in enumerate(GRADE_ORDER)}
RESULTS_GROUP_CODES = {"results", "ket_qua", "ketqua", "ket-qua", "kq"}
TWO_PLACES = Decimal("0.01")


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


def clean_text(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value if value is not None else "")).strip()


def parse_points(raw: str, maximum: Decimal) -> tuple[Decimal | None, str]:
    """A typed number of points ("8", "8,5", "8.25") → (value, error message)."""
    text = raw.replace(" ", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, _("Nhập số điểm, ví dụ 8 hoặc 8,5.")
    if not value.is_finite():
        return None, _("Nhập số điểm, ví dụ 8 hoặc 8,5.")
    if value != value.quantize(TWO_PLACES, rounding="ROUND_DOWN"):
        return None, _("Điểm chỉ lấy đến 2 chữ số thập phân.")
    if value < 0 or value > maximum:
        return None, _("Điểm phải từ 0 đến %(max)s.") % {"max": _fmt(maximum)}
    return value.quantize(TWO_PLACES), ""


def _fmt(value: Decimal) -> str:
    """8 → "8", 8.50 → "8,5": Vietnamese decimal comma, no trailing zeros."""
    return vn_number(value)


def _parse_count(raw: Any) -> int | None:
    text = clean_text(raw)
    if text == "":
        return 0
    if not ascii_digits(text):
        return None
    return int(text)


def map_to_facts(
    *,
    definition: Mapping[str, Any],
    scoring: str,
    ledger_score: bool,
    criteria: Mapping[str, Any],
    ledger: LedgerFigures | None = None,
    shortcomings_previous: Any = "",
    shortcomings_remedied: Any = "",
) -> Mapped:
    """The evaluation facts of one self-review (see the module docstring for the rules)."""
    mapped = Mapped(facts={})
    pairs = template_criteria(definition)
    if scoring == CriteriaTemplate.Scoring.POINTS:
        _map_points(mapped, definition, ledger_score, criteria, ledger)
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
        mapped.errors["shortcomings_previous"] = _("Nhập một số nguyên không âm.")
    if remedied is None:
        mapped.errors["shortcomings_remedied"] = _("Nhập một số nguyên không âm.")
    if previous is not None and remedied is not None:
        if remedied > previous:
            mapped.errors["shortcomings_remedied"] = _(
                "Số hạn chế đã khắc phục (%(remedied)s) không thể lớn hơn số hạn chế được chỉ ra "
                "(%(previous)s)."
            ) % {"remedied": remedied, "previous": previous}
        else:
            mapped.facts.update(shortcomings_previous=previous, shortcomings_remedied=remedied)
    return mapped


def _map_points(
    mapped: Mapped,
    definition: Mapping[str, Any],
    ledger_score: bool,
    criteria: Mapping[str, Any],
    ledger: LedgerFigures | None,
) -> None:
    total = Decimal(0)
    complete = True
    for group in definition.get("groups", []):
        code = group["code"]
        group_max = Decimal(str(group.get("max_points", 0))) if group.get("max_points") else None
        from_ledger = (
            ledger_score
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
            raw = clean_text(criteria.get(criterion["code"], ""))
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
            mapped.errors[f"g-{code}"] = _(
                "Tổng điểm nhóm “%(group)s” (%(sum)s) vượt quá %(max)s điểm."
            ) % {"group": group.get("label", code), "sum": _fmt(group_sum), "max": _fmt(group_max)}
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
        raw = clean_text(criteria.get(criterion["code"], ""))
        allowed = criterion.get("grades") or [g.value for g in reversed(GRADE_ORDER)]
        if raw == "":
            mapped.missing.append(criterion["code"])
            ok = False
        elif raw not in allowed or raw not in GRADE_RANK:
            mapped.errors[f"c-{criterion['code']}"] = _("Chọn một mức trong danh sách.")
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
