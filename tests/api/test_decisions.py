"""POST /api/v1/cycles/{id}/decisions/: the body is checked here, the hard limits by the
decision service; its refusals keep their code, message and details."""

from __future__ import annotations

import pytest

from kiemdiem.api import decisions, views
from kiemdiem.reviews.decisions.errors import DecisionItem, DecisionOutcome, DecisionRefused


@pytest.fixture
def calls(monkeypatch):
    """Replace the service by a recorder; `calls.refusal` makes it refuse."""

    class Recorder(list):
        refusal: DecisionRefused | None = None

    recorder = Recorder()

    def fake_decide(*, actor, cycle, items, request=None):
        recorder.append((actor.get_username(), cycle.pk, items))
        if recorder.refusal:
            raise recorder.refusal
        return DecisionOutcome(decided=[(i.evaluation, i.level, i.version + 1) for i in items])

    monkeypatch.setattr(decisions, "decide", fake_decide)
    return recorder


def _post(api, world, user, items):
    return api(user).post(f"/api/v1/cycles/{world.cycle.pk}/decisions/", {"decisions": items})


def test_a_decision_request_reaches_the_service_and_answers_what_it_decided(api, world, calls):
    items = [
        {"evaluation": world.collective.pk, "level": "HTTNV", "version": 1},
        {"evaluation": world.state.pk, "level": "HTXSNV", "version": 3, "reason": "Vượt chỉ tiêu"},
    ]
    response = _post(api, world, "thamquyen", items)
    assert response.status_code == 200
    assert response.json() == {
        "decided": [
            {"id": world.collective.pk, "level": "HTTNV", "version": 2},
            {"id": world.state.pk, "level": "HTXSNV", "version": 4},
        ]
    }
    assert calls == [
        (
            "thamquyen",
            world.cycle.pk,
            [
                DecisionItem(world.collective.pk, "HTTNV", 1, ""),
                DecisionItem(world.state.pk, "HTXSNV", 3, "Vượt chỉ tiêu"),
            ],
        )
    ]


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("forbidden", 403),
        ("conflict", 409),
        ("state", 422),
        ("order", 422),
        ("cap", 422),
        ("quota", 422),
        ("above_rules", 422),
        ("reason_required", 422),
    ],
)
def test_each_refusal_keeps_its_code_message_and_details(api, world, calls, code, status):
    calls.refusal = DecisionRefused(code, f"Phiếu S-ANH: {code}", {"evaluation": world.state.pk})
    response = _post(
        api, world, "thamquyen", [{"evaluation": world.state.pk, "level": "HTNV", "version": 1}]
    )
    assert response.status_code == status
    assert response.json() == {
        "error": {
            "code": code,
            "message": f"Phiếu S-ANH: {code}",
            "details": {"evaluation": world.state.pk},
        }
    }


def test_an_evaluation_outside_the_users_scope_is_404_and_never_reaches_the_service(
    api, world, calls
):
    response = _post(
        api,
        world,
        "truongphong",
        [
            {"evaluation": world.state.pk, "level": "HTNV", "version": 1},
            {"evaluation": world.outside.pk, "level": "HTNV", "version": 1},
        ],
    )
    assert response.status_code == 404
    assert response.json()["error"]["details"] == {"evaluations": [world.outside.pk]}
    assert calls == []


def test_a_cycle_the_user_cannot_see_is_404(api, world, calls):
    world.state.delete()
    world.party.delete()
    response = _post(
        api, world, "nhanvien", [{"evaluation": world.leader.pk, "level": "HTNV", "version": 1}]
    )
    assert response.status_code == 404
    assert calls == []


def test_the_same_evaluation_twice_is_invalid(api, world, calls):
    item = {"evaluation": world.state.pk, "level": "HTNV", "version": 1}
    response = _post(api, world, "thamquyen", [item, item])
    assert response.status_code == 422
    assert list(response.json()["error"]["details"]["fields"]) == ["decisions[1].evaluation"]
    assert calls == []


def test_decidable_filters_the_list_with_the_services_answer(api, world, monkeypatch):
    asked = []

    def fake_ids(actor, cycle):
        asked.append((actor.get_username(), cycle.pk))
        return {world.leader.pk, world.outside.pk}

    monkeypatch.setattr(views, "decidable_ids", fake_ids)
    body = (
        api("truongphong")
        .get(f"/api/v1/cycles/{world.cycle.pk}/evaluations/", {"decidable": "true"})
        .json()
    )
    # The outside one is not visible to the unit head, whatever the service says.
    assert [r["id"] for r in body["results"]] == [world.leader.pk]
    assert asked == [("truongphong", world.cycle.pk)]
