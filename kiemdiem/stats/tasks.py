"""Background refresh of a cycle's statistics summary (Django Tasks API, run by `kiemdiem worker`)."""

from __future__ import annotations

from django_tasks import task

from kiemdiem.core.jobs import job_progress
from kiemdiem.reviews.cycles.models import Cycle


@task()
def refresh_summary(job_id: int, cycle_id: int) -> dict[str, int]:
    from kiemdiem.stats.summary import rebuild

    with job_progress(job_id) as progress:
        cycle = Cycle.objects.filter(pk=cycle_id).first()
        if cycle is None:  # deleted since: nothing to count
            return {"build_ms": 0}
        state = rebuild(cycle)
        result = {"build_ms": state.build_ms}
        progress.result(result)
        return result
