"""What a self-review is computed from: the evaluation's form (criteria template), the ledger's
figures for its subject and year, and the mapping of the typed values to the engine's facts.

Reads only; shared by the services (which write what they compute) and the page's selector
(which shows it), so both compute it the same way — each once per request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiemdiem.ledger import selectors as ledger_selectors
from kiemdiem.ledger.models import Product
from kiemdiem.orgs.models import Organization, Position
from kiemdiem.quantify import SectionsReport, check_sections
from kiemdiem.quantify.evidence import LedgerProduct
from kiemdiem.reviews import rules
from kiemdiem.reviews.criteria.models import CriteriaTemplate
from kiemdiem.reviews.evaluations.engine import ruleset_for
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.selfreview.mapping import (
    LedgerFigures,
    Mapped,
    map_to_facts,
    quantified_sections,
)


def subject_kind(evaluation: Evaluation) -> str:
    if evaluation.subject == Evaluation.Subject.COLLECTIVE:
        return CriteriaTemplate.SubjectKind.COLLECTIVE
    return {
        Evaluation.Role.LEADER: CriteriaTemplate.SubjectKind.LEADER,
        Evaluation.Role.PARTY_OUTSIDE: CriteriaTemplate.SubjectKind.PARTY_OUTSIDE,
    }.get(evaluation.role, CriteriaTemplate.SubjectKind.STAFF)


def template_for(evaluation: Evaluation) -> CriteriaTemplate | None:
    """The evaluation's template (set at opening), else the active one of the family its rule
    set names, for its kind of subject."""
    if evaluation.template_id:
        return evaluation.template
    family = rules.criteria_family(ruleset_for(evaluation.cycle, evaluation))
    return (
        CriteriaTemplate.objects.filter(
            family=family, subject_kind=subject_kind(evaluation), is_active=True
        )
        .order_by("-version", "id")
        .first()
    )


def is_points(template: CriteriaTemplate | None, evaluation: Evaluation) -> bool:
    if template is not None:
        return template.scoring == CriteriaTemplate.Scoring.POINTS
    return rules.is_points(ruleset_for(evaluation.cycle, evaluation))


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
    """The ledger's figures for the subject and the cycle year (see the `mapping` module
    docstring). The NĐ 335 results score is read only where the rule set says the ledger
    scores it."""
    year = evaluation.cycle.year
    if evaluation.subject == Evaluation.Subject.COLLECTIVE:
        totals = {"assigned": 0, "completed": 0, "on_time": 0, "exceeded": 0}
        for org in ledger_units(evaluation):
            stats = ledger_selectors.unit_task_statistics(org, year=year)
            for key in totals:
                totals[key] += stats.totals[key]
        return LedgerFigures(**totals)
    assert evaluation.person is not None
    counts = ledger_selectors.person_task_counts(evaluation.person, year=year)
    score = None
    if rules.ledger_scores(ruleset_for(evaluation.cycle, evaluation)):
        score = ledger_selectors.person_results_score(evaluation.person, year=year)
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
    return map_to_facts(
        definition=template.definition if template else {},
        scoring=(
            CriteriaTemplate.Scoring.POINTS
            if is_points(template, evaluation)
            else CriteriaTemplate.Scoring.GRADES
        ),
        ledger_score=rules.ledger_scores(ruleset_for(evaluation.cycle, evaluation)),
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


@dataclass
class ReviewBasis:
    """An evaluation's template and ledger figures, computed once and handed on."""

    template: CriteriaTemplate | None
    ledger: LedgerFigures

    @classmethod
    def of(cls, evaluation: Evaluation) -> ReviewBasis:
        return cls(template=template_for(evaluation), ledger=ledger_figures(evaluation))


def ledger_products(evaluation: Evaluation) -> list[LedgerProduct]:
    """The person's ledger products of the cycle year, as the evidence check reads them
    (`kiemdiem.quantify.evidence`), in one query; none for a collective."""
    if evaluation.person_id is None:
        return []
    rows = (
        Product.objects.filter(
            result__task__person_id=evaluation.person_id, result__task__year=evaluation.cycle.year
        )
        .select_related("result__task")
        .order_by("result__task__assigned_on", "id")
    )
    return [
        LedgerProduct(
            task=p.result.task.title,
            assigned_on=p.result.task.assigned_on,
            label=f"{p.doc_kind_name} số {p.doc_symbol}".strip() if p.doc_symbol else p.title,
            dated=p.doc_date,
            symbol=p.doc_symbol,
        )
        for p in rows
    ]
