"""The OpenAPI description of the API's writes and of the reads that came with them (issue 12):
the ledger, the self-review, meetings, verification, and writing organizations and people.
Merged into `kiemdiem.api.schema.document()` (kept apart for the module size limit)."""

from __future__ import annotations

from typing import Any

from kiemdiem.api.http import MAX_INT
from kiemdiem.ledger.models import Product, Result, Task
from kiemdiem.orgs.models import EmploymentCategory, Gender, OrgKind
from kiemdiem.reviews.evaluations.models import Evaluation, Level
from kiemdiem.reviews.meetings.services import TALLY
from kiemdiem.reviews.selfreview.models import SelfReview

STR = {"type": "string"}
INT = {"type": "integer"}
NSTR = {"type": "string", "nullable": True}
DATE = {"type": "string", "format": "date"}
NUMBER = {"oneOf": [{"type": "number"}, {"type": "string"}]}
LEVEL = {"type": "string", "enum": Level.values}
REF = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": INT, "name": STR},
}
ID_IN = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
TEXT_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
#: What a client may send for the sections and criteria: text, or a number for a point.
SENT_MAP = {
    "type": "object",
    "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "number"}]},
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(props: dict[str, Any], required: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = list(props)
    return out


def body(props: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


EVALUATION_STATE = obj(
    {"id": INT, "state": {"type": "string", "enum": Evaluation.Status.values}, "version": INT}
)

SCHEMAS: dict[str, Any] = {
    "Product": obj(
        {
            "id": INT,
            "kind": {"type": "string", "enum": Product.Kind.values},
            "title": STR,
            "doc_symbol": STR,
            "doc_date": {**DATE, "nullable": True},
            "doc_issuer": STR,
            "file_name": STR,
            "url": STR,
            "quantity": NSTR,
        }
    ),
    "Result": obj(
        {
            "id": INT,
            "task": INT,
            "achieved_quantity": STR,
            "completed_on": DATE,
            "quality": {"type": "string", "enum": Result.Quality.values},
            "major_errors": INT,
            "delays": INT,
            "objective_cause": {"type": "boolean"},
            "note": STR,
            "products": {"type": "array", "items": ref("Product")},
        }
    ),
    "Task": obj(
        {
            "id": INT,
            "person": REF,
            "organization": REF,
            "year": INT,
            "title": STR,
            "description": STR,
            "target_quantity": STR,
            "unit": STR,
            "assigned_on": DATE,
            "deadline": DATE,
            "quality_requirement": STR,
            "weight": STR,
            "source": {"type": "string", "enum": Task.Source.values},
            "status": {"type": "string", "enum": Task.Status.values},
            "status_reason": STR,
            "results": {"type": "array", "items": ref("Result")},
        }
    ),
    "TaskRequest": body(
        {
            "title": STR,
            "target_quantity": NUMBER,
            "unit": STR,
            "deadline": DATE,
            "assigned_on": DATE,
            "year": INT,
            "description": STR,
            "quality_requirement": STR,
            "weight": NUMBER,
        },
        ("title", "target_quantity", "unit", "deadline"),
    ),
    "ResultRequest": body(
        {
            "achieved_quantity": NUMBER,
            "completed_on": DATE,
            "quality": {"type": "string", "enum": Result.Quality.values},
            "major_errors": INT,
            "delays": INT,
            "note": STR,
        },
        ("achieved_quantity", "completed_on"),
    ),
    "ProductRequest": body(
        {
            "kind": {"type": "string", "enum": ["document", "link", "count"]},
            "title": STR,
            "reference": {"type": "string", "description": "document: the citation as written"},
            "url": {"type": "string", "description": "link: http(s) address"},
            "quantity": NUMBER,
        },
        ("kind",),
    ),
    "SelfReview": obj(
        {
            "evaluation": INT,
            "status": {"type": "string", "enum": SelfReview.Status.values},
            "version": INT,
            "sections": TEXT_MAP,
            "criteria": TEXT_MAP,
            "proposed_level": {**LEVEL, "enum": [*Level.values, None], "nullable": True},
            "quantification": INT,
            "returned_reason": STR,
            "submitted_at": {"type": "string", "format": "date-time", "nullable": True},
            "evaluation_state": {"type": "string", "enum": Evaluation.Status.values},
            "evaluation_version": INT,
            "errors": TEXT_MAP,
        }
    ),
    "SelfReviewRequest": body(
        {
            "version": {"type": "integer", "minimum": 0},
            "sections": SENT_MAP,
            "criteria": SENT_MAP,
            "proposed_level": STR,
            "shortcomings_previous": STR,
            "shortcomings_remedied": STR,
        },
        ("version",),
    ),
    "VersionRequest": body({"version": {"type": "integer", "minimum": 0}}, ("version",)),
    "MeetingEntry": obj(
        {
            "id": INT,
            "evaluation": INT,
            "level": LEVEL,
            "comments": STR,
            "votes": obj({k: INT for k in TALLY}),
            "low_confidence_votes": {"type": "integer", "nullable": True},
            "recorded_at": {"type": "string", "format": "date-time"},
        }
    ),
    "Meeting": obj(
        {
            "id": INT,
            "cycle": INT,
            "organization": REF,
            "held_on": DATE,
            "place": STR,
            "chair": STR,
            "secretary": STR,
            "expected": INT,
            "present": INT,
            "has_quorum": {"type": "boolean"},
        }
    ),
    "MeetingDetail": {
        "allOf": [
            ref("Meeting"),
            obj(
                {
                    "attendance": {
                        "type": "array",
                        "items": obj(
                            {"name": STR, "present": {"type": "boolean"}, "absence_reason": STR}
                        ),
                    },
                    "entries": {"type": "array", "items": ref("MeetingEntry")},
                }
            ),
        ]
    },
    "MeetingRequest": body(
        {
            "organization": ID_IN,
            "held_on": DATE,
            "place": STR,
            "chair": STR,
            "secretary": STR,
            "attendance": {
                "type": "array",
                "minItems": 1,
                "items": body(
                    {"name": STR, "present": {"type": "boolean"}, "absence_reason": STR},
                    ("name",),
                ),
            },
        },
        ("organization", "held_on", "place", "chair", "secretary", "attendance"),
    ),
    "MeetingEntryRequest": body(
        {
            "evaluation": ID_IN,
            "version": ID_IN,
            "level": LEVEL,
            "comments": STR,
            "votes": body({k: {"type": "integer", "minimum": 0} for k in TALLY}),
            "low_confidence_votes": {"type": "integer", "minimum": 0},
        },
        ("evaluation", "version", "level"),
    ),
    "MeetingEntryResult": {
        "allOf": [ref("MeetingEntry"), obj({"evaluation_state": EVALUATION_STATE})]
    },
    "VerificationRequest": body(
        {"version": ID_IN, "proposed_level": LEVEL, "notes": STR, "opinions": STR},
        ("version", "proposed_level"),
    ),
    "Verification": obj(
        {
            "id": INT,
            "proposed_level": LEVEL,
            "notes": STR,
            "opinions": STR,
            "evaluation_state": EVALUATION_STATE,
        }
    ),
    "OrganizationRequest": body(
        {
            "code": STR,
            "name": STR,
            "short_name": STR,
            "kind": {"type": "string", "enum": OrgKind.values},
            "parent": ID_IN,
            "party_organization": ID_IN,
            "leads": ID_IN,
            "position": {"type": "integer", "minimum": 0},
        },
        ("code", "name", "kind"),
    ),
    "OrganizationChange": body(
        {
            "code": STR,
            "name": STR,
            "short_name": STR,
            "party_organization": {**ID_IN, "nullable": True},
            "parent": {**ID_IN, "nullable": True},
            "position": {"type": "integer", "minimum": 0},
            "is_active": {"type": "boolean"},
            "reason": STR,
        }
    ),
    "PersonRequest": body(
        {
            "full_name": STR,
            "gender": {"type": "string", "enum": Gender.values},
            "date_of_birth": DATE,
            "identity_number": {"type": "string", "description": "CCCD, 12 digits"},
            "employment": {"type": "string", "enum": EmploymentCategory.values},
            "email": STR,
            "phone": STR,
        },
        ("full_name", "gender", "date_of_birth", "identity_number"),
    ),
    "PersonChange": body(
        {
            "version": {"type": "string", "description": "the Person's `version` as read"},
            "full_name": STR,
            "gender": {"type": "string", "enum": Gender.values},
            "date_of_birth": DATE,
            "identity_number": STR,
            "employment": {"type": "string", "enum": EmploymentCategory.values},
            "email": STR,
            "phone": STR,
        },
        ("version",),
    ),
}


# --- paths ------------------------------------------------------------------------------------


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    # 401 (token) and 422 (an unsupported parameter or field) may answer any operation.
    return {str(c): _json(ref("Error"), "Error") for c in sorted({401, 422, *codes})}


def _param(name: str, schema: dict[str, Any], where: str = "query") -> dict[str, Any]:
    return {"name": name, "in": where, "required": where == "path", "schema": schema}


ID = _param("id", {"type": "integer", "minimum": 1}, "path")
PAGING = [
    _param("page", {"type": "integer", "minimum": 1, "maximum": 999_999_999}),
    _param("page_size", {"type": "integer", "minimum": 1, "maximum": 500}),
]
#: Writes answer 400 (not JSON), 403 (the service refused the actor), 404 (out of sight),
#: 409 (a stale version) and 422 (invalid, or a rule or state refusing it).
WRITE_ERRORS = (400, 403, 404, 409, 422)


def page(item: str) -> dict[str, Any]:
    return obj(
        {
            "count": INT,
            "next": NSTR,
            "previous": NSTR,
            "results": {"type": "array", "items": ref(item)},
        }
    )


def get(summary: str, ok: dict[str, Any], params: list[Any]) -> dict[str, Any]:
    return {
        "summary": summary,
        "parameters": params,
        "responses": {"200": _json(ok), **_errors(404, 422)},
    }


def write(
    summary: str,
    request: str,
    ok: dict[str, Any],
    *,
    status: int = 201,
    params: tuple[Any, ...] = (ID,),
    media: str = "application/json",
) -> dict[str, Any]:
    schema = ref(request) if media == "application/json" else REQUESTS[request]
    return {
        "summary": summary,
        "parameters": list(params),
        "requestBody": {"required": True, "content": {media: {"schema": schema}}},
        "responses": {str(status): _json(ok), **_errors(*WRITE_ERRORS)},
    }


REQUESTS = {
    "FileUpload": {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}, "title": STR},
    }
}

PATHS: dict[str, Any] = {
    "/api/v1/tasks/": {
        "get": get(
            "Ledger tasks the user may see (own, or in scope)",
            page("Task"),
            [
                *PAGING,
                _param("year", {"type": "integer", "minimum": 1, "maximum": 9999}),
                _param("person", ID_IN),
                _param("status", {"type": "string", "enum": Task.Status.values}),
            ],
        ),
        "post": write("Register a task of one's own", "TaskRequest", ref("Task"), params=()),
    },
    "/api/v1/tasks/{id}/": {"get": get("One task, its results and products", ref("Task"), [ID])},
    "/api/v1/tasks/{id}/results/": {
        "post": write("Record a delivery (the task's owner)", "ResultRequest", ref("Result"))
    },
    "/api/v1/results/{id}/products/": {
        "post": write("Add evidence: document, link, count", "ProductRequest", ref("Product"))
    },
    "/api/v1/results/{id}/files/": {
        "post": write(
            "Upload an evidence file", "FileUpload", ref("Product"), media="multipart/form-data"
        )
    },
    "/api/v1/evaluations/{id}/self-review/": {
        "get": get("The self-review of an evaluation", ref("SelfReview"), [ID]),
        "put": write(
            "Save the self-review (its author)", "SelfReviewRequest", ref("SelfReview"), status=200
        ),
    },
    "/api/v1/evaluations/{id}/self-review/submit/": {
        "post": write("Submit the self-review", "VersionRequest", ref("SelfReview"), status=200)
    },
    "/api/v1/evaluations/{id}/verification/": {
        "post": write(
            "Verify (the advisory body): → verified", "VerificationRequest", ref("Verification")
        )
    },
    "/api/v1/cycles/{id}/meetings/": {
        "get": get("Meetings of a cycle the user may see", page("Meeting"), [ID, *PAGING]),
        "post": write("Record a meeting (its head)", "MeetingRequest", ref("MeetingDetail")),
    },
    "/api/v1/meetings/{id}/": {"get": get("One meeting", ref("MeetingDetail"), [ID])},
    "/api/v1/meetings/{id}/entries/": {
        "post": write(
            "The meeting's result for one evaluation: → reviewed",
            "MeetingEntryRequest",
            ref("MeetingEntryResult"),
        )
    },
}

#: Writes added to paths the read floor already describes.
EXTRA_METHODS: dict[str, dict[str, Any]] = {
    "/api/v1/organizations/": {
        "post": write(
            "Create an organization (record keepers)",
            "OrganizationRequest",
            ref("Organization"),
            params=(),
        )
    },
    "/api/v1/organizations/{id}/": {
        "patch": write(
            "Change an organization; `parent` moves it",
            "OrganizationChange",
            ref("Organization"),
            status=200,
        )
    },
    "/api/v1/people/": {
        "post": write("Create a person (record keepers)", "PersonRequest", ref("Person"), params=())
    },
    "/api/v1/people/{id}/": {
        "patch": write("Change a person", "PersonChange", ref("Person"), status=200)
    },
}


def merged(paths: dict[str, Any]) -> dict[str, Any]:
    out = {path: dict(methods) for path, methods in paths.items()}
    for path, methods in EXTRA_METHODS.items():
        out[path].update(methods)
    out.update(PATHS)
    return out
