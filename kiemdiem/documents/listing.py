"""Rows → the list documents of `builders`: an organization's notice, minutes and dossier list,
a person's Mẫu 05, a re-rating decision (Mẫu 03).

The minutes are filled from the collective's review meeting (`reviews.meetings`: date, place,
chair, secretary, attendance with the absent and their reasons, the quorum, and per evaluation
the latest entry's comments, tally and proposed level). Without a recorded meeting they list
the subjects with the blanks left to fill by hand.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from django.conf import settings
from django.utils import timezone

from kiemdiem.core.models import AuditEvent
from kiemdiem.documents import builders
from kiemdiem.documents.adapters import result_lines
from kiemdiem.documents.context import Heading, ListDoc, Signature
from kiemdiem.ledger.models import Task
from kiemdiem.orgs.models import Organization, OrgKind
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.meetings.models import Meeting, MeetingEntry

RE_DECIDED = (Evaluation.Status.DECIDED, Evaluation.Status.PUBLISHED)


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


def meetings_for(cycle: Cycle, organization_ids: Sequence[int]) -> dict[int, Meeting]:
    """The latest review meeting of each organization in the cycle, with its attendance and
    entries (three queries whatever the number of organizations)."""
    meetings = (
        Meeting.objects.filter(cycle=cycle, organization_id__in=list(organization_ids))
        .prefetch_related("attendance", "entries")
        .order_by("organization_id", "held_on", "id")
    )
    return {m.organization_id: m for m in meetings}  # the latest wins


def _tally(entry: MeetingEntry) -> dict[str, int]:
    return {
        "HTXSNV": entry.votes_excellent,
        "HTTNV": entry.votes_good,
        "HTNV": entry.votes_done,
        "KHTNV": entry.votes_not_done,
    }


def _with_entry(item: builders.MinutesItem, entry: MeetingEntry | None) -> builders.MinutesItem:
    if entry is None:
        return item
    comments = entry.comments
    if entry.low_confidence_votes is not None:
        comments = f"{comments}\nPhiếu tín nhiệm thấp: {entry.low_confidence_votes}".strip()
    return replace(item, comments=comments, tallies=_tally(entry), meeting_level=entry.level)


def minutes_doc(
    organization: Organization,
    items: Sequence[tuple[int, builders.MinutesItem]],
    meeting: Meeting | None = None,
    hidden: Collection[int] = (),
) -> ListDoc:
    """The minutes of `organization`'s review meeting; `items` are (evaluation id, item) of the
    subjects reviewed, in order. Without a meeting the attendance is left blank. The comments
    and tallies of the evaluations in `hidden` are left out (the reader may not see them yet)."""
    heading = org_heading(organization, party=is_party_org(organization))
    if meeting is None:
        return builders.meeting_minutes(
            builders.Minutes(
                heading=heading,
                held_on=None,
                place="",
                chair="",
                secretary="",
                present=None,
                expected=len(items),
                items=[item for _, item in items],
            )
        )
    entries = {e.evaluation_id: e for e in meeting.entries.all()}  # ordered by id: latest wins
    absent = [
        f"{a.name} ({a.absence_reason})" if a.absence_reason else a.name
        for a in meeting.attendance.all()
        if not a.present
    ]
    return builders.meeting_minutes(
        builders.Minutes(
            heading=replace(heading, date=meeting.held_on),
            held_on=meeting.held_on,
            place=meeting.place,
            chair=meeting.chair,
            secretary=meeting.secretary,
            present=meeting.present,
            expected=meeting.expected,
            absent=absent,
            items=[
                _with_entry(item, None if pk in hidden else entries.get(pk)) for pk, item in items
            ],
            quorum=meeting.has_quorum,
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


def reratings_for(evaluations: Sequence[Evaluation]) -> dict[int, tuple[str, str]]:
    """The evaluations among `evaluations` re-rated after an annulment (366-44: the competent
    level annuls a published decision and decides again): evaluation id → (the annulled level,
    the annulment's reason), from the latest annulment's audit event (one query)."""
    again = [e for e in evaluations if e.status in RE_DECIDED and e.decided_level]
    if not again:
        return {}
    events = AuditEvent.objects.filter(
        action="evaluation.annul",
        object_type=Evaluation._meta.label_lower,
        object_id__in=[str(e.pk) for e in again],
    ).order_by("at", "id")
    return {
        int(e.object_id): (str((e.after or {}).get("annulled_level", "")), e.reason)
        for e in events  # the latest wins
    }


def rerating_doc(evaluation: Evaluation, *, previous_level: str, reason: str) -> ListDoc:
    """Mẫu 03 for an evaluation re-rated to its current decided level, dated by that decision."""
    from kiemdiem.documents.adapters import heading_for

    decided = evaluation.decided_at
    return builders.rerating_decision(
        heading=heading_for(
            evaluation, day=timezone.localdate(decided) if decided else timezone.localdate()
        ),
        subject=rated(evaluation, evaluation.decided_level),
        previous_level=previous_level,
        reason=reason,
        signer=Signature("T/M CẤP CÓ THẨM QUYỀN"),
    )
