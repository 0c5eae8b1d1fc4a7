"""The meeting page (unit head, party-cell secretary) and the verification page (personnel).

Meeting: record the meeting of a collective the user heads (date, place, chair, secretary,
who was present, who was absent and why), then per submitted evaluation the level, comments,
vote tally and, for leaders, the confidence vote. Verification: per met evaluation the level the
advisory body proposes, its notes and related bodies' opinions. Every form is a plain POST to
one service; refusals come back on the page.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import User
from kiemdiem.accounts.models import Role
from kiemdiem.orgs.access import headed_org_ids
from kiemdiem.orgs.models import Organization
from kiemdiem.orgs.tree import under_any
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.access import holds, workflow_cycle
from kiemdiem.reviews.evaluations.models import Evaluation, Level
from kiemdiem.reviews.meetings.models import Meeting
from kiemdiem.reviews.meetings.services import TALLY, Attendee, meeting_create, meeting_record
from kiemdiem.reviews.verification.services import can_verify, verify

S = Evaluation.Status


def _meeting_orgs(user: User) -> list[Organization]:
    """The collectives whose meeting the user runs (their head). Not narrowed by the cycle's
    scope path: a cycle over the party province also holds state-track units."""
    return list(Organization.objects.filter(pk__in=headed_org_ids(user)).order_by("path"))


def _runs_a_meeting(user: User, cycle: Cycle) -> bool:
    return bool(user.is_superuser or _meeting_orgs(user))


def _attendance(present: str, absent: str) -> list[Attendee]:
    people: list[Attendee] = [
        {"name": line.strip(), "present": True} for line in present.splitlines() if line.strip()
    ]
    for line in absent.splitlines():
        if line.strip():
            name, _sep, reason = line.partition("—" if "—" in line else "-")
            people.append(
                {"name": name.strip(), "present": False, "absence_reason": reason.strip()}
            )
    return people


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = workflow_cycle(request.user, pk, _runs_a_meeting)
    orgs = _meeting_orgs(request.user)
    errors: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "create":
                org = get_object_or_404(Organization, pk=_int(request.POST.get("organization")))
                meeting_create(
                    actor=request.user,
                    cycle=cycle,
                    organization=org,
                    held_on=dt.date.fromisoformat(request.POST.get("held_on", "")),
                    place=request.POST.get("place", ""),
                    chair=request.POST.get("chair", ""),
                    secretary=request.POST.get("secretary", ""),
                    attendance=_attendance(
                        request.POST.get("present", ""), request.POST.get("absent", "")
                    ),
                )
                messages.success(request, _("Đã ghi hội nghị kiểm điểm."))
            else:
                meeting = get_object_or_404(Meeting, pk=_int(request.POST.get("meeting")))
                ev = get_object_or_404(Evaluation, pk=_int(request.POST.get("evaluation")))
                meeting_record(
                    actor=request.user,
                    meeting=meeting,
                    evaluation=ev,
                    level=request.POST.get("level", ""),
                    comments=request.POST.get("comments", ""),
                    tally={k: _int(request.POST.get(k)) or 0 for k in TALLY},
                    low_confidence_votes=_int(request.POST.get("low_confidence_votes")),
                )
                messages.success(request, _("Đã ghi kết quả hội nghị cho %(ev)s.") % {"ev": ev})
            return redirect("meeting_page", pk=cycle.pk)
        except ValueError:
            errors.append(_("Ngày họp không hợp lệ (dd/mm/yyyy)."))
        except ValidationError as exc:
            errors.extend(exc.messages)
        except PermissionDenied as exc:
            errors.append(str(exc))
    paths = [o.path for o in orgs]
    evaluations = (
        Evaluation.objects.filter(cycle=cycle, status__in=[S.SUBMITTED, S.REVIEWED])
        .filter(under_any(paths, "organization__path"))
        .select_related("person", "organization")
    )
    context = {
        "cycle": cycle,
        "orgs": orgs,
        "meetings": Meeting.objects.filter(cycle=cycle, organization__in=orgs),
        "evaluations": evaluations,
        "levels": Level.choices,
        "errors": errors,
    }
    return render(request, "reviews/meeting_page.html", context, status=422 if errors else 200)


@login_required
def verification_page(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = workflow_cycle(request.user, pk, holds(Role.PERSONNEL))
    errors: list[str] = []
    if request.method == "POST":
        ev = get_object_or_404(Evaluation, pk=_int(request.POST.get("evaluation")), cycle=cycle)
        try:
            verify(
                actor=request.user,
                evaluation=ev,
                proposed_level=request.POST.get("level", ""),
                notes=request.POST.get("notes", ""),
                opinions=request.POST.get("opinions", ""),
            )
            messages.success(request, _("Đã thẩm định %(ev)s.") % {"ev": ev})
            return redirect("verification_page", pk=cycle.pk)
        except (ValidationError, PermissionDenied) as exc:
            errors.extend(exc.messages if isinstance(exc, ValidationError) else [str(exc)])
    waiting = [
        ev
        for ev in Evaluation.objects.filter(cycle=cycle, status=S.REVIEWED).select_related(
            "person", "organization"
        )[:500]
        if can_verify(request.user, ev)
    ]
    context = {"cycle": cycle, "evaluations": waiting, "levels": Level.choices, "errors": errors}
    return render(request, "reviews/verification_page.html", context, status=422 if errors else 200)
