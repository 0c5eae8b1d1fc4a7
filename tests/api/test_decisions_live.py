"""The decision endpoint over the real decision service: each hard limit of decisions.md §3
through the API, refused with its code and status and nothing written; a unit and its head
decided together pass; `?decidable=true` and the history follow."""

from __future__ import annotations

import pytest

from kiemdiem.accounts.models import Role
from kiemdiem.api.tokens import token_create
from kiemdiem.core.models import AuditEvent
from kiemdiem.reviews.models import Evaluation
from tests.api.conftest import ApiClient
from tests.conftest import make_user
from tests.reviews.decisions.support import make_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return make_setup()


@pytest.fixture
def as_user(client):
    return lambda user: ApiClient(client, token_create(actor=None, user=user))


def line(s, code, level, reason="", version=None):
    ev = Evaluation.objects.get(pk=s.ev[code].pk)
    out = {
        "evaluation": ev.pk,
        "level": level,
        "version": ev.version if version is None else version,
    }
    return {**out, "reason": reason} if reason else out


def snapshot(s):
    rows = Evaluation.objects.filter(cycle=s.cycle).values_list(
        "id", "status", "decided_level", "version"
    )
    return sorted(rows), AuditEvent.objects.count()


def post(api, s, lines):
    return api.post(f"/api/v1/cycles/{s.cycle.pk}/decisions/", {"decisions": lines})


def refused(api, s, lines, code, status=422):
    before = snapshot(s)
    response = post(api, s, lines)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    assert snapshot(s) == before  # nothing written
    return error


def test_a_unit_and_its_head_decided_together_answer_their_new_versions(s, as_user):
    api = as_user(s.competent)
    response = post(api, s, [line(s, "H", s.suggested["H"]), line(s, "U", s.suggested["U"])])
    assert response.status_code == 200
    decided = {d["id"]: d for d in response.json()["decided"]}
    assert decided == {
        s.ev["H"].pk: {"id": s.ev["H"].pk, "level": s.suggested["H"], "version": 2},
        s.ev["U"].pk: {"id": s.ev["U"].pk, "level": s.suggested["U"], "version": 2},
    }
    detail = api.get(f"/api/v1/evaluations/{s.ev['U'].pk}/").json()
    assert (detail["state"], detail["levels"]["decided"], detail["version"]) == (
        "decided",
        s.suggested["U"],
        2,
    )
    history = api.get(f"/api/v1/evaluations/{s.ev['U'].pk}/history/").json()
    last = history[-1]
    assert (last["actor"], last["action"], last["from"], last["to"]) == (
        "thamquyen",
        "evaluation.decide",
        "verified",
        "decided",
    )


def test_order_is_422_naming_what_comes_first(s, as_user):
    error = refused(as_user(s.competent), s, [line(s, "H", "HTXSNV")], "order")
    assert error["details"]["depends_on"] == s.ev["U"].pk


def test_a_user_who_sees_but_may_not_decide_is_403(s, as_user):
    # The personnel body over the same scope sees every evaluation but decides none.
    keeper = make_user("tochuc", role=Role.PERSONNEL, org=s.cycle.scope)
    refused(as_user(keeper), s, [line(s, "U", "HTXSNV")], "forbidden", 403)


def test_a_competent_level_elsewhere_gets_404_for_what_it_cannot_see(s, as_user):
    api = as_user(s.other_competent)
    before = snapshot(s)
    response = post(api, s, [line(s, "U", "HTXSNV")])
    assert response.status_code == 404 and snapshot(s) == before


def test_state_is_422(s, as_user):
    Evaluation.objects.filter(pk=s.ev["U"].pk).update(status="reviewed")
    refused(as_user(s.competent), s, [line(s, "U", "HTXSNV")], "state")


def test_a_stale_version_is_409_conflict_naming_who_changed_it(s, as_user):
    api = as_user(s.competent)
    assert post(api, s, [line(s, "U", "HTXSNV")]).status_code == 200
    error = refused(api, s, [line(s, "U", "HTTNV", "lý do", version=1)], "conflict", 409)
    assert "thamquyen" in error["message"] and error["details"]["version"] == 2


def test_above_rules_is_422(s, as_user):
    Evaluation.objects.filter(pk=s.ev["S7"].pk).update(general="average", tasks_exceeded=0)
    refused(as_user(s.competent), s, [line(s, "S7", "HTXSNV", "đề nghị")], "above_rules")


def test_cap_is_422(s, as_user):
    api = as_user(s.competent)
    assert post(api, s, [line(s, "U", "HTTNV", "chưa đạt chỉ tiêu")]).status_code == 200
    refused(api, s, [line(s, "H", "HTXSNV", "đề nghị")], "cap")


def test_quota_is_422_with_the_allowed_count(s, as_user):
    lines = [line(s, f"S{n}", "HTTNV") for n in range(3, 8)]
    lines += [line(s, "S1", "HTXSNV"), line(s, "S2", "HTXSNV", "xuất sắc")]
    error = refused(as_user(s.competent), s, lines, "quota")
    assert error["details"]["max_excellent"] == 1


def test_reason_required_is_422(s, as_user):
    refused(as_user(s.competent), s, [line(s, "S1", "HTTNV")], "reason_required")


def test_decidable_lists_what_this_user_may_decide_now(s, as_user):
    path = f"/api/v1/cycles/{s.cycle.pk}/evaluations/"
    mine = as_user(s.competent).get(path, {"decidable": "true", "page_size": 500}).json()
    assert {r["id"] for r in mine["results"]} == {e.pk for e in s.ev.values()}
    keeper = make_user("tochuc", role=Role.PERSONNEL, org=s.cycle.scope)
    theirs = as_user(keeper).get(path, {"decidable": "true"}).json()
    assert theirs["count"] == 0
    assert as_user(keeper).get(path).json()["count"] == len(s.ev)
