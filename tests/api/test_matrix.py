"""The authorization matrix: every endpoint × every demo role × objects inside and outside the
role's scope → allowed (200), not found (404: outside scope looks like missing) or forbidden
(403: the statistics of an organization the user does not oversee; the tree itself is public).

The world (tests/api/conftest.py): cycle 1 over the Tỉnh ủy with five evaluations; cycle 2 over
the sibling division and cycle 3 over the cell, both without evaluations.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kiemdiem.api import decisions
from kiemdiem.reviews.decisions.errors import DecisionOutcome
from kiemdiem.reviews.models import Cycle

ROLES = ("nhanvien", "truongphong", "bithu", "tochuc", "thamquyen", "kiemtra", "quantri")
EVALUATIONS = ("state", "party", "collective", "leader", "outside")
#: Who sees which evaluation: its author, a scope role over its unit, a superuser.
VISIBLE = {
    "nhanvien": {"state", "party"},
    "truongphong": {"state", "collective", "leader"},
    "bithu": {"party"},
    "tochuc": {"state", "collective", "leader", "outside"},
    "thamquyen": {"state", "collective", "leader", "outside"},
    "kiemtra": {"party"},
    "quantri": set(EVALUATIONS),
}
#: Who sees which cycle: its viewers (record keepers, deciders, inspectors over its scope) and
#: whoever sees one of its evaluations.
CYCLES = {
    "nhanvien": {1},
    "truongphong": {1},
    "bithu": {1},
    "tochuc": {1, 2},
    "thamquyen": {1, 2},
    "kiemtra": {1, 3},
    "quantri": {1, 2, 3},
}
ORGS = ("division", "sibling", "department", "cell", "province_party")
#: Statistics: a scope role over the organization.
OVERSEES = {
    "nhanvien": set(),
    "truongphong": {"division"},
    "bithu": {"cell"},
    "tochuc": {"division", "sibling", "department"},
    "thamquyen": {"division", "sibling", "department"},
    "kiemtra": {"cell", "province_party"},
    "quantri": set(ORGS),
}


@pytest.fixture
def cycles(world):
    def other(scope, name):
        return Cycle.objects.create(
            name=name,
            year=2025,
            scope=scope,
            party_rules="qd366",
            state_rules="nd335",
            state_deadline=dt.date(2025, 12, 15),
            party_deadline=dt.date(2025, 12, 31),
        )

    return {
        1: world.cycle,
        2: other(world.cast.sibling, "Đợt của Phòng Tổ chức biên chế"),
        3: other(world.cast.cell, "Đợt của chi bộ"),
    }


@pytest.mark.parametrize("user", ROLES)
def test_me_answers_every_role(api, world, user):
    response = api(user).get("/api/v1/me/")
    assert response.status_code == 200 and response.json()["username"] == user


@pytest.mark.parametrize("user", ROLES)
def test_the_cycle_list_holds_exactly_the_visible_cycles(api, cycles, user):
    body = api(user).get("/api/v1/cycles/").json()
    assert {r["id"] for r in body["results"]} == {cycles[n].pk for n in CYCLES[user]}


@pytest.mark.parametrize("user", ROLES)
@pytest.mark.parametrize("number", (1, 2, 3))
def test_a_cycles_evaluations_inside_scope_or_404(api, world, cycles, user, number):
    response = api(user).get(f"/api/v1/cycles/{cycles[number].pk}/evaluations/")
    if number not in CYCLES[user]:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    shown = {r["id"] for r in response.json()["results"]}
    expected = {getattr(world, n).pk for n in VISIBLE[user]} if number == 1 else set()
    assert shown == expected


@pytest.mark.parametrize("user", ROLES)
@pytest.mark.parametrize("name", EVALUATIONS)
@pytest.mark.parametrize("suffix", ("", "history/"))
def test_an_evaluation_and_its_history_inside_scope_or_404(api, world, user, name, suffix):
    response = api(user).get(f"/api/v1/evaluations/{getattr(world, name).pk}/{suffix}")
    assert response.status_code == (200 if name in VISIBLE[user] else 404)
    if response.status_code == 404:
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("user", ROLES)
@pytest.mark.parametrize("org", ORGS)
def test_statistics_of_an_overseen_organization_or_403(api, world, user, org):
    response = api(user).get(
        f"/api/v1/cycles/{world.cycle.pk}/statistics/",
        {"organization": getattr(world.cast, org).pk},
    )
    assert response.status_code == (200 if org in OVERSEES[user] else 403)


@pytest.mark.parametrize("user", ROLES)
@pytest.mark.parametrize("number", (2, 3))
def test_statistics_of_a_cycle_out_of_sight_are_404(api, world, cycles, user, number):
    response = api(user).get(f"/api/v1/cycles/{cycles[number].pk}/statistics/")
    if number in CYCLES[user]:
        assert response.status_code in (200, 403)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("user", ROLES)
@pytest.mark.parametrize("name", EVALUATIONS)
def test_a_decision_reaches_the_service_only_for_a_visible_evaluation(
    api, world, monkeypatch, user, name
):
    """Who may *decide* is the decision service's answer (its `forbidden` → 403, tested in
    test_decisions.py); the API's own part is that nothing outside scope reaches it."""
    reached = []

    def fake_decide(*, actor, cycle, items, request=None):
        reached.append(items)
        return DecisionOutcome(decided=[(i.evaluation, i.level, i.version + 1) for i in items])

    monkeypatch.setattr(decisions, "decide", fake_decide)
    pk = getattr(world, name).pk
    response = api(user).post(
        f"/api/v1/cycles/{world.cycle.pk}/decisions/",
        {"decisions": [{"evaluation": pk, "level": "HTNV", "version": 1}]},
    )
    if name in VISIBLE[user]:
        assert response.status_code == 200 and len(reached) == 1
    else:
        assert response.status_code == 404 and reached == []


PEOPLE = ("staff_person", "head_person", "outsider_person")
#: Who sees which person: scope roles over a post or the party cell, colleagues, themself.
SEES_PERSON = {
    "nhanvien": {"staff_person", "head_person"},
    "truongphong": {"staff_person", "head_person"},
    "bithu": {"staff_person"},
    "tochuc": set(PEOPLE),
    "thamquyen": set(PEOPLE),
    "kiemtra": {"staff_person"},
    "quantri": set(PEOPLE),
}


@pytest.mark.parametrize("user", ROLES)
@pytest.mark.parametrize("name", PEOPLE)
def test_a_person_inside_scope_or_404(api, world, user, name):
    response = api(user).get(f"/api/v1/people/{getattr(world.cast, name).pk}/")
    assert response.status_code == (200 if name in SEES_PERSON[user] else 404)


@pytest.mark.parametrize("user", ROLES)
def test_the_tree_is_readable_by_every_role(api, world, user):
    assert api(user).get(f"/api/v1/organizations/{world.cast.sibling.pk}/").status_code == 200
    assert api(user).get("/api/v1/organizations/").json()["count"] == 8
