"""The OpenAPI 3 document of the API (decisions.md §4), written by hand next to the views it
describes: the API is small, and a hand-written document needs no framework (README,
"Dependencies"). A test checks that every route of `kiemdiem.api.urls` is in it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from kiemdiem.api import schema_writes
from kiemdiem.api.http import MAX_INT, api_view, json_response
from kiemdiem.api.pagination import MAX_PAGE_SIZE
from kiemdiem.orgs.models import OrgKind
from kiemdiem.reviews.models import Evaluation, Level

LEVEL = {"type": "string", "enum": Level.values}
# OpenAPI 3.0: a nullable enum lists null among its values.
NULL_LEVEL = {"type": "string", "enum": [*Level.values, None], "nullable": True}
REF = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}
#: An event's "from"/"to": the workflow state, or the values a non-workflow event recorded.
SIDE = {"nullable": True, "oneOf": [{"type": "string"}, {"type": "object"}]}
COUNTS = {
    "type": "object",
    "properties": {k: {"type": "integer"} for k in (*Level.values, "undecided")},
}


#: Every code an answer's `error.code` may carry, with its status (decisions.md §3, §4).
ERROR_CODES = (
    "400 malformed (not UTF-8 JSON, or too large); 401 unauthenticated; 403 forbidden; "
    "404 not_found (also outside the user's scope, and a page past the end); "
    "405 method_not_allowed (any address, for a method it does not take; details.allowed); "
    "409 conflict (a stale version; details name who changed it); "
    "422 invalid (details.fields), or a rule of decisions.md §3: order, cap, quota, "
    "above_rules, reason_required, state."
)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(props: dict[str, Any], required: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = list(props)
    return out


SCHEMAS: dict[str, Any] = {
    "Error": _obj(
        {
            "error": _obj(
                {
                    "code": {"type": "string", "description": ERROR_CODES},
                    "message": {"type": "string", "description": "Vietnamese, for people"},
                    "details": {"type": "object"},
                }
            )
        }
    ),
    "Me": _obj(
        {
            "username": {"type": "string"},
            "roles": {
                "type": "array",
                "items": _obj({"role": {"type": "string"}, "organization": REF}),
            },
        }
    ),
    "Cycle": _obj(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "year": {"type": "integer"},
            "quarter": {"type": "integer", "nullable": True},
            "rules": _obj({"party": {"type": "string"}, "state": {"type": "string"}}),
            "status": {"type": "string"},
        }
    ),
    "Evaluation": _obj(
        {
            "id": {"type": "integer"},
            "cycle": {"type": "integer"},
            "subject": _obj(
                {
                    "kind": {"type": "string", "enum": Evaluation.Subject.values},
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                }
            ),
            "role": {"type": "string", "enum": Evaluation.Role.values},
            "track": {"type": "string", "enum": [*Evaluation.Track.values, None], "nullable": True},
            "organization": REF,
            "peer_group": {
                **_obj(
                    {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "ratio": {"type": "string"},
                    }
                ),
                "nullable": True,
            },
            "state": {"type": "string", "enum": Evaluation.Status.values},
            "version": {"type": "integer"},
            "levels": _obj({k: NULL_LEVEL for k in ("self", "meeting", "proposed", "decided")}),
            "suggestion": _obj(
                {
                    "level": NULL_LEVEL,
                    "base_level": NULL_LEVEL,
                    "flags": {"type": "array", "items": {"type": "string"}},
                    "reasons": {
                        "type": "array",
                        "items": _obj(
                            {
                                "rule": {"type": "string"},
                                "effect": {"type": "string"},
                                "detail": {"type": "string"},
                            }
                        ),
                    },
                }
            ),
            "depends_on": {"type": "array", "items": {"type": "integer"}},
        }
    ),
    "Event": _obj(
        {
            "at": {"type": "string", "format": "date-time"},
            "actor": {"type": "string", "nullable": True},
            "action": {"type": "string"},
            "from": SIDE,
            "to": SIDE,
            "reason": {"type": "string"},
        }
    ),
    "Statistics": _obj(
        {
            "organization": REF,
            "total": {"type": "integer"},
            "by_level": COUNTS,
            "by_role": {"type": "object", "additionalProperties": COUNTS},
        }
    ),
    "Organization": _obj(
        {
            "id": {"type": "integer"},
            "code": {"type": "string"},
            "name": {"type": "string"},
            "short_name": {"type": "string"},
            "kind": {"type": "string", "enum": OrgKind.values},
            "parent": {"type": "integer", "nullable": True},
            "party_organization": {"type": "integer", "nullable": True},
            "leads": {"type": "integer", "nullable": True},
            "is_active": {"type": "boolean"},
        }
    ),
    "Person": _obj(
        {
            "id": {"type": "integer"},
            "full_name": {"type": "string"},
            "gender": {"type": "string"},
            "employment": {"type": "string"},
            "positions": {
                "type": "array",
                "items": _obj(
                    {
                        "organization": REF,
                        "title": {"type": "string"},
                        "is_head": {"type": "boolean"},
                        "start_date": {"type": "string", "format": "date"},
                    }
                ),
            },
            "party_cell": {**REF, "nullable": True},
            "version": {"type": "string"},
        }
    ),
    "DecisionRequest": _obj(
        {
            "decisions": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["evaluation", "level", "version"],
                    "properties": {
                        "evaluation": {"type": "integer", "minimum": 1},
                        "level": LEVEL,
                        "version": {"type": "integer", "minimum": 1},
                        "reason": {"type": "string"},
                    },
                },
            }
        }
    ),
    "DecisionResult": _obj(
        {
            "decided": {
                "type": "array",
                "items": _obj(
                    {"id": {"type": "integer"}, "level": LEVEL, "version": {"type": "integer"}}
                ),
            }
        }
    ),
}


def _page(item: str) -> dict[str, Any]:
    return _obj(
        {
            "count": {"type": "integer"},
            "next": {"type": "string", "nullable": True},
            "previous": {"type": "string", "nullable": True},
            "results": {"type": "array", "items": _ref(item)},
        }
    )


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    # 401 (token) and 422 (an unsupported query parameter) may answer any operation.
    return {str(c): _json(_ref("Error"), "Error") for c in sorted({401, 422, *codes})}


def _param(name: str, schema: dict[str, Any], where: str = "query") -> dict[str, Any]:
    return {"name": name, "in": where, "required": where == "path", "schema": schema}


INT_ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
#: A search text: anything but NUL (refused by `_check_query`, PostgreSQL cannot hold it).
SEARCH = {"type": "string", "pattern": "^[^\\u0000]*$"}
ID = _param("id", {"type": "integer", "minimum": 1}, "path")
PAGING = [
    _param("page", {"type": "integer", "minimum": 1, "maximum": 999_999_999}),
    _param("page_size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}),
]


def _get(summary: str, ok: dict[str, Any], params: list[Any], *codes: int) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params,
            "responses": {"200": _json(ok), **_errors(*codes)},
        }
    }


PATHS: dict[str, Any] = {
    "/api/v1/me/": _get("The token's user and roles", _ref("Me"), [], 422),
    "/api/v1/cycles/": _get("Visible cycles", _page("Cycle"), PAGING, 404, 422),
    "/api/v1/cycles/{id}/evaluations/": _get(
        "Visible evaluations of a cycle",
        _page("Evaluation"),
        [
            ID,
            *PAGING,
            _param("organization", INT_ID),
            _param("track", {"type": "string", "enum": Evaluation.Track.values}),
            _param("role", {"type": "string", "enum": Evaluation.Role.values}),
            _param("state", {"type": "string", "enum": Evaluation.Status.values}),
            _param("decidable", {"type": "boolean"}),
        ],
        404,
        422,
    ),
    "/api/v1/cycles/{id}/decisions/": {
        "post": {
            "summary": "Decide levels (all or nothing)",
            "parameters": [ID],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("DecisionRequest")}},
            },
            "responses": {"200": _json(_ref("DecisionResult")), **_errors(400, 403, 404, 409, 422)},
        }
    },
    "/api/v1/cycles/{id}/statistics/": _get(
        "Decided levels over a subtree",
        _ref("Statistics"),
        [ID, _param("organization", INT_ID)],
        403,
        404,
        422,
    ),
    "/api/v1/evaluations/{id}/": _get("One evaluation", _ref("Evaluation"), [ID], 404, 422),
    "/api/v1/evaluations/{id}/history/": _get(
        "An evaluation's history, oldest first",
        {"type": "array", "items": _ref("Event")},
        [ID],
        404,
        422,
    ),
    "/api/v1/organizations/": _get(
        "The organization tree (every signed-in user)",
        _page("Organization"),
        [
            *PAGING,
            _param("parent", INT_ID),
            _param("under", INT_ID),
            _param("kind", {"type": "string", "enum": OrgKind.values}),
            _param("q", SEARCH),
        ],
        404,
        422,
    ),
    "/api/v1/organizations/{id}/": _get("One organization", _ref("Organization"), [ID], 404, 422),
    "/api/v1/people/": _get(
        "Visible people",
        _page("Person"),
        [
            *PAGING,
            _param("organization", INT_ID),
            _param("q", SEARCH),
        ],
        404,
        422,
    ),
    "/api/v1/people/{id}/": _get("One person", _ref("Person"), [ID], 404, 422),
    "/api/v1/schema/": {
        "get": {
            "summary": "This document",
            "security": [],
            "responses": {"200": _json({"type": "object"})},
        }
    },
}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "KiemDiem API",
            "version": "1",
            "description": "Kiểm điểm, đánh giá, xếp loại chất lượng — REST API (decisions.md §4).",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": schema_writes.merged(PATHS),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {**SCHEMAS, **schema_writes.SCHEMAS},
        },
    }


@api_view("GET", public=True)
def schema_view(request: HttpRequest) -> HttpResponse:
    return json_response(document())
