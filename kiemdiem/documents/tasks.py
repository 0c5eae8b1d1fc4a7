"""The bulk export as a background task (Django Tasks API, run by `kiemdiem worker`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django_tasks import task

from kiemdiem.core.jobs import job_progress
from kiemdiem.core.models import Job
from kiemdiem.documents.exports import export_documents
from kiemdiem.documents.storage import export_path
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.cycles.models import Cycle


@task()
def export_subtree(job_id: int, cycle_id: int, organization_id: int, fmt: str) -> dict[str, Any]:
    with job_progress(job_id) as progress:
        cycle = Cycle.objects.get(pk=cycle_id)
        organization = Organization.objects.get(pk=organization_id)
        # The reader the export is made for (`exports.export_documents`); a job whose user was
        # deleted gets what an anonymous reader may see.
        viewer = Job.objects.get(pk=job_id).created_by or AnonymousUser()
        progress.update(0, None, "Đang chuẩn bị…")
        summary = export_documents(
            cycle=cycle,
            organization=organization,
            fmt=fmt,
            out=export_path(job_id),
            viewer=viewer,
            progress=lambda done, total, message: progress.update(done, total, message),
        )
        result = summary.as_dict()
        progress.result(result)
        return result
