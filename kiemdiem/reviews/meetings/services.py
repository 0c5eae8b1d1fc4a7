"""The review meeting (decisions.md §1 submitted → reviewed): held with a quorum, it records per
evaluation the comments, the vote tally (never more votes than people present), the confidence
vote for leaders (which sets `low_confidence_share`) and the level it proposes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User
from kiemdiem.core.audit import audit_record
from kiemdiem.core.transitions import transition
from kiemdiem.orgs.models import Organization
from kiemdiem.orgs.tree import covers
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.decisions.notices import subject_users, tell
from kiemdiem.reviews.evaluations.models import Evaluation, Level
from kiemdiem.reviews.evaluations.transitions import EVALUATION
from kiemdiem.reviews.meetings.access import can_run_meeting
from kiemdiem.reviews.meetings.models import Attendance, Meeting, MeetingEntry

LEADER_ROLES = frozenset({Evaluation.Role.LEADER, Evaluation.Role.LEADERSHIP})
TALLY = ("votes_excellent", "votes_good", "votes_done", "votes_not_done")


class Attendee(TypedDict, total=False):
    name: str
    present: bool
    absence_reason: str


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    cycle: Cycle,
    organization: Organization,
    held_on: dt.date,
    place: str,
    chair: str,
    secretary: str,
    attendance: list[Attendee],
) -> Meeting:
    """Record a meeting of `organization` and who attended (absent people need a reason)."""
    if not can_run_meeting(actor, organization):
        raise PermissionDenied(_("Chỉ người đứng đầu tập thể này mới được ghi hội nghị kiểm điểm."))
    errors: dict[str, list[str]] = {}
    for name, value in (("place", place), ("chair", chair), ("secretary", secretary)):
        if not value.strip():
            errors[name] = [_("Trường này không được để trống.")]
    if not attendance:
        errors["attendance"] = [_("Cần ghi danh sách người được triệu tập.")]
    for n, a in enumerate(attendance):
        if not a.get("name", "").strip():
            errors.setdefault("attendance", []).append(
                _("Dòng %(n)s: thiếu họ tên.") % {"n": n + 1}
            )
        elif not a.get("present", True) and not a.get("absence_reason", "").strip():
            errors.setdefault("attendance", []).append(
                _("%(name)s vắng mặt: cần ghi lý do vắng.") % {"name": a["name"]}
            )
    if errors:
        raise ValidationError(errors)
    present = sum(1 for a in attendance if a.get("present", True))
    meeting = Meeting.objects.create(
        cycle=cycle,
        organization=organization,
        held_on=held_on,
        place=place.strip(),
        chair=chair.strip(),
        secretary=secretary.strip(),
        expected=len(attendance),
        present=present,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            name=a["name"].strip(),
            present=a.get("present", True),
            absence_reason=a.get("absence_reason", "").strip(),
        )
        for a in attendance
    )
    audit_record(
        actor=actor,
        action="meeting.create",
        obj=meeting,
        after={"expected": meeting.expected, "present": present, "quorum": meeting.has_quorum},
    )
    return meeting


def _entry_errors(
    meeting: Meeting, ev: Evaluation, level: str, tally: dict[str, int], low: int | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if level not in Level.values:
        errors["level"] = [_("Chọn mức xếp loại hội nghị đề xuất.")]
    if any(v < 0 for v in tally.values()) or sum(tally.values()) > meeting.present:
        errors["votes"] = [
            _("Tổng số phiếu (%(votes)s) vượt số người có mặt (%(present)s).")
            % {"votes": sum(tally.values()), "present": meeting.present}
        ]
    if low is not None:
        if ev.role not in LEADER_ROLES:
            errors["low_confidence_votes"] = [_("Chỉ lấy phiếu tín nhiệm với lãnh đạo, quản lý.")]
        elif low < 0 or low > meeting.present:
            errors["low_confidence_votes"] = [
                _("Số phiếu tín nhiệm thấp vượt số người có mặt (%(present)s).")
                % {"present": meeting.present}
            ]
    return errors


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    meeting: Meeting,
    evaluation: Evaluation,
    level: str,
    comments: str = "",
    tally: dict[str, int] | None = None,
    low_confidence_votes: int | None = None,
) -> MeetingEntry:
    """The meeting's result for one evaluation: it moves to `reviewed` with `meeting_level`."""
    if not can_run_meeting(actor, meeting.organization):
        raise PermissionDenied(_("Chỉ người đứng đầu tập thể này mới được ghi kết quả hội nghị."))
    ev = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if ev.cycle_id != meeting.cycle_id or not covers([meeting.organization.path], ev.organization):
        raise PermissionDenied(_("Phiếu đánh giá này không thuộc tập thể của hội nghị."))
    if not meeting.has_quorum:
        raise ValidationError(
            _(
                "Hội nghị không đủ số lượng: có mặt %(present)s/%(expected)s, cần ít nhất hai phần ba."
            )
            % {"present": meeting.present, "expected": meeting.expected},
            code="quorum",
        )
    tally = {k: int((tally or {}).get(k, 0)) for k in TALLY}
    errors = _entry_errors(meeting, ev, level, tally, low_confidence_votes)
    if errors:
        raise ValidationError(errors)
    EVALUATION.target(ev.status, "review")
    entry = MeetingEntry.objects.create(
        meeting=meeting,
        evaluation=ev,
        comments=comments.strip(),
        low_confidence_votes=low_confidence_votes,
        level=level,
        **tally,
    )
    changes: dict[str, Any] = {"meeting_level": level, "version": ev.version + 1}
    if low_confidence_votes is not None:
        share = Decimal(low_confidence_votes) / Decimal(meeting.present)
        changes["low_confidence_share"] = share.quantize(Decimal("0.0001"))
    transition(
        machine=EVALUATION,
        obj=ev,
        action="review",
        actor=actor,
        changes=changes,
        audit_after={"meeting": meeting.pk, "level": level, **tally},
    )
    tell(subject_users(ev), ev, _("Hội nghị kiểm điểm đã xem xét phiếu của bạn"))
    return entry
