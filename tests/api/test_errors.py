"""Whatever a client sends, the answer is the error shape with a 4xx, never a 500."""

from __future__ import annotations

import pytest


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/evaluations/abc/",
        "/api/v1/evaluations/-1/",
        "/api/v1/evaluations/0/",
        "/api/v1/evaluations/99999999999999999999999999/",
        "/api/v1/cycles/1e3/evaluations/",
        "/api/v1/cycles/99999999999999999999/statistics/",
        "/api/v1/nothing-here/",
        "/api/v1/me",
    ],
)
def test_unknown_addresses_and_impossible_ids_are_json_404(api, path):
    _error(api("quantri").get(path), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page_size": "501"}, "page_size"),
        ({"page_size": "100000000000000000000"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page": "abc"}, "page"),
        ({"organization": "x"}, "organization"),
        ({"track": "both"}, "track"),
        ({"role": "boss"}, "role"),
        ({"state": "done"}, "state"),
        ({"decidable": "maybe"}, "decidable"),
        ({"page": ""}, "page"),
        ({"track": ""}, "track"),
        ({"organization": ""}, "organization"),
        ({"decidable": ""}, "decidable"),
        ({"track": "state\x00"}, "track"),
    ],
)
def test_bad_query_parameters_are_422_invalid_naming_the_field(api, world, query, field):
    response = api("quantri").get(f"/api/v1/cycles/{world.cycle.pk}/evaluations/", query)
    error = _error(response, 422, "invalid")
    assert list(error["details"]["fields"]) == [field]


def test_a_page_size_up_to_500_is_accepted(api, world):
    response = api("quantri").get(
        f"/api/v1/cycles/{world.cycle.pk}/evaluations/", {"page_size": "500"}
    )
    assert response.status_code == 200


def test_a_page_past_the_end_is_404_saying_how_many_pages_there_are(api, world):
    response = api("quantri").get(f"/api/v1/cycles/{world.cycle.pk}/evaluations/", {"page": "7"})
    error = _error(response, 404, "not_found")
    assert error["message"] == "Không có trang 7: danh sách có 1 trang."
    assert error["details"] == {"page": 7, "last": 1}


def test_an_unknown_organization_filter_is_404(api, world):
    response = api("quantri").get(
        f"/api/v1/cycles/{world.cycle.pk}/evaluations/", {"organization": "987654"}
    )
    _error(response, 404, "not_found")


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"\xff\xfe", b""],
)
def test_a_malformed_body_is_400(api, world, body):
    response = api("quantri").post(f"/api/v1/cycles/{world.cycle.pk}/decisions/", body)
    _error(response, 400, "malformed")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ([], ["decisions"]),
        ({"decisions": "all"}, ["decisions"]),
        ({"decisions": []}, ["decisions"]),
        ({"decisions": [1]}, ["decisions[0]"]),
        (
            {"decisions": [{"evaluation": "1", "level": "TOP", "version": True, "reason": 3}]},
            [
                "decisions[0].evaluation",
                "decisions[0].level",
                "decisions[0].version",
                "decisions[0].reason",
            ],
        ),
        (
            {"decisions": [{"evaluation": 10**30, "level": "HTNV", "version": 1}]},
            ["decisions[0].evaluation"],
        ),
    ],
)
def test_wrong_types_in_a_decision_request_are_422_invalid(api, world, body, fields):
    response = api("quantri").post(f"/api/v1/cycles/{world.cycle.pk}/decisions/", body)
    error = _error(response, 422, "invalid")
    assert list(error["details"]["fields"]) == fields


def test_a_wrong_method_is_405_in_the_error_shape(api, world):
    response = api("quantri").post("/api/v1/me/", {})
    _error(response, 405, "method_not_allowed")


def test_messages_are_vietnamese(api, world):
    response = api("quantri").get("/api/v1/evaluations/987654/")
    assert _error(response, 404, "not_found")["message"] == (
        "Không tìm thấy đối tượng, hoặc bạn không có quyền xem."
    )


def test_an_unsupported_query_parameter_is_refused_by_name(api, world):
    # A misspelt filter must not silently answer the whole list.
    response = api("quantri").get(
        f"/api/v1/cycles/{world.cycle.pk}/evaluations/", {"orgnization": world.cast.division.pk}
    )
    assert _error(response, 422, "invalid")["details"]["fields"] == {
        "orgnization": "Tham số không được hỗ trợ."
    }


@pytest.mark.parametrize("path", ["/api/v1/people/", "/api/v1/organizations/"])
def test_a_nul_character_in_a_search_is_422_not_a_database_error(api, world, path):
    # PostgreSQL refuses NUL in text; the answer must not depend on the database.
    error = _error(api("quantri").get(path, {"q": "a\x00b"}), 422, "invalid")
    assert error["details"]["fields"] == {"q": "Không được chứa ký tự NUL."}


def test_a_nul_character_in_a_reason_is_422(api, world):
    body = {"decisions": [{"evaluation": 1, "level": "HTNV", "version": 1, "reason": "a\x00"}]}
    response = api("quantri").post(f"/api/v1/cycles/{world.cycle.pk}/decisions/", body)
    assert _error(response, 422, "invalid")["details"]["fields"] == {
        "decisions[0].reason": "Không được chứa ký tự NUL."
    }
