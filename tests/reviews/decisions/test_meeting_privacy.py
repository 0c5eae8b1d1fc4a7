"""A review meeting's comments and tallies are seen only by the meeting, the deciders and the
inspection committee until publication (issue 9), on every surface that shows them: the access
helper itself, the history page, and the API's evaluation and history documents."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from kiemdiem.accounts.models import Role
from kiemdiem.api.selectors import history
from kiemdiem.api.serializers import evaluation_json, event_json
from kiemdiem.reviews.decisions.errors import DecisionItem
from kiemdiem.reviews.decisions.services import decide
from kiemdiem.reviews.decisions.workflow import petition_file, publish
from kiemdiem.reviews.meetings.access import meeting_entries_for
from kiemdiem.reviews.meetings.services import meeting_create, meeting_record
from kiemdiem.reviews.models import Evaluation
from kiemdiem.reviews.verification.services import verify
from tests.conftest import make_person, make_user
from tests.reviews.decisions.support import make_setup

pytestmark = pytest.mark.django_db

SECRET = "Còn né tránh khi tự phê bình"
PEOPLE = [{"name": f"Người {n}", "present": True} for n in range(8)]


@pytest.fixture
def s():
    setup = make_setup()
    Evaluation.objects.filter(cycle=setup.cycle).update(status="submitted")
    Evaluation.objects.filter(code__in=[f"S{n}" for n in range(2, 8)]).update(
        status="decided", decided_level="HTTNV"
    )
    root = setup.cycle.scope
    setup.head = make_user("truongdonvi", role=Role.UNIT_HEAD, org=root)
    setup.personnel = make_user("tochuc", role=Role.PERSONNEL, org=root)
    setup.inspector = make_user("kiemtra", role=Role.INSPECTOR, org=root)
    setup.author = make_user("canbo1", Evaluation.objects.get(code="S1").person)
    setup.colleague = make_user("dongnghiep", make_person("Đồng Nghiệp"))
    m = meeting_create(
        actor=setup.head,
        cycle=setup.cycle,
        organization=root,
        held_on=dt.date(2025, 12, 10),
        place="Hội trường",
        chair="Người 0",
        secretary="Người 1",
        attendance=PEOPLE,
    )
    meeting_record(
        actor=setup.head,
        meeting=m,
        evaluation=setup.ev["S1"],
        level="HTTNV",
        comments=SECRET,
        tally={"votes_excellent": 2, "votes_good": 6},
    )
    return setup


def s1() -> Evaluation:
    return Evaluation.objects.get(code="S1")


def publish_s1(s) -> None:
    verify(actor=s.personnel, evaluation=s1(), proposed_level="HTTNV", notes="")
    ev = s1()
    decide(
        actor=s.competent,
        cycle=s.cycle,
        items=[DecisionItem(ev.pk, "HTTNV", ev.version, "Theo hội nghị")],
    )
    publish(actor=s.competent, cycle=s.cycle, evaluations=[s1()])


def history_page(client, user) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(reverse("evaluation_history", args=[s1().pk]))
    return response.status_code, response.content.decode()


def test_the_helper_gives_the_entries_to_the_meeting_deciders_and_inspection_only(s):
    readers = [s.head, s.competent, s.inspector]
    others = [s.author, s.personnel, s.other_competent, s.colleague]
    for user in readers:
        assert [e.comments for e in meeting_entries_for(user, s1())] == [SECRET], user
    for user in others:
        assert not meeting_entries_for(user, s1()).exists(), user


def test_after_publication_and_after_a_petition_the_subject_reads_them(s):
    publish_s1(s)
    assert [e.comments for e in meeting_entries_for(s.author, s1())] == [SECRET]
    petition_file(actor=s.author, evaluation=s1(), text="Đề nghị xem xét lại")
    assert s1().status == "reviewed"  # back before publication, but published once
    assert [e.comments for e in meeting_entries_for(s.author, s1())] == [SECRET]


def test_the_history_page_hides_comments_and_tally_before_publication(client, s):
    for user in (s.head, s.competent, s.inspector):
        status, body = history_page(client, user)
        assert status == 200 and SECRET in body and "8 phiếu / 8 người có mặt" in body
    for user in (s.author, s.personnel):
        status, body = history_page(client, user)
        assert status == 200  # they may see the evaluation …
        assert SECRET not in body and "phiếu / 8 người có mặt" not in body  # … not the meeting
    status, _body = history_page(client, s.colleague)
    assert status == 404  # not theirs to see: not found
    publish_s1(s)
    status, body = history_page(client, s.author)
    assert status == 200 and SECRET in body and "8 phiếu / 8 người có mặt" in body


def test_the_api_documents_never_carry_comments_or_tallies(s):
    """The API's evaluation and history documents show the meeting's level, never its record;
    the history's audit events carry the tally, so `event_json` must reduce them to states."""
    ev = s1()
    text = json.dumps(evaluation_json(ev, {}), ensure_ascii=False) + json.dumps(
        [event_json(e) for e in history(ev)], ensure_ascii=False
    )
    assert SECRET not in text
    assert "votes_" not in text
    assert json.loads(json.dumps(evaluation_json(ev, {})))["levels"]["meeting"] is not None
