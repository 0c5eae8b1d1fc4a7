"""The meeting page (unit head) and the verification page (personnel body)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kiemdiem.accounts.models import Role
from kiemdiem.reviews.models import Evaluation, Meeting
from tests.conftest import make_user
from tests.reviews.decisions.support import make_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    setup = make_setup()
    Evaluation.objects.filter(cycle=setup.cycle).update(status="submitted")
    setup.head = make_user("truongdonvi", role=Role.UNIT_HEAD, org=setup.cycle.scope)
    setup.personnel = make_user("tochuc", role=Role.PERSONNEL, org=setup.cycle.scope)
    return setup


def test_meeting_then_verification_through_the_pages(client, s):
    client.force_login(s.head)
    url = reverse("meeting_page", args=[s.cycle.pk])
    assert "Phiếu chờ hội nghị" in client.get(url).content.decode()
    client.post(
        url,
        {
            "action": "create",
            "organization": s.cycle.scope.pk,
            "held_on": "2025-12-10",
            "place": "Hội trường",
            "chair": "An",
            "secretary": "Bình",
            "present": "An\nBình\nChi",
            "absent": "Dũng — Đi công tác",
        },
    )
    meeting = Meeting.objects.get()
    assert (meeting.present, meeting.expected, meeting.has_quorum) == (3, 4, True)
    s1 = s.ev["S1"]
    refused = client.post(
        url, {"meeting": meeting.pk, "evaluation": s1.pk, "level": "HTTNV", "votes_good": "5"}
    )
    assert refused.status_code == 422 and "vượt số người có mặt" in refused.content.decode()
    client.post(
        url, {"meeting": meeting.pk, "evaluation": s1.pk, "level": "HTTNV", "votes_good": "3"}
    )
    assert Evaluation.objects.get(pk=s1.pk).status == "reviewed"
    client.force_login(s.personnel)
    vurl = reverse("verification_page", args=[s.cycle.pk])
    assert ">S1<" in client.get(vurl).content.decode()
    client.post(vurl, {"evaluation": s1.pk, "level": "HTTNV", "notes": "Đủ hồ sơ"})
    ev = Evaluation.objects.get(pk=s1.pk)
    assert (ev.status, ev.proposed_level) == ("verified", "HTTNV")


def test_the_meeting_page_is_for_heads(client, s):
    client.force_login(s.personnel)
    assert client.get(reverse("meeting_page", args=[s.cycle.pk])).status_code == 403


def test_home_todos_for_each_role(s):
    from kiemdiem.core.todos import todos_for

    s.cycle.status = "open"
    s.cycle.save(update_fields=["status"])
    assert [t.kind for t in todos_for(s.head) if t.kind == "meeting"] == ["meeting"]
    Evaluation.objects.filter(pk=s.ev["S1"].pk).update(status="reviewed")
    assert any(t.kind == "verify" and t.count == 1 for t in todos_for(s.personnel))
    Evaluation.objects.filter(pk=s.ev["S2"].pk).update(status="verified")
    assert any(t.kind == "decide" and t.count == 1 for t in todos_for(s.competent))
