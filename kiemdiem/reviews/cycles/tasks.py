"""Background tasks of the review cycles (Django Tasks API, run by `kiemdiem worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from kiemdiem.core.jobs import job_progress
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.cycles.opening import cycle_open


@task()
def open_cycle(job_id: int, cycle_id: int, actor_id: int | None = None) -> dict[str, Any]:
    """Open a cycle with progress: `cycle_open` commits batch by batch, so the bar moves and a
    crash loses one batch at most; running it again completes the cycle without duplicates."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    with job_progress(job_id) as progress:
        cycle = Cycle.objects.get(pk=cycle_id)
        progress.update(0, None, f"Đang mở đợt “{cycle.name}”…")
        summary = cycle_open(
            actor=actor,
            cycle=cycle,
            progress=lambda done, total, message: progress.update(done, total, message),
        )
        result = summary.as_dict()
        progress.result(result)
        return result


@task()
def send_deadline_reminders(job_id: int, days_before: int = 7) -> dict[str, Any]:
    """Remind people behind a deadline (safe to run daily: never twice for one deadline)."""
    from kiemdiem.reviews.cycles.reminders import deadline_reminders_send

    with job_progress(job_id) as progress:
        sent = deadline_reminders_send(
            days_before=days_before,
            progress=lambda done, total: progress.update(done, total, "Đang gửi nhắc hạn…"),
        )
        result = {"sent": sent}
        progress.result(result)
        return result
