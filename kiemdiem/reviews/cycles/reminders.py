"""Deadline reminders: everyone whose self-review is still to write when a deadline nears.

A reminder is keyed by cycle, deadline and person (`Notice.key`), and the notices table's
unique constraint makes a second run — by the command, the task or two workers — send nothing
new for the same deadline; a moved deadline is a new occasion and is reminded again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.notices.models import Notice
from kiemdiem.notices.services import notify
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.models import Evaluation

#: How many days before a deadline people are reminded (and after it, until the cycle closes).
DAYS_BEFORE = 7
WAITING = (Evaluation.Status.DRAFT, Evaluation.Status.RETURNED)


def _deadline(cycle: Cycle, track: str) -> dt.date:
    return cycle.party_deadline if track == Evaluation.Track.PARTY else cycle.state_deadline


def deadline_reminders_send(
    *,
    today: dt.date | None = None,
    days_before: int = DAYS_BEFORE,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Remind each person behind an open cycle's deadline once; return how many were sent."""
    today = today or timezone.localdate()
    users = get_user_model()
    sent = 0
    cycles = list(Cycle.objects.filter(status=Cycle.Status.OPEN))
    for number, cycle in enumerate(cycles, 1):
        for track in (Evaluation.Track.STATE, Evaluation.Track.PARTY):
            deadline = _deadline(cycle, track)
            if (deadline - today).days > days_before:
                continue
            rows = (
                Evaluation.objects.filter(
                    cycle=cycle,
                    track=track,
                    status__in=WAITING,
                    excluded=False,
                    person__user__isnull=False,
                )
                .values_list("pk", "person__user_id")
                .order_by("pk")
            )
            by_user = {user_id: pk for pk, user_id in rows}
            for user in users.objects.filter(pk__in=by_user, is_active=True):
                late = deadline < today
                title = (
                    _("Đã quá hạn tự kiểm điểm (%(date)s): %(cycle)s")
                    if late
                    else _("Hạn tự kiểm điểm %(date)s: %(cycle)s")
                ) % {"date": f"{deadline:%d/%m/%Y}", "cycle": cycle.name}
                sent += len(
                    notify(
                        recipients=[user],
                        kind=Notice.Kind.DEADLINE,
                        title=title,
                        url=reverse("selfreview_form", args=[by_user[user.pk]]),
                        body=_("Bản tự kiểm điểm của đồng chí chưa được nộp."),
                        key=f"deadline:{cycle.pk}:{deadline.isoformat()}",
                    )
                )
        if progress:
            progress(number, len(cycles))
    return sent
