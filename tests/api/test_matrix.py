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


# --- the writes of issue 12 and the reads that came with them ---------------------------------


@pytest.fixture
def scene(world):
    """One object for each write: the staff member's approved task with a result; their party
    self-review saved once (version 1); the division's collective submitted and a meeting of the
    division; their state evaluation reviewed, the department managing them (so its personnel
    role verifies)."""
    import datetime as dt
    from decimal import Decimal

    from kiemdiem.core.transitions import transition
    from kiemdiem.ledger.models import Result, Task
    from kiemdiem.orgs.services import cadre_management_set
    from kiemdiem.reviews.evaluations.transitions import EVALUATION
    from kiemdiem.reviews.meetings.services import meeting_create
    from kiemdiem.reviews.selfreview.services import self_review_save

    cast = world.cast
    task = Task.objects.create(
        person=cast.staff_person,
        organization=cast.division,
        year=2026,
        title="Thẩm định hồ sơ",
        target_quantity=Decimal(10),
        unit="hồ sơ",
        assigned_on=dt.date(2026, 1, 5),
        deadline=dt.date(2026, 6, 30),
        source="assigned",
        status="approved",
    )
    result = Result.objects.create(
        task=task, achieved_quantity=Decimal(3), completed_on=dt.date(2026, 3, 1), quality="meets"
    )
    self_review_save(
        actor=cast.staff,
        evaluation=world.party,
        expected_version=0,
        sections={},
        criteria={},
        proposed_level="HTTNV",
    )
    transition(machine=EVALUATION, obj=world.collective, action="submit", actor=cast.unit_head)
    meeting = meeting_create(
        actor=cast.unit_head,
        cycle=world.cycle,
        organization=cast.division,
        held_on=dt.date(2026, 12, 10),
        place="Phòng họp",
        chair="Trần Văn Đức",
        secretary="Nguyễn Thị Ánh",
        attendance=[{"name": f"Người {n}", "present": True} for n in range(4)],
    )
    cadre_management_set(actor=None, manager=cast.department, person=cast.staff_person)
    transition(machine=EVALUATION, obj=world.state, action="submit", actor=cast.staff)
    transition(
        machine=EVALUATION,
        obj=world.state,
        action="review",
        actor=cast.unit_head,
        changes={"meeting_level": "HTTNV", "version": world.state.version + 1},
    )
    return {"task": task, "result": result, "meeting": meeting}


def _version(ev):
    from kiemdiem.reviews.models import Evaluation

    return Evaluation.objects.get(pk=ev.pk).version


def _pdf():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile("bien-ban.pdf", out.getvalue())


def _call(client, world, scene, endpoint):
    """(method, path, body) of each endpoint against the scene's objects."""
    cast, task, result = world.cast, scene["task"], scene["result"]
    person_url = f"/api/v1/people/{cast.staff_person.pk}/"
    calls = {
        "task_list": lambda: client.get("/api/v1/tasks/"),
        "task_read": lambda: client.get(f"/api/v1/tasks/{task.pk}/"),
        "task_register": lambda: client.post(
            "/api/v1/tasks/",
            {"title": "Việc mới", "target_quantity": 1, "unit": "việc", "deadline": "2026-12-20"},
        ),
        "result_record": lambda: client.post(
            f"/api/v1/tasks/{task.pk}/results/",
            {"achieved_quantity": 2, "completed_on": "2026-04-01"},
        ),
        "product_add": lambda: client.post(
            f"/api/v1/results/{result.pk}/products/",
            {"kind": "count", "title": "hồ sơ", "quantity": 2},
        ),
        "file_add": lambda: client.upload(f"/api/v1/results/{result.pk}/files/", {"file": _pdf()}),
        "self_review_read": lambda: client.get(
            f"/api/v1/evaluations/{world.party.pk}/self-review/"
        ),
        "self_review_save": lambda: client.put(
            f"/api/v1/evaluations/{world.party.pk}/self-review/",
            {"version": 1, "proposed_level": "HTTNV"},
        ),
        "self_review_submit": lambda: client.post(
            f"/api/v1/evaluations/{world.party.pk}/self-review/submit/", {"version": 1}
        ),
        "meeting_list": lambda: client.get(f"/api/v1/cycles/{world.cycle.pk}/meetings/"),
        "meeting_create": lambda: client.post(
            f"/api/v1/cycles/{world.cycle.pk}/meetings/",
            {
                "organization": cast.division.pk,
                "held_on": "2026-12-11",
                "place": "Hội trường",
                "chair": "A",
                "secretary": "B",
                "attendance": [{"name": "A"}, {"name": "B"}],
            },
        ),
        "meeting_read": lambda: client.get(f"/api/v1/meetings/{scene['meeting'].pk}/"),
        "meeting_entry": lambda: client.post(
            f"/api/v1/meetings/{scene['meeting'].pk}/entries/",
            {
                "evaluation": world.collective.pk,
                "version": _version(world.collective),
                "level": "HTTNV",
            },
        ),
        "verify": lambda: client.post(
            f"/api/v1/evaluations/{world.state.pk}/verification/",
            {"version": _version(world.state), "proposed_level": "HTTNV"},
        ),
        "organization_create": lambda: client.post(
            "/api/v1/organizations/",
            {
                "code": "PKH",
                "name": "Phòng Kế hoạch",
                "kind": "division",
                "parent": cast.department.pk,
            },
        ),
        "organization_change": lambda: client.patch(
            f"/api/v1/organizations/{cast.division.pk}/", {"short_name": "PCC"}
        ),
        "person_create": lambda: client.post(
            "/api/v1/people/",
            {
                "full_name": "Phạm Thị Hoa",
                "gender": "female",
                "date_of_birth": "1990-04-02",
                "identity_number": "001190000123",
            },
        ),
        "person_change": lambda: client.patch(
            person_url,
            {
                "version": cast.staff_person.__class__.objects.get(
                    pk=cast.staff_person.pk
                ).updated_at.isoformat(),
                "phone": "0912345678",
            },
        ),
    }
    return calls[endpoint]()


#: endpoint → the status each role gets (roles not named: `default`). 404 where the object is
#: out of the role's sight, 403 where it is seen but the act is not the role's.
WRITES = {
    "task_list": ({}, 200),
    # The staff member's task: themself, and the scope roles over Phòng Công chức.
    "task_read": ({"bithu": 404, "kiemtra": 404}, 200),
    # The owner registers (a person with a current post); accounts without a person cannot.
    "task_register": ({"nhanvien": 201, "truongphong": 201}, 403),
    "result_record": ({"nhanvien": 201, "bithu": 404, "kiemtra": 404}, 403),
    "product_add": ({"nhanvien": 201, "bithu": 404, "kiemtra": 404}, 403),
    "file_add": ({"nhanvien": 201, "bithu": 404, "kiemtra": 404}, 403),
    # The party-track evaluation: seen by its author, the cell's secretary, the inspection
    # committee over the Tỉnh ủy, the superuser (VISIBLE); only its author writes it.
    "self_review_read": ({k: 200 for k in ("nhanvien", "bithu", "kiemtra", "quantri")}, 404),
    "self_review_save": ({"nhanvien": 200, "bithu": 403, "kiemtra": 403, "quantri": 403}, 404),
    "self_review_submit": ({"nhanvien": 200, "bithu": 403, "kiemtra": 403, "quantri": 403}, 404),
    "meeting_list": ({}, 200),
    # The division's head runs its meeting; the deciders over it read it.
    "meeting_create": ({"truongphong": 201, "quantri": 201}, 403),
    "meeting_read": ({"truongphong": 200, "thamquyen": 200, "quantri": 200}, 404),
    "meeting_entry": ({"truongphong": 201, "quantri": 201, "thamquyen": 403}, 404),
    # The advisory body of the level that manages the person: personnel over the department.
    "verify": (
        {"tochuc": 201, "quantri": 201, "bithu": 404, "kiemtra": 404},
        403,
    ),
    "organization_create": ({"tochuc": 201, "quantri": 201}, 403),
    "organization_change": ({"tochuc": 200, "quantri": 200}, 403),
    "person_create": ({"tochuc": 201, "quantri": 201}, 403),
    "person_change": ({"tochuc": 200, "quantri": 200}, 403),
}


@pytest.mark.parametrize("user", ROLES)
@pytest.mark.parametrize("endpoint", sorted(WRITES))
def test_the_writes_answer_each_role_as_its_rights_say(
    api, world, scene, media_root, user, endpoint
):
    special, default = WRITES[endpoint]
    response = _call(api(user), world, scene, endpoint)
    assert response.status_code == special.get(user, default), response.content.decode()
    if response.status_code >= 400:
        assert response.json()["error"]["code"] in ("forbidden", "not_found")
