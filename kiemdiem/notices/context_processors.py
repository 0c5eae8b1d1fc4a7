from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kiemdiem.notices.selectors import unread_count


def notices(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the header, counted only when a page shows it (lazy)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": SimpleLazyObject(lambda: unread_count(user=user))}
