"""Issue 9's black-box acceptance on the demo: what a client sent that used to answer a 500, an
HTML page or a silently different list, now answered in the error shape of decisions.md §4."""

from __future__ import annotations

import json

import pytest

from kiemdiem.core.models import AuditEvent
from kiemdiem.reviews.models import Evaluation


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"} and error["code"] == code
    return error


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page_size": "²"}, "page_size"),  # str.isdigit says yes, int() says no
        ({"page": "²"}, "page"),
        ({"page": "１"}, "page"),  # a full-width digit: int() reads it, the contract does not
        ({"organization": "²"}, "organization"),
        ({"organization": "٤١"}, "organization"),
    ],
)
def test_digits_outside_ascii_are_422_invalid_not_500(api, world, query, field):
    response = api("quantri").get(f"/api/v1/cycles/{world.cycle.pk}/evaluations/", query)
    assert list(_error(response, 422, "invalid")["details"]["fields"]) == [field]


def test_statistics_refuse_a_superscript_organization_id(api, world):
    response = api("quantri").get(
        f"/api/v1/cycles/{world.cycle.pk}/statistics/", {"organization": "²"}
    )
    _error(response, 422, "invalid")


def test_a_repeated_filter_is_refused_rather_than_silently_reduced_to_its_last_value(api, world):
    response = api("quantri").get(
        f"/api/v1/cycles/{world.cycle.pk}/evaluations/?state=decided&state=draft"
    )
    error = _error(response, 422, "invalid")
    assert error["details"]["fields"] == {"state": "Chỉ được nêu tham số này một lần."}


def _decide_body(world, reason_json: str) -> str:
    """A raw body (json.dumps could not carry a lone surrogate escape or a bare NaN)."""
    item = {"evaluation": world.state.pk, "level": "HTTNV", "version": world.state.version}
    return json.dumps({"decisions": [{**item, "reason": "@"}]}).replace('"@"', reason_json)


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000,  # deeper than the parser's recursion limit
        '{"decisions": NaN}',
        '{"decisions": [{"evaluation": 1, "level": "HTTNV", "version": Infinity}]}',
    ],
)
def test_bodies_that_are_not_json_are_400_malformed(api, world, body):
    response = api("thamquyen").post(f"/api/v1/cycles/{world.cycle.pk}/decisions/", body)
    _error(response, 400, "malformed")


def test_a_lone_surrogate_in_a_reason_is_400_and_nothing_is_written(api, world):
    world.state.status = Evaluation.Status.VERIFIED
    world.state.save()
    client = api("quantri")  # creating its token is audited too
    events = AuditEvent.objects.count()
    response = client.post(
        f"/api/v1/cycles/{world.cycle.pk}/decisions/", _decide_body(world, '"x\\ud800y"')
    )
    _error(response, 400, "malformed")
    world.state.refresh_from_db()
    assert (world.state.decided_level, AuditEvent.objects.count()) == ("", events)


def test_a_lone_surrogate_in_a_write_body_is_400_malformed(api, world):
    response = api("nhanvien").post("/api/v1/tasks/", '{"title": "\\udc00"}')
    _error(response, 400, "malformed")


def test_a_body_over_the_upload_limit_is_400_in_the_error_shape_not_an_html_page(
    api, world, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api("thamquyen").post(
        f"/api/v1/cycles/{world.cycle.pk}/decisions/", _decide_body(world, '"' + "x" * 2000 + '"')
    )
    assert "quá lớn" in _error(response, 400, "malformed")["message"]


def test_head_is_get_without_the_body_and_other_methods_stay_405(api, world, client):
    headers = api("quantri").headers
    head = client.head(f"/api/v1/evaluations/{world.state.pk}/", headers=headers)
    assert head.status_code == 200 and head.content == b""
    put = client.put(f"/api/v1/evaluations/{world.state.pk}/", "{}", headers=headers)
    error = _error(put, 405, "method_not_allowed")
    assert error["details"] == {"allowed": ["GET", "HEAD"]}
    assert put["Allow"] == "GET, HEAD"
    # A POST-only address does not start answering HEAD.
    post_only = client.head(f"/api/v1/cycles/{world.cycle.pk}/decisions/", headers=headers)
    assert post_only.status_code == 405


def test_the_suggestion_reasons_are_the_vietnamese_sentences_of_the_pages(api, world):
    world.state.suggested_reasons = [
        {"rule": "ND335-4", "effect": "base", "detail": "score 92.5 ≥ 90"}
    ]
    world.state.save()
    reason = (
        api("tochuc")
        .get(f"/api/v1/evaluations/{world.state.pk}/")
        .json()["suggestion"]["reasons"][0]
    )
    assert reason["rule"] == "ND335-4" and reason["effect"] == "base"
    assert reason["detail"].startswith("Đạt mức Hoàn thành xuất sắc nhiệm vụ theo ")
    assert "92,5" in reason["detail"] and "score" not in reason["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/evaluations/n%0Ax/",
        "/api/v1/evaluations/1%0A/history/",
        "/api/v1/%0A",
    ],
)
def test_an_address_with_a_newline_is_the_json_404_not_django_s_html_page(api, world, path):
    _error(api("quantri").get(path), 404, "not_found")


def test_every_id_parameter_of_the_schema_states_the_largest_id_the_api_accepts(client, db):
    doc = client.get("/api/v1/schema/").json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                schema = param["schema"]
                if param["in"] == "query" and schema.get("type") == "integer":
                    assert "maximum" in schema, (method, path, param["name"])


def test_the_schema_names_every_error_code_and_its_status(client, db):
    doc = client.get("/api/v1/schema/").json()
    described = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]
    for status_code in (
        "400 malformed",
        "401 unauthenticated",
        "403 forbidden",
        "404 not_found",
        "405 method_not_allowed",
        "409 conflict",
        "422 invalid",
    ):
        assert status_code in described["description"]
    for rule in ("order", "cap", "quota", "above_rules", "reason_required", "state"):
        assert f" {rule}" in described["description"]


def test_the_schema_says_a_search_text_may_not_hold_nul(client, api, world):
    import re

    doc = client.get("/api/v1/schema/").json()
    for path in ("/api/v1/organizations/", "/api/v1/people/"):
        (q,) = [p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == "q"]
        pattern = re.compile(q["schema"]["pattern"])
        assert pattern.search("Nguyễn") and not pattern.search("a\x00b")
        assert api("quantri").get(path, {"q": "a\x00b"}).status_code == 422


def test_an_organization_named_with_a_superscript_digit_is_created(api, world):
    response = api("quantri").post(
        "/api/v1/organizations/", {"code": "T2", "kind": "cell_sub", "name": "Chi bộ Tổ 2²"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Chi bộ Tổ 2²"
