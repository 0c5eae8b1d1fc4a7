"""The demo's held review meeting (`kiemdiem demo-cycle`, DEBUG only): the demo unit head
(`truongphong`) holds the division's meeting through the same services as the meeting page —
attendance with one member absent for a stated reason, then comments, a vote tally and a
proposed level for the colleagues it reviews — so the unit's minutes (biên bản) print real
content. Dates are fixed, like the rest of the demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.meetings.models import Meeting
from kiemdiem.reviews.meetings.services import TALLY, Attendee, meeting_create, meeting_record

HELD_ON = dt.date(2026, 12, 10)
ABSENCE = "đi công tác theo Quyết định số 58/QĐ-SNV ngày 08/12/2026"
COMMENTS = (
    "Hoàn thành vượt mức chỉ tiêu thẩm định hồ sơ; cần chủ động hơn trong đề xuất cải tiến "
    "quy trình.",
    "Hoàn thành đúng hạn các nhiệm vụ được giao; cần nâng cao chất lượng văn bản tham mưu.",
)


def _attendance(cycle: Cycle, keep: set[int], reviewed: Sequence[Evaluation]) -> list[Attendee]:
    """The division's people (its individual evaluations), by name; the last one who is neither
    in `keep` (the chair, the secretary) nor reviewed is absent with a reason, when two thirds
    stay present."""
    org_id = reviewed[0].organization_id
    names = list(
        Evaluation.objects.filter(
            cycle=cycle, organization_id=org_id, subject=Evaluation.Subject.INDIVIDUAL
        )
        .exclude(person=None)
        .order_by("person__sort_key", "person_id")
        .values_list("person_id", "person__full_name")
        .distinct()
    )
    people: list[Attendee] = [{"name": name, "present": True} for _, name in names]
    keep = {*keep, *(e.person_id for e in reviewed)}
    absent = [i for i, (pk, _) in enumerate(names) if pk not in keep]
    if absent and (len(people) - 1) * 3 >= len(people) * 2:
        people[absent[-1]] = {
            "name": names[absent[-1]][1],
            "present": False,
            "absence_reason": ABSENCE,
        }
    return people


def hold_demo_meeting(
    cycle: Cycle, head: Any, secretary: Any, reviewed: Sequence[Evaluation]
) -> Meeting | None:
    """Hold the meeting of `reviewed`'s unit chaired by `head`, recording each of `reviewed`
    (submitted evaluations of that unit) at its self-assessed level; None without them."""
    if head is None or not reviewed or getattr(head, "person", None) is None:
        return None
    organization = reviewed[0].organization
    clerk = getattr(secretary, "person", None) or head.person
    attendance = _attendance(cycle, {head.person.pk, clerk.pk}, reviewed)
    meeting = meeting_create(
        actor=head,
        cycle=cycle,
        organization=organization,
        held_on=HELD_ON,
        place=f"Phòng họp tầng 2, trụ sở {organization.name}",
        chair=head.person.full_name,
        secretary=clerk.full_name,
        attendance=attendance,
    )
    votes = dict(zip(("HTXSNV", "HTTNV", "HTNV", "KHTNV"), TALLY, strict=True))
    for i, ev in enumerate(reviewed):
        level = ev.self_level or ev.suggested_level or "HTNV"
        key = votes.get(level, "votes_done")
        other = "votes_done" if key != "votes_done" else "votes_good"
        majority = meeting.present - 1 if meeting.present > 1 else meeting.present
        meeting_record(
            actor=head,
            meeting=meeting,
            evaluation=ev,
            level=level,
            comments=COMMENTS[i % len(COMMENTS)],
            tally={key: majority, other: meeting.present - majority},
        )
    return meeting
