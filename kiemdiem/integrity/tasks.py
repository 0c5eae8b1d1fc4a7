"""Background computation of the integrity flags (Django Tasks API, run by `kiemdiem worker`)."""

from __future__ import annotations

from django_tasks import task

from kiemdiem.core.jobs import job_progress
from kiemdiem.integrity.services import compute
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.models import Cycle


@task()
def compute_flags(job_id: int, cycle_id: int, organization_id: int) -> dict[str, int]:
    with job_progress(job_id) as progress:
        cycle = Cycle.objects.get(pk=cycle_id)
        org = Organization.objects.get(pk=organization_id)
        progress.update(0, 1, "Đang phân tích…")
        counts = compute(cycle=cycle, organization=org)
        progress.update(1, 1, "")
        progress.result(counts)
        return counts
