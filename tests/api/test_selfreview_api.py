"""The self-review through the API (issue 12): read where the evaluation is visible, saved and
submitted by its author through the page's services, with the page's version guard (409)."""

from __future__ import annotations

import pytest

from kiemdiem.core.models import AuditEvent
from kiemdiem.reviews.models import Evaluation, SelfReview


def url(ev, suffix=""):
    return f"/api/v1/evaluations/{ev.pk}/self-review/{suffix}"


def test_an_unsaved_self_review_reads_as_an_empty_draft(api, world):
    body = api("nhanvien").get(url(world.state)).json()
    assert (body["status"], body["version"], body["sections"]) == ("draft", 0, {})
    assert body["evaluation_state"] == "draft"


def test_the_author_saves_with_the_version_read_and_a_stale_version_is_409(api, world):
    client = api("nhanvien")
    first = client.put(url(world.state), {"version": 0, "proposed_level": "HTTNV"})
    assert first.status_code == 200, first.json()
    assert (first.json()["version"], first.json()["proposed_level"]) == (1, "HTTNV")
    assert AuditEvent.objects.filter(action="self_review.save").count() == 1
    stale = client.put(url(world.state), {"version": 0, "proposed_level": "HTNV"})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    review = SelfReview.objects.get(evaluation=world.state)
    assert (review.version, review.proposed_level) == (1, "HTTNV")
    again = client.put(url(world.state), {"version": 1, "proposed_level": "HTNV"})
    assert again.json()["version"] == 2


@pytest.mark.parametrize(("user", "status"), [("truongphong", 403), ("ngoaidonvi", 404)])
def test_only_the_author_saves(api, world, user, status):
    response = api(user).put(url(world.state), {"version": 0, "proposed_level": "HTTNV"})
    assert response.status_code == status
    assert not SelfReview.objects.exists()


def test_a_malformed_save_names_the_fields(api, world):
    response = api("nhanvien").put(
        url(world.state), {"version": "1", "sections": [1], "criteria": {"a": None}, "x": 1}
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["details"]["fields"]) == {
        "version",
        "sections",
        "criteria",
        "x",
    }


def test_submission_carries_the_version_and_moves_the_evaluation(api, world):
    client = api("nhanvien")
    client.put(url(world.state), {"version": 0, "proposed_level": "HTTNV"})
    stale = client.post(url(world.state, "submit/"), {"version": 0})
    assert stale.status_code == 409
    assert SelfReview.objects.get(evaluation=world.state).status == "draft"
    done = client.post(url(world.state, "submit/"), {"version": 1})
    assert done.status_code == 200, done.json()
    assert (done.json()["status"], done.json()["evaluation_state"]) == ("submitted", "submitted")
    assert Evaluation.objects.get(pk=world.state.pk).status == "submitted"
    version = done.json()["version"]
    locked = client.put(url(world.state), {"version": version, "proposed_level": "HTNV"})
    assert locked.status_code == 422 and locked.json()["error"]["code"] == "locked"


def test_a_manager_reads_the_self_review_but_cannot_submit_it(api, world):
    api("nhanvien").put(url(world.state), {"version": 0, "proposed_level": "HTTNV"})
    assert api("truongphong").get(url(world.state)).json()["version"] == 1
    response = api("truongphong").post(url(world.state, "submit/"), {"version": 1})
    assert response.status_code == 403
