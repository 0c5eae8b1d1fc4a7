"""The one error shape of the API (decisions.md §4):
`{"error": {"code", "message" (Vietnamese), "details"}}`."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse
from django.utils.translation import gettext as _

#: Default status per code; the rule codes of decisions.md §3 answer 422.
STATUS = {
    "malformed": 400,
    "unauthenticated": 401,
    "forbidden": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "conflict": 409,
}


class ApiError(Exception):
    def __init__(
        self, code: str, message: str, details: dict[str, Any] | None = None, status: int = 0
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        self.status = status or STATUS.get(code, 422)


def error_response(error: ApiError) -> JsonResponse:
    body = {"error": {"code": error.code, "message": error.message, "details": error.details}}
    response = JsonResponse(body, status=error.status, json_dumps_params={"ensure_ascii": False})
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="kiemdiem"'
    if error.status == 405:
        response["Allow"] = ", ".join(error.details.get("allowed", []))
    return response


def not_found(details: dict[str, Any] | None = None) -> ApiError:
    return ApiError(
        "not_found", _("Không tìm thấy đối tượng, hoặc bạn không có quyền xem."), details
    )


def forbidden(message: str = "", details: dict[str, Any] | None = None) -> ApiError:
    return ApiError("forbidden", message or _("Bạn không có quyền làm việc này."), details)


def invalid(fields: dict[str, str]) -> ApiError:
    return ApiError("invalid", _("Dữ liệu gửi lên không hợp lệ."), {"fields": fields})


def malformed(message: str) -> ApiError:
    return ApiError("malformed", message)
