"""Background tasks of the evaluations (Django Tasks API, run by `kiemdiem worker`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from kiemdiem.core.jobs import job_progress
from kiemdiem.reviews.cycles.models import Cycle
from kiemdiem.reviews.evaluations.suggestions import cycle_recompute_suggestions


@task()
def recompute_cycle(job_id: int, cycle_id: int, actor_id: int | None = None) -> dict[str, int]:
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    with job_progress(job_id) as progress:
        cycle = Cycle.objects.get(pk=cycle_id)
        counts = cycle_recompute_suggestions(actor=actor, cycle=cycle, progress=progress)
        progress.result(counts)
        return counts
