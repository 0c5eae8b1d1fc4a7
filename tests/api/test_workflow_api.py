"""Meetings and verification through the API (issue 12): the collective's head records its
meeting and the result per evaluation (→ reviewed); the advisory body verifies (→ verified);
each carries the evaluation's version (409 when stale, nothing written); others get 403/404."""

from __future__ import annotations

import pytest

from kiemdiem.core.models import AuditEvent
from kiemdiem.core.transitions import transition
from kiemdiem.orgs.services import cadre_management_set
from kiemdiem.reviews.evaluations.transitions import EVALUATION
from kiemdiem.reviews.meetings.models import Meeting, MeetingEntry
from kiemdiem.reviews.models import Evaluation
from kiemdiem.reviews.verification.models import Verification

PEOPLE = [{"name": f"Người {n}", "present": True} for n in range(5)] + [
    {"name": "Người vắng", "present": False, "absence_reason": "Đi công tác"}
]


def meeting_body(world, **kw):
    return {
        "organization": world.cast.division.pk,
        "held_on": "2026-12-10",
        "place": "Phòng họp tầng 2",
        "chair": "Trần Văn Đức",
        "secretary": "Nguyễn Thị Ánh",
        "attendance": PEOPLE,
        **kw,
    }


@pytest.fixture
def submitted(world):
    transition(machine=EVALUATION, obj=world.state, action="submit", actor=world.cast.staff)
    return Evaluation.objects.get(pk=world.state.pk)


def test_the_head_records_a_meeting_and_its_result(api, world, submitted):
    client = api("truongphong")
    created = client.post(f"/api/v1/cycles/{world.cycle.pk}/meetings/", meeting_body(world))
    assert created.status_code == 201, created.json()
    meeting = created.json()
    assert (meeting["expected"], meeting["present"], meeting["has_quorum"]) == (6, 5, True)
    entry = {
        "evaluation": submitted.pk,
        "version": submitted.version,
        "level": "HTTNV",
        "comments": "Hoàn thành tốt nhiệm vụ",
        "votes": {"votes_good": 4, "votes_done": 1},
    }
    response = client.post(f"/api/v1/meetings/{meeting['id']}/entries/", entry)
    assert response.status_code == 201, response.json()
    state = response.json()["evaluation_state"]
    assert (state["state"], state["version"]) == ("reviewed", submitted.version + 1)
    ev = Evaluation.objects.get(pk=submitted.pk)
    assert (ev.status, ev.meeting_level) == ("reviewed", "HTTNV")
    assert AuditEvent.objects.filter(action="meeting.create").exists()
    detail = client.get(f"/api/v1/meetings/{meeting['id']}/").json()
    assert detail["entries"][0]["votes"]["votes_good"] == 4
    assert len(detail["attendance"]) == 6


def test_a_stale_version_is_409_and_writes_nothing(api, world, submitted):
    client = api("truongphong")
    meeting = client.post(f"/api/v1/cycles/{world.cycle.pk}/meetings/", meeting_body(world))
    entry = {"evaluation": submitted.pk, "version": submitted.version + 5, "level": "HTTNV"}
    response = client.post(f"/api/v1/meetings/{meeting.json()['id']}/entries/", entry)
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    assert not MeetingEntry.objects.exists()
    assert Evaluation.objects.get(pk=submitted.pk).status == "submitted"


def test_more_votes_than_people_present_is_refused(api, world, submitted):
    client = api("truongphong")
    meeting = client.post(f"/api/v1/cycles/{world.cycle.pk}/meetings/", meeting_body(world))
    entry = {
        "evaluation": submitted.pk,
        "version": submitted.version,
        "level": "HTTNV",
        "votes": {"votes_good": 6},
    }
    response = client.post(f"/api/v1/meetings/{meeting.json()['id']}/entries/", entry)
    assert response.status_code == 422
    assert "votes" in response.json()["error"]["details"]["fields"]
    assert not MeetingEntry.objects.exists()


def test_a_draft_evaluation_cannot_be_reviewed(api, world):
    client = api("truongphong")
    meeting = client.post(f"/api/v1/cycles/{world.cycle.pk}/meetings/", meeting_body(world))
    entry = {"evaluation": world.state.pk, "version": world.state.version, "level": "HTTNV"}
    response = client.post(f"/api/v1/meetings/{meeting.json()['id']}/entries/", entry)
    assert response.status_code == 422 and response.json()["error"]["code"] == "state"


def test_a_staff_member_cannot_record_a_meeting(api, world):
    response = api("nhanvien").post(
        f"/api/v1/cycles/{world.cycle.pk}/meetings/", meeting_body(world)
    )
    assert response.status_code == 403 and not Meeting.objects.exists()


def test_an_absence_without_reason_names_the_field(api, world):
    body = meeting_body(world, attendance=[{"name": "A", "present": False}])
    response = api("truongphong").post(f"/api/v1/cycles/{world.cycle.pk}/meetings/", body)
    assert response.status_code == 422
    assert "attendance" in response.json()["error"]["details"]["fields"]
    assert not Meeting.objects.exists()


@pytest.fixture
def reviewed(world, submitted):
    """The staff member's evaluation after its meeting; the department manages the person."""
    cadre_management_set(actor=None, manager=world.cast.department, person=world.cast.staff_person)
    ev = Evaluation.objects.get(pk=submitted.pk)
    transition(
        machine=EVALUATION,
        obj=ev,
        action="review",
        actor=world.cast.unit_head,
        changes={"meeting_level": "HTTNV", "version": ev.version + 1},
    )
    return Evaluation.objects.get(pk=ev.pk)


def test_the_advisory_body_verifies(api, world, reviewed):
    response = api("tochuc").post(
        f"/api/v1/evaluations/{reviewed.pk}/verification/",
        {"version": reviewed.version, "proposed_level": "HTTNV", "notes": "Đủ hồ sơ"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["evaluation_state"]["state"] == "verified"
    ev = Evaluation.objects.get(pk=reviewed.pk)
    assert (ev.status, ev.proposed_level) == ("verified", "HTTNV")


def test_a_stale_verification_is_409(api, world, reviewed):
    response = api("tochuc").post(
        f"/api/v1/evaluations/{reviewed.pk}/verification/",
        {"version": reviewed.version - 1, "proposed_level": "HTTNV"},
    )
    assert response.status_code == 409
    assert not Verification.objects.exists()


@pytest.mark.parametrize(("user", "status"), [("truongphong", 403), ("nhanvien", 403)])
def test_others_cannot_verify(api, world, reviewed, user, status):
    response = api(user).post(
        f"/api/v1/evaluations/{reviewed.pk}/verification/",
        {"version": reviewed.version, "proposed_level": "HTTNV"},
    )
    assert response.status_code == status
    assert not Verification.objects.exists()
