"""The plumbing every endpoint shares: token authentication, the error shape, parameters.

`api_view` turns whatever a client can cause (unknown object, missing rights, malformed input)
into the one error shape; anything else is a server error and stays one (logged as such).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kiemdiem.api.errors import ApiError, error_response, forbidden, invalid, malformed, not_found
from kiemdiem.api.tokens import user_for_token
from kiemdiem.core.numbers import vn_number
from kiemdiem.core.text import ascii_digits
from kiemdiem.orgs.models import Organization

View = Callable[..., Any]


def json_response(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _authenticate(request: HttpRequest) -> Any:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ApiError(
            "unauthenticated",
            _("Thiếu mã truy cập: gửi tiêu đề “Authorization: Bearer <mã>”."),
        )
    user = user_for_token(raw.strip())
    if user is None:
        raise ApiError(
            "unauthenticated", _("Mã truy cập không đúng, đã hết hạn hoặc đã bị thu hồi.")
        )
    return user


def _check_query(request: HttpRequest, params: tuple[str, ...]) -> None:
    unknown = sorted(set(request.GET) - set(params))
    if unknown:
        raise invalid({name: _("Tham số không được hỗ trợ.") for name in unknown})
    # `?state=decided&state=draft` would silently mean the last one: a list the client did not
    # ask for. Each parameter is given once.
    repeated = sorted(k for k, values in request.GET.lists() if len(values) > 1)
    if repeated:
        raise invalid({name: _("Chỉ được nêu tham số này một lần.") for name in repeated})
    # PostgreSQL refuses NUL in text: refused here by name rather than as a database error.
    nul = sorted(k for k, values in request.GET.lists() if any("\x00" in v for v in values))
    if nul:
        raise invalid({name: _("Không được chứa ký tự NUL.") for name in nul})


def api_view(
    *methods: str, params: tuple[str, ...] = (), public: bool = False
) -> Callable[[View], View]:
    """Token authentication (a token acts with its user's rights; no session, so no CSRF) and
    the error shape. `params` are the query parameters the endpoint reads: any other is refused
    (a misspelt filter must not silently widen a list). `public` endpoints (the schema, the
    catch-all 404) need no token and take any parameter."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                # HEAD is GET without the body (RFC 9110 §9.3.2): the handler strips it.
                allowed = (*methods, "HEAD") if "GET" in methods else methods
                if request.method not in allowed:
                    raise ApiError(
                        "method_not_allowed",
                        _("Phương thức %(method)s không dùng được ở địa chỉ này.")
                        % {"method": request.method},
                        {"allowed": list(allowed)},
                    )
                if not public:
                    request.user = _authenticate(request)
                    _check_query(request, params)
                return view(request, *args, **kwargs)
            except ApiError as exc:
                return error_response(exc)
            except Http404:
                return error_response(not_found())
            except PermissionDenied as exc:
                return error_response(forbidden(str(exc) if exc.args else ""))
            except ValidationError as exc:
                # A service refused the input: nothing was written (its transaction rolled back).
                return error_response(refusal(exc))
            except RequestDataTooBig:
                return error_response(
                    malformed(
                        _("Nội dung gửi lên quá lớn (tối đa %(mb)s MB).")
                        % {"mb": vn_number(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20)}
                    )
                )

        return wrapper

    return decorate


def refusal(exc: ValidationError) -> ApiError:
    """A service's ValidationError in the API's shape: a stale version (`code="conflict"`) is
    409 `conflict`; field errors are 422 `invalid` with `details.fields`; any other refusal
    (a state that does not allow the step, a closed cycle) is 422 with the service's code."""
    if hasattr(exc, "error_dict"):
        fields = {name: " ".join(msgs) for name, msgs in exc.message_dict.items()}
        return invalid(fields)
    message = " ".join(exc.messages)
    codes = {e.code for e in exc.error_list if e.code}
    if "conflict" in codes:
        return ApiError("conflict", message, status=409)
    # The transition table's refusal is decisions.md §3's `state`.
    code = {"transition": "state"}.get(min(codes), min(codes)) if len(codes) == 1 else "invalid"
    return ApiError(code, message, {"fields": {"__all__": message}})


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def read_json(request: HttpRequest) -> Any:
    """The body as JSON (RFC 8259): NaN and Infinity are not JSON, a string escape that is not
    a character (a lone surrogate such as "\\ud800") cannot be stored or answered, and nesting
    deeper than the parser's stack is refused like any other malformed body."""
    try:
        data = json.loads(request.body.decode("utf-8"), parse_constant=_not_json)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError) as exc:
        raise malformed(_("Nội dung gửi lên không phải JSON UTF-8 hợp lệ.")) from exc
    return data


MAX_INT = 2**63 - 1


def parse_id(value: str, name: str) -> int:
    """A positive database id from a query parameter (422 `invalid` otherwise)."""
    if not ascii_digits(value) or not 0 < int(value) <= MAX_INT:
        raise invalid({name: _("Phải là một số nguyên dương.")})
    return int(value)


def org_param(request: HttpRequest, name: str) -> Organization | None:
    """The organization a filter names (absent: None; unknown: 404; not an id: 422)."""
    raw = request.GET.get(name)
    if raw is None:
        return None
    org = Organization.objects.filter(pk=parse_id(raw, name)).first()
    if org is None:
        raise not_found({name: raw})
    return org


def choice_param(request: HttpRequest, name: str, choices: Any) -> str | None:
    # Absent means "any"; an empty value is refused like any value outside the choices.
    value = request.GET.get(name)
    if value is None:
        return None
    allowed = [str(c) for c in choices.values]
    if value not in allowed:
        raise invalid(
            {
                name: _("Giá trị không hợp lệ; chọn một trong: %(values)s.")
                % {"values": ", ".join(allowed)}
            }
        )
    return value


def bool_param(request: HttpRequest, name: str) -> bool:
    value = request.GET.get(name)
    if value is None:
        return False
    value = value.lower()
    if value in ("false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise invalid({name: _("Chỉ nhận true hoặc false.")})


def object_or_404(queryset: Any, pk: Any) -> Any:
    """The row or a 404 — also for ids too large for the database (never a 500)."""
    if not isinstance(pk, int) or not 0 < pk <= MAX_INT:
        raise not_found()
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise not_found()
    return obj
