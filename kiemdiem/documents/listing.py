"""Rows → the list documents of `builders`: an organization's notice, minutes and dossier list,
a person's Mẫu 05, a re-rating decision (Mẫu 03).

The minutes are filled from the evaluations' meeting levels (`meeting_level`): the decision
workflow's meeting record (attendance, comments, tallies) is read by its own adapter when it
lands, filling the same `builders.Minutes`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone

from kiemdiem.documents import builders
from kiemdiem.documents.adapters import result_lines
from kiemdiem.documents.context import Heading, ListDoc, Signature
from kiemdiem.ledger.models import Task
from kiemdiem.orgs.models import Organization, OrgKind
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.models import Evaluation


def org_heading(organization: Organization, *, party: bool) -> Heading:
    return Heading(
        party=party,
        issuer_parent=organization.parent.name if organization.parent else "",
        issuer=organization.name,
        place=getattr(settings, "DOCUMENT_PLACE", "") or "…………",
        date=None,
    )


def is_party_org(organization: Organization) -> bool:
    return organization.kind in OrgKind.party_kinds()


def rated(evaluation: Evaluation, level: str) -> builders.Rated:
    if evaluation.person_id is None:
        return builders.Rated(evaluation.organization.name, "Tập thể", level)
    posts = getattr(evaluation.person, "current", [])
    detail = "; ".join(f"{p.title}, {p.organization.name}" for p in posts)
    return builders.Rated(
        evaluation.person.full_name, detail or evaluation.organization.name, level
    )


def minutes_item(evaluation: Evaluation) -> builders.MinutesItem:
    review = getattr(evaluation, "self_review", None)
    return builders.MinutesItem(
        name=rated(evaluation, "").name,
        self_level=evaluation.self_level or (review.proposed_level if review else ""),
        meeting_level=evaluation.meeting_level,
    )


def notice_doc(cycle: Cycle, organization: Organization, rows: Sequence[builders.Rated]) -> ListDoc:
    return builders.results_notice(
        heading=org_heading(organization, party=is_party_org(organization)),
        cycle_name=cycle.name,
        year=cycle.year,
        rated=list(rows),
        signer=Signature("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"),
    )


def minutes_doc(organization: Organization, items: Sequence[builders.MinutesItem]) -> ListDoc:
    return builders.meeting_minutes(
        builders.Minutes(
            heading=org_heading(organization, party=is_party_org(organization)),
            held_on=None,
            place="",
            chair="",
            secretary="",
            present=None,
            expected=len(items),
            items=list(items),
        )
    )


def dossier_doc(cycle: Cycle, organization: Organization, files: Sequence[str]) -> ListDoc:
    return builders.dossier_list(
        heading=org_heading(organization, party=is_party_org(organization)),
        year=cycle.year,
        entries=[(name, "") for name in files],
        signer=Signature("NGƯỜI LẬP DANH MỤC"),
    )


def self_assessment_doc(evaluation: Evaluation, tasks: Sequence[Task]) -> ListDoc:
    from kiemdiem.documents.adapters import heading_for

    cycle = evaluation.cycle
    period = f"quý {cycle.quarter} năm {cycle.year}" if cycle.quarter else f"năm {cycle.year}"
    subject = rated(evaluation, evaluation.self_level)
    return builders.self_assessment(
        heading=heading_for(evaluation),
        name=subject.name,
        detail=subject.detail,
        period=period,
        results=result_lines(tasks),
        level=evaluation.self_level,
        signer=Signature("NGƯỜI TỰ ĐÁNH GIÁ", subject.name),
    )


def rerating_doc(evaluation: Evaluation, *, previous_level: str, reason: str) -> ListDoc:
    """Mẫu 03 for an evaluation re-rated to its current decided level."""
    from kiemdiem.documents.adapters import heading_for

    return builders.rerating_decision(
        heading=heading_for(evaluation, day=timezone.localdate()),
        subject=rated(evaluation, evaluation.decided_level),
        previous_level=previous_level,
        reason=reason,
        signer=Signature("T/M CẤP CÓ THẨM QUYỀN"),
    )
