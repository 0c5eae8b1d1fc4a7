"""Meetings and verifications through the API (issue 12), as their roles, through the page's
services (`reviews.meetings.services`, `reviews.verification.services`).

* A meeting is recorded by the head of the collective (`meetings.access.can_run_meeting`) and
  read, until publication as after, by the meeting, the deciders and the inspection committee
  over it (`can_see_meeting`); anyone else gets 404.
* Its result for one evaluation, and a verification, carry the evaluation's `version` as last
  read: the evaluation is locked and compared before the service runs, so a stale version is
  409 `conflict` with nothing written (the decision endpoint's rule, decisions.md §3).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import is_superuser
from kiemdiem.api import selectors
from kiemdiem.api.body import Body, max_length
from kiemdiem.api.errors import ApiError, invalid
from kiemdiem.api.http import api_view, json_response, object_or_404
from kiemdiem.api.pagination import paginate
from kiemdiem.orgs.access import headed_org_ids, scope_q
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.evaluations.models import Evaluation, Level
from kiemdiem.reviews.meetings.access import MEETING_READERS
from kiemdiem.reviews.meetings.models import Meeting, MeetingEntry
from kiemdiem.reviews.meetings.services import TALLY, Attendee, meeting_create, meeting_record
from kiemdiem.reviews.verification.services import verify

MAX_ATTENDANCE = 2000


def _visible_meetings(user: Any) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("organization")
    if is_superuser(user):
        return qs
    heads = sorted(headed_org_ids(user))
    return qs.filter(
        Q(organization_id__in=heads)
        | Q(organization__leads_id__in=heads)
        | scope_q(user, MEETING_READERS, "organization__path")
    )


def entry_json(e: MeetingEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "evaluation": e.evaluation_id,
        "level": e.level,
        "comments": e.comments,
        "votes": {k: getattr(e, k) for k in TALLY},
        "low_confidence_votes": e.low_confidence_votes,
        "recorded_at": e.recorded_at.isoformat(),
    }


def meeting_json(m: Meeting, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": m.pk,
        "cycle": m.cycle_id,
        "organization": {"id": m.organization_id, "name": m.organization.name},
        "held_on": m.held_on.isoformat(),
        "place": m.place,
        "chair": m.chair,
        "secretary": m.secretary,
        "expected": m.expected,
        "present": m.present,
        "has_quorum": m.has_quorum,
    }
    if detail:
        out["attendance"] = [
            {"name": a.name, "present": a.present, "absence_reason": a.absence_reason}
            for a in m.attendance.all()
        ]
        out["entries"] = [entry_json(e) for e in m.entries.all()]
    return out


def _attendance(body: Body) -> list[Attendee]:
    raw = body.data.get("attendance")
    if not isinstance(raw, list) or not 0 < len(raw) <= MAX_ATTENDANCE:
        body.errors["attendance"] = _("Cần danh sách người được triệu tập (1 đến %(max)s).") % {
            "max": MAX_ATTENDANCE
        }
        return []
    people: list[Attendee] = []
    for i, row in enumerate(raw):
        name, reason = (
            (row.get("name"), row.get("absence_reason", ""))
            if isinstance(row, dict)
            else (None, None)
        )
        present = row.get("present", True) if isinstance(row, dict) else None
        if (
            not isinstance(name, str)
            or not isinstance(reason, str)
            or not isinstance(present, bool)
            or set(row) - {"name", "present", "absence_reason"}
            or any("\x00" in s for s in (name, reason))
            or len(name.strip()) > 160
            or len(reason.strip()) > 255
        ):
            body.errors[f"attendance[{i}]"] = _(
                "Mỗi người: {“name”: văn bản ≤ 160 ký tự, “present”: true/false, "
                "“absence_reason”: văn bản ≤ 255 ký tự}."
            )
            continue
        people.append({"name": name, "present": present, "absence_reason": reason})
    return people


def _meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_for_api(request.user, pk)
    body = Body(request, ("organization", "held_on", "place", "chair", "secretary", "attendance"))
    values = {
        "organization": body.ref("organization", Organization.objects.all(), required=True),
        "held_on": body.date("held_on", required=True),
        "place": body.text("place", required=True, limit=max_length(Meeting, "place")),
        "chair": body.text("chair", required=True, limit=max_length(Meeting, "chair")),
        "secretary": body.text("secretary", required=True, limit=max_length(Meeting, "secretary")),
        "attendance": _attendance(body),
    }
    body.check()
    meeting = meeting_create(actor=request.user, cycle=cycle, **values)
    return json_response(meeting_json(meeting, detail=True), status=201)


@api_view("GET", "POST", params=("page", "page_size"))
def cycle_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the cycle's meetings the user may see; POST: record a meeting (its head)."""
    if request.method == "POST":
        return _meeting_create(request, pk)
    cycle = selectors.cycle_for_api(request.user, pk)
    qs = _visible_meetings(request.user).filter(cycle=cycle).order_by("held_on", "id")
    return json_response(paginate(request, qs, lambda rows: [meeting_json(m) for m in rows]))


@api_view("GET")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    qs = _visible_meetings(request.user).prefetch_related("attendance", "entries")
    return json_response(meeting_json(object_or_404(qs, pk), detail=True))


def _locked_at_version(user: Any, pk: Any, version: int | None) -> Evaluation:
    """The visible evaluation, locked, at the version the client read (409 otherwise)."""
    ev = object_or_404(
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("person", "organization")
        .filter(selectors.evaluation_visible_q(user)),
        pk,
    )
    if ev.version != version:
        raise ApiError(
            "conflict",
            _(
                "Phiếu đánh giá %(id)s đã thay đổi (phiên bản %(current)s, bạn gửi phiên bản "
                "%(sent)s): hãy đọc lại."
            )
            % {"id": ev.pk, "current": ev.version, "sent": version},
            {"evaluation": ev.pk, "version": ev.version},
        )
    return ev


def _state(ev: Evaluation) -> dict[str, Any]:
    ev.refresh_from_db(fields=["status", "version", "meeting_level", "proposed_level"])
    return {"id": ev.pk, "state": ev.status, "version": ev.version}


@api_view("POST")
def meeting_entries(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's result for one evaluation: it moves to `reviewed`."""
    meeting = object_or_404(_visible_meetings(request.user), pk)
    body = Body(
        request,
        ("evaluation", "version", "level", "comments", "votes", "low_confidence_votes"),
    )
    evaluation = body.integer("evaluation", required=True, minimum=1)
    version = body.integer("version", required=True, minimum=1)
    level = body.choice("level", Level.values, required=True)
    comments = body.text("comments")
    low = body.integer("low_confidence_votes", maximum=1_000_000)
    votes = body.data.get("votes", {})
    if not isinstance(votes, dict) or any(
        k not in TALLY or isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 1_000_000
        for k, v in votes.items()
    ):
        body.errors["votes"] = _("Cần một đối tượng {%(keys)s} với số nguyên không âm.") % {
            "keys": ", ".join(TALLY)
        }
    body.check()
    with transaction.atomic():
        ev = _locked_at_version(request.user, evaluation, version)
        entry = meeting_record(
            actor=request.user,
            meeting=meeting,
            evaluation=ev,
            level=level,
            comments=comments,
            tally=votes,
            low_confidence_votes=low,
        )
    return json_response({**entry_json(entry), "evaluation_state": _state(ev)}, status=201)


@api_view("POST")
def evaluation_verification(request: HttpRequest, pk: int) -> HttpResponse:
    """The advisory body's verification: the evaluation moves to `verified`."""
    selectors.evaluation_for_api(request.user, pk)
    body = Body(request, ("version", "proposed_level", "notes", "opinions"))
    version = body.integer("version", required=True, minimum=1)
    level = body.choice("proposed_level", Level.values, required=True)
    notes, opinions = body.text("notes"), body.text("opinions")
    body.check()
    if version is None:
        raise invalid({"version": _("Trường này là bắt buộc.")})
    with transaction.atomic():
        ev = _locked_at_version(request.user, pk, version)
        record = verify(
            actor=request.user, evaluation=ev, proposed_level=level, notes=notes, opinions=opinions
        )
    return json_response(
        {
            "id": record.pk,
            "proposed_level": record.proposed_level,
            "notes": record.notes,
            "opinions": record.opinions,
            "evaluation_state": _state(ev),
        },
        status=201,
    )
