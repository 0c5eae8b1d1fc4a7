"""`{"count", "next", "previous", "results"}` with `?page=` and `?page_size=` (≤ 500)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kiemdiem.api.errors import ApiError, invalid
from kiemdiem.core.text import ascii_digits

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def _positive(request: HttpRequest, name: str, default: int, maximum: int | None) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not ascii_digits(raw) or len(raw) > 9 or int(raw) < 1:
        raise invalid({name: _("Phải là một số nguyên dương.")})
    if maximum is not None and int(raw) > maximum:
        raise invalid({name: _("Tối đa %(max)s.") % {"max": maximum}})
    return int(raw)


def _url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    query = urlencode(sorted(params.lists()), doseq=True)
    return request.build_absolute_uri(f"{request.path}?{query}")


def paginate(
    request: HttpRequest,
    rows: QuerySet[Any] | Sequence[Any],
    serialize: Callable[[list[Any]], list[Any]],
) -> dict[str, Any]:
    """One page of `rows` (a queryset: one COUNT and one page query), `serialize` mapping the
    page's rows to JSON values at once (so it can fetch what they share in bulk)."""
    page = _positive(request, "page", 1, None)
    size = _positive(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    last = max(1, -(-count // size))
    if page > last:
        # A page past the end is a missing resource, not malformed input.
        raise ApiError(
            "not_found",
            _("Không có trang %(page)s: danh sách có %(last)s trang.")
            % {"page": page, "last": last},
            {"page": page, "last": last},
        )
    start = (page - 1) * size
    chunk = list(rows[start : start + size])
    return {
        "count": count,
        "next": _url(request, page + 1) if page < last else None,
        "previous": _url(request, page - 1) if page > 1 else None,
        "results": serialize(chunk),
    }
