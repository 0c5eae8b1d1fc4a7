"""The profile page's API section: a user's tokens, create (shown once) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemdiem.api.models import ApiToken
from kiemdiem.api.schema import document
from kiemdiem.api.tokens import may_create_token, token_create, token_revoke
from kiemdiem.core.text import ascii_digits


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    return _render(request)


def _render(request: HttpRequest, new_token: str = "", error: str = "", status: int = 200):
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    context = {
        "tokens": tokens,
        "new_token": new_token,
        "error": error,
        "may_create": may_create_token(request),
    }
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    if not may_create_token(request):
        raise PermissionDenied(_("Cần đăng nhập hai lớp trước khi tạo mã truy cập API."))
    raw_days = request.POST.get("days", "").strip()
    if raw_days and not ascii_digits(raw_days):
        return _render(request, error=_("Số ngày hiệu lực phải là số nguyên dương."), status=400)
    try:
        raw = token_create(
            actor=request.user,
            user=request.user,
            name=request.POST.get("name", ""),
            days=int(raw_days) if raw_days else None,
        )
    except ValidationError as exc:
        return _render(request, error=" ".join(exc.messages), status=400)
    # Shown once, in this response only: it is not stored and not put in a redirect.
    return _render(request, new_token=raw)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_revoke(actor=request.user, token=token)
    messages.success(request, _("Đã thu hồi mã %(prefix)s…") % {"prefix": token.prefix})
    return redirect("api_tokens")


def _type(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"] if v is not None)
    if schema.get("type") == "array":
        return f"[{_type(schema.get('items', {}))}]"
    if "oneOf" in schema:
        return " | ".join(_type(s) for s in schema["oneOf"])
    return str(schema.get("format") or schema.get("type", ""))


def _body(op: dict, schemas: dict) -> dict | None:
    """The request body's fields (name, type, required), its `$ref` resolved."""
    body = op.get("requestBody")
    if body is None:
        return None
    media, spec = next(iter(body["content"].items()))
    schema = spec["schema"]
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
    required = set(schema.get("required", []))
    fields = [
        {"name": name, "type": _type(prop), "required": name in required}
        for name, prop in schema.get("properties", {}).items()
    ]
    return {"media": media, "fields": fields}


def _answer(op: dict) -> str:
    """The success answer's schema name (a page of X: "[X]")."""
    for code, response in sorted(op["responses"].items()):
        if code.startswith("2"):
            schema = response["content"]["application/json"]["schema"]
            if "$ref" not in schema and "results" in schema.get("properties", {}):
                return f"{code}: {{count, next, previous, results: {_type(schema['properties']['results'])}}}"
            return f"{code}: {_type(schema)}"
    return ""


@login_required
def reference(request: HttpRequest) -> HttpResponse:
    """A readable page from the OpenAPI document itself, so the two cannot drift apart."""
    doc = document()
    schemas = doc["components"]["schemas"]
    operations = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            operations.append(
                {
                    "anchor": f"{method}-{path}".replace("/", "-").strip("-"),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "parameters": [
                        {"name": p["name"], "in": p["in"], "type": _type(p["schema"])}
                        for p in op.get("parameters", [])
                    ],
                    "body": _body(op, schemas),
                    "answer": _answer(op),
                    "responses": sorted(op["responses"]),
                }
            )
    return render(request, "api/reference.html", {"operations": operations})
