"""The OpenAPI 3 document: valid, listing every route, and describing what the API answers."""

from __future__ import annotations

import re

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from kiemdiem.api import urls


def _document(client) -> dict:
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def test_the_schema_is_a_valid_openapi_3_document_without_a_token(client, db):
    doc = _document(client)
    assert doc["openapi"].startswith("3.")
    validate(doc)


def test_every_route_of_the_api_is_in_the_schema(client, db):
    doc = _document(client)
    routes = {
        "/api/v1/" + re.sub(r"<int:pk>", "{id}", str(p.pattern))
        for p in urls.urlpatterns
        if p.name  # the catch-all 404 has no name
    }
    assert routes == set(doc["paths"])


def _conforms(doc: dict, path: str, method: str, status: int, body) -> None:
    schema = doc["paths"][path][method]["responses"][str(status)]["content"]["application/json"]
    OAS30Validator({**schema["schema"], "components": doc["components"]}).validate(body)


@pytest.mark.parametrize(
    ("template", "user"),
    [
        ("/api/v1/me/", "tochuc"),
        ("/api/v1/cycles/", "quantri"),
        ("/api/v1/cycles/{cycle}/evaluations/", "quantri"),
        ("/api/v1/cycles/{cycle}/statistics/", "quantri"),
        ("/api/v1/evaluations/{collective}/", "quantri"),
        ("/api/v1/evaluations/{state}/", "quantri"),
        ("/api/v1/evaluations/{state}/history/", "quantri"),
        ("/api/v1/organizations/", "nhanvien"),
        ("/api/v1/organizations/{org}/", "nhanvien"),
        ("/api/v1/people/", "quantri"),
        ("/api/v1/people/{person}/", "quantri"),
    ],
)
def test_answers_conform_to_the_schema(client, api, world, template, user):
    from kiemdiem.core.transitions import transition
    from kiemdiem.reviews.evaluations.transitions import EVALUATION

    transition(machine=EVALUATION, obj=world.state, action="submit", actor=world.cast.staff)
    ids = {
        "cycle": world.cycle.pk,
        "state": world.state.pk,
        "collective": world.collective.pk,
        "org": world.cast.division.pk,
        "person": world.cast.staff_person.pk,
    }
    path = template.format(**ids)
    doc = _document(client)
    key = re.sub(r"\{\w+\}", "{id}", template)
    response = api(user).get(path)
    assert response.status_code == 200
    _conforms(doc, key, "get", 200, response.json())
    if "{" in template:
        wrong = api(user).get(template.format(**dict.fromkeys(ids, 999999)))
        assert wrong.status_code == 404
        _conforms(doc, key, "get", 404, wrong.json())


def test_successful_writes_conform_to_the_schema(client, api, world):
    """Generated requests rarely name existing objects, so the success answers of the writes
    are checked here against the document."""
    doc = _document(client)
    staff, head, keeper = api("nhanvien"), api("truongphong"), api("tochuc")
    task = staff.post(
        "/api/v1/tasks/",
        {"title": "Việc", "target_quantity": 2, "unit": "việc", "deadline": "2026-12-20"},
    )
    assert task.status_code == 201
    _conforms(doc, "/api/v1/tasks/", "post", 201, task.json())
    _conforms(doc, "/api/v1/tasks/", "get", 200, staff.get("/api/v1/tasks/").json())
    _conforms(
        doc,
        "/api/v1/tasks/{id}/",
        "get",
        200,
        staff.get(f"/api/v1/tasks/{task.json()['id']}/").json(),
    )
    saved = staff.put(f"/api/v1/evaluations/{world.state.pk}/self-review/", {"version": 0})
    _conforms(doc, "/api/v1/evaluations/{id}/self-review/", "put", 200, saved.json())
    meeting = head.post(
        f"/api/v1/cycles/{world.cycle.pk}/meetings/",
        {
            "organization": world.cast.division.pk,
            "held_on": "2026-12-10",
            "place": "Phòng họp",
            "chair": "A",
            "secretary": "B",
            "attendance": [{"name": "A"}, {"name": "B", "present": False, "absence_reason": "Ốm"}],
        },
    )
    assert meeting.status_code == 201
    _conforms(doc, "/api/v1/cycles/{id}/meetings/", "post", 201, meeting.json())
    listed = head.get(f"/api/v1/cycles/{world.cycle.pk}/meetings/").json()
    _conforms(doc, "/api/v1/cycles/{id}/meetings/", "get", 200, listed)
    org = keeper.post(
        "/api/v1/organizations/",
        {
            "code": "PKH",
            "name": "Phòng Kế hoạch",
            "kind": "division",
            "parent": world.cast.department.pk,
        },
    )
    _conforms(doc, "/api/v1/organizations/", "post", 201, org.json())
    person = keeper.post(
        "/api/v1/people/",
        {
            "full_name": "Phạm Thị Hoa",
            "gender": "female",
            "date_of_birth": "1990-04-02",
            "identity_number": "001190000123",
        },
    )
    _conforms(doc, "/api/v1/people/", "post", 201, person.json())
    refused = staff.post("/api/v1/organizations/", {"code": 1})
    _conforms(doc, "/api/v1/organizations/", "post", 422, refused.json())
