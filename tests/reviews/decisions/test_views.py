"""The decision page, publication, history and petition pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kiemdiem.orgs.models import CadreManagement
from kiemdiem.reviews.decisions.selectors import decision_page
from kiemdiem.reviews.models import Evaluation, Petition
from tests.conftest import make_person, make_user
from tests.reviews.decisions.support import make_setup
from tests.reviews.evaluations.test_engine import GIVEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return make_setup()


def test_the_page_lists_levels_quota_and_what_comes_first(client, s):
    client.force_login(s.competent)
    body = client.get(reverse("decision_page", args=[s.cycle.pk])).content.decode()
    assert "Quyết định xếp loại" in body
    assert body.count('name="evaluation"') == 9
    assert "Cần quyết định trước" in body  # H waits for U
    assert "0/0" in body  # the meter of group G before any decision


def test_the_levels_read_by_their_abbreviations_and_not_rated_by_its_name(client, s):
    """No internal code where the decider reads: "not rated" has no abbreviation."""
    import re

    client.force_login(s.competent)
    body = client.get(reverse("decision_page", args=[s.cycle.pk])).content.decode()
    shown = re.sub(r"<[^>]+>", " ", body)  # the text, without tags and their attributes
    assert "NOT_RATED" not in shown
    assert '<option value="NOT_RATED">Không xếp loại</option>' in body
    assert '<option value="HTXSNV">HTXSNV</option>' in body


def test_a_refusal_is_shown_next_to_the_evaluation_and_nothing_written(client, s):
    client.force_login(s.competent)
    h = s.ev["H"]
    response = client.post(
        reverse("decision_submit", args=[s.cycle.pk]),
        {"only": h.pk, f"level_{h.pk}": "HTXSNV", f"version_{h.pk}": h.version},
    )
    assert response.status_code == 422
    assert "thứ tự đánh giá" in response.content.decode()
    assert not Evaluation.objects.exclude(decided_level="").exists()


def test_decide_a_group_then_publish_then_petition_from_the_history(client, s):
    client.force_login(s.competent)
    data = {"group": s.ev["S1"].peer_group_id}
    for n in range(1, 8):
        ev = s.ev[f"S{n}"]
        data[f"level_{ev.pk}"] = s.suggested[f"S{n}"]
        data[f"version_{ev.pk}"] = ev.version
    response = client.post(reverse("decision_submit", args=[s.cycle.pk]), data)
    assert response.status_code == 302
    assert Evaluation.objects.filter(status="decided").count() == 7
    client.post(reverse("decision_publish", args=[s.cycle.pk]))
    assert Evaluation.objects.filter(status="published").count() == 7
    author = make_user("canbo2", s.ev["S2"].person)
    client.force_login(author)
    url = reverse("evaluation_history", args=[s.ev["S2"].pk])
    page = client.get(url).content.decode()
    assert "evaluation.decide" in page and "evaluation.publish" in page and "Gửi kiến nghị" in page
    client.post(url, {"text": "Đề nghị xem xét lại"})
    assert Petition.objects.get().evaluation_id == s.ev["S2"].pk
    assert Evaluation.objects.get(pk=s.ev["S2"].pk).status == "reviewed"


def test_accept_every_proposal_the_rules_allow(client, s):
    for code, level in s.suggested.items():
        Evaluation.objects.filter(pk=s.ev[code].pk).update(proposed_level=level)
    client.force_login(s.competent)
    client.post(reverse("decision_submit", args=[s.cycle.pk]), {"accept": "1"})
    assert Evaluation.objects.filter(status="decided").count() == 9


def test_outsiders_see_no_rows(client, s):
    client.force_login(s.other_competent)
    response = client.get(reverse("decision_page", args=[s.cycle.pk]))
    assert response.status_code in (200, 403, 404)
    assert 'name="evaluation"' not in response.content.decode()


def _queries(actor, cycle) -> int:
    with CaptureQueriesContext(connection) as ctx:
        decision_page(actor, cycle)
    return len(ctx.captured_queries)


def test_the_page_query_count_does_not_grow_with_the_evaluations(s):
    _queries(s.competent, s.cycle)  # the user's role paths are remembered after the first
    before = _queries(s.competent, s.cycle)
    assert before <= 15
    group = s.ev["S1"].peer_group
    for n in range(40):
        person = make_person(f"Phạm Văn {GIVEN[n % 20]} {GIVEN[n // 20]}")
        CadreManagement.objects.create(manager=s.cycle.scope, person=person)
        Evaluation.objects.create(
            cycle=s.cycle,
            code=f"X{n}",
            subject="individual",
            role="staff",
            track="state",
            person=person,
            organization=s.cycle.scope,
            peer_group=group,
            status="verified",
        )
    assert len(decision_page(s.competent, s.cycle).rows) == 49
    assert _queries(s.competent, s.cycle) == before


def test_history_shows_a_suggestion_changed_since_submission(client, s):
    Evaluation.objects.filter(pk=s.ev["S1"].pk).update(
        submitted_suggestion={"level": "HTTNV"}, suggested_level="HTXSNV"
    )
    client.force_login(s.competent)
    body = client.get(reverse("evaluation_history", args=[s.ev["S1"].pk])).content.decode()
    # Levels by their Vietnamese names, as everywhere a person reads them.
    assert "Đã thay đổi so với lúc nộp: nay Hoàn thành xuất sắc nhiệm vụ" in body
