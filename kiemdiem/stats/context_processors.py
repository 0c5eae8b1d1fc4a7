"""Whether the header shows the statistics link: for the roles that may open the page
(`access.visible_cycles`), asked only when a page renders the header (lazy)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kiemdiem.stats.access import may_see_statistics


def stats_link(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"can_see_stats": SimpleLazyObject(lambda: may_see_statistics(user))}
