from __future__ import annotations

import pytest

from kiemdiem.core.transitions import transition
from kiemdiem.explain.render import explain_reason
from kiemdiem.reviews.evaluations.transitions import EVALUATION
from kiemdiem.reviews.models import Evaluation
from tests.conftest import make_org


def test_me_lists_the_users_roles_with_their_organizations(api, world):
    response = api("tochuc").get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {
        "username": "tochuc",
        "roles": [
            {
                "role": "personnel",
                "organization": {"id": world.cast.department.pk, "name": "Sở Nội vụ"},
            }
        ],
    }


def test_cycles_lists_what_the_user_can_see_paginated(api, world):
    body = api("kiemtra").get("/api/v1/cycles/").json()
    assert body == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": world.cycle.pk,
                "name": "Kiểm điểm năm 2026",
                "year": 2026,
                "quarter": None,
                "rules": {"party": "qd366", "state": "nd335"},
                "status": "open",
            }
        ],
    }


def test_a_staff_member_sees_the_cycle_of_their_own_evaluation_only(api, world):
    assert api("nhanvien").get("/api/v1/cycles/").json()["count"] == 1
    ids = [
        e["id"]
        for e in api("nhanvien")
        .get(f"/api/v1/cycles/{world.cycle.pk}/evaluations/")
        .json()["results"]
    ]
    assert ids == [world.state.pk, world.party.pk]


def test_an_evaluation_has_the_exact_shape_of_the_contract(api, world):
    response = api("tochuc").get(f"/api/v1/evaluations/{world.state.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": world.state.pk,
        "cycle": world.cycle.pk,
        "subject": {
            "kind": "individual",
            "id": world.cast.staff_person.pk,
            "name": "Nguyễn Thị Ánh",
        },
        "role": "staff",
        "track": "state",
        "organization": {"id": world.cast.division.pk, "name": "Phòng Công chức"},
        "peer_group": {"id": world.group.pk, "name": "Công chức Sở Nội vụ", "ratio": "0.20"},
        "state": "draft",
        "version": 1,
        "levels": {"self": "HTTNV", "meeting": None, "proposed": None, "decided": None},
        "suggestion": {
            "level": "HTTNV",
            "base_level": "HTXSNV",
            "flags": ["QUOTA_LIMITED"],
            "reasons": [
                {
                    "rule": "ND335-4",
                    "effect": "base",
                    # The sentence the pages show (explain_reasons), not the engine's detail.
                    "detail": explain_reason(
                        {"rule": "ND335-4", "effect": "base", "detail": "Điểm 92"},
                        base_level="HTXSNV",
                        level="HTTNV",
                    ).sentence,
                }
            ],
        },
        "depends_on": [],
    }


def test_depends_on_lists_the_references_decided_first(api, world):
    world.collective.manages.add(world.outside)
    sub = Evaluation.objects.create(
        cycle=world.cycle,
        code="O-TO",
        subject="collective",
        role="organization",
        organization=make_org("TO1", "Tổ 1", "division", world.cast.division),
        parent=world.collective,
    )
    leader = api("tochuc").get(f"/api/v1/evaluations/{world.leader.pk}/").json()
    party = api("quantri").get(f"/api/v1/evaluations/{world.party.pk}/").json()
    collective = api("tochuc").get(f"/api/v1/evaluations/{world.collective.pk}/").json()
    assert leader["depends_on"] == [world.collective.pk]
    assert party["depends_on"] == [world.state.pk]
    # A unit waits for the units it manages and its sub-units (which name it in `parent`).
    assert collective["depends_on"] == [world.outside.pk, sub.pk]
    assert collective["subject"] == {
        "kind": "collective",
        "id": world.cast.division.pk,
        "name": "Phòng Công chức",
    }
    assert collective["track"] is None and collective["peer_group"] is None


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ({}, ["S-ANH", "O-PCC", "S-DUC", "S-UNG"]),
        ({"track": "state"}, ["S-ANH", "S-DUC", "S-UNG"]),
        ({"role": "leader"}, ["S-DUC"]),
        ({"state": "decided"}, ["S-DUC", "S-UNG"]),
        ({"organization": "DIVISION"}, ["S-ANH", "O-PCC", "S-DUC"]),
        ({"organization": "SIBLING", "track": "state"}, ["S-UNG"]),
    ],
)
def test_the_evaluation_list_filters(api, world, query, codes):
    orgs = {"DIVISION": world.cast.division.pk, "SIBLING": world.cast.sibling.pk}
    if "organization" in query:
        query = {**query, "organization": orgs[query["organization"]]}
    body = api("tochuc").get(f"/api/v1/cycles/{world.cycle.pk}/evaluations/", query).json()
    by_id = {e.id: e.code for e in (world.state, world.collective, world.leader, world.outside)}
    assert [by_id[r["id"]] for r in body["results"]] == codes
    assert body["count"] == len(codes)


def test_pagination_links_walk_the_list(api, world):
    client = api("quantri")
    first = client.get(f"/api/v1/cycles/{world.cycle.pk}/evaluations/", {"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["previous"] is None
    assert "page=2" in first["next"] and "page_size=2" in first["next"]
    third = client.get(first["next"].replace("page=2", "page=3")).json()
    assert len(third["results"]) == 1 and third["next"] is None
    assert "page=2" in third["previous"]


def test_history_lists_the_audit_events_oldest_first(api, world):
    ev = world.state
    transition(machine=EVALUATION, obj=ev, action="submit", actor=world.cast.staff, reason="Nộp")
    response = api("nhanvien").get(f"/api/v1/evaluations/{ev.pk}/history/")
    assert response.status_code == 200
    body = response.json()
    assert [(e["actor"], e["action"], e["from"], e["to"], e["reason"]) for e in body] == [
        ("nhanvien", "evaluation.submit", "draft", "submitted", "Nộp")
    ]


def test_statistics_count_decided_levels_over_the_subtree_by_role(api, world):
    response = api("thamquyen").get(
        f"/api/v1/cycles/{world.cycle.pk}/statistics/",
        {"organization": world.cast.department.pk},
    )
    assert response.status_code == 200
    zero = {"HTXSNV": 0, "HTTNV": 0, "HTNV": 0, "KHTNV": 0, "NOT_RATED": 0, "undecided": 0}
    assert response.json() == {
        "organization": {"id": world.cast.department.pk, "name": "Sở Nội vụ"},
        "total": 4,
        "by_level": {**zero, "HTTNV": 1, "HTNV": 1, "undecided": 2},
        "by_role": {
            "leader": {**zero, "HTTNV": 1},
            "organization": {**zero, "undecided": 1},
            "staff": {**zero, "HTNV": 1, "undecided": 1},
        },
    }


def test_statistics_outside_the_users_scope_are_forbidden(api, world):
    response = api("truongphong").get(
        f"/api/v1/cycles/{world.cycle.pk}/statistics/", {"organization": world.cast.sibling.pk}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_the_evaluation_list_query_count_does_not_grow_with_the_page(
    api, world, django_assert_max_num_queries
):
    for i in range(30):
        Evaluation.objects.create(
            cycle=world.cycle,
            code=f"O-{i}",
            subject="collective",
            role="organization",
            organization=make_org(f"X{i}", f"Tổ {i}", "division", world.cast.department),
        )
    client = api("quantri")
    # token lookup + last-used update, cycle, count, page, manages prefetch
    with django_assert_max_num_queries(8):
        body = client.get(
            f"/api/v1/cycles/{world.cycle.pk}/evaluations/", {"page_size": 500}
        ).json()
    assert body["count"] == 35
