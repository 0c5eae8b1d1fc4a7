"""The ledger's todo provider for the home page: my tasks due soon with no result reported."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.core.todos import Todo, register_todo_provider
from kiemdiem.ledger.models import Task

#: Tasks due within this many days (or already overdue) are shown.
SOON = dt.timedelta(days=14)


def tasks_to_report(user: Any) -> list[Todo]:
    person = getattr(user, "person", None)
    if person is None:
        return []
    today = timezone.localdate()
    found = Task.objects.filter(
        person=person,
        status=Task.Status.APPROVED,
        results__isnull=True,
        deadline__lte=today + SOON,
    ).aggregate(n=Count("id"), due=Min("deadline"))
    if not found["n"]:
        return []
    return [
        Todo(
            title=_("Báo cáo kết quả nhiệm vụ"),
            url=reverse("ledger_mine"),
            detail=_("%(n)s nhiệm vụ đến hạn hoặc quá hạn chưa có kết quả") % {"n": found["n"]},
            due=found["due"],
            count=found["n"],
            kind="ledger_report",
        )
    ]


def register() -> None:
    register_todo_provider("ledger.report", tasks_to_report)
