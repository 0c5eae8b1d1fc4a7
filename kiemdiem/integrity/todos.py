"""The home page's to-do for the inspection committee and the personnel body: open integrity
flags in their scope (one count query; nothing for anyone else)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from kiemdiem.accounts.access import role_paths
from kiemdiem.core.todos import Todo, register_todo_provider
from kiemdiem.integrity.access import INTEGRITY_ROLES
from kiemdiem.integrity.models import Flag
from kiemdiem.orgs.tree import under_any


def flags_to_review(user: Any) -> list[Todo]:
    paths = role_paths(user, INTEGRITY_ROLES)
    if not paths:
        return []
    found = (
        Flag.objects.filter(under_any(paths, "organization__path"), active=True, status="open")
        .values("cycle_id")
        .annotate(n=Count("id"))
        .order_by("-cycle_id")
    )
    return [
        Todo(
            title=_("Xem xét dấu hiệu bất thường"),
            url=f"{reverse('integrity_page')}?cycle={row['cycle_id']}",
            detail=_("%(n)s dấu hiệu cần xem xét") % {"n": row["n"]},
            count=row["n"],
            kind="integrity_flags",
        )
        for row in found[:3]
    ]


def register() -> None:
    register_todo_provider("integrity.flags", flags_to_review)
