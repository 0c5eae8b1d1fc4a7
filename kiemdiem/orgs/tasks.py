"""Background tasks of the organization model (Django Tasks API, run by `kiemdiem worker`)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from kiemdiem.core.jobs import job_progress
from kiemdiem.orgs.models import Organization, Person
from kiemdiem.orgs.services import organization_keys, person_name_fields

BATCH = 2000


@task()
def rebuild_name_keys(job_id: int) -> dict[str, int]:
    """Recompute every derived name column (after a change of the collation rules).

    Works in committed batches so that progress is visible and a crash loses one batch at most;
    rerunning is harmless (the result depends only on the stored names).
    """
    with job_progress(job_id) as progress:
        total = Person.objects.count() + Organization.objects.count()
        progress.update(0, total, "Đang tính lại khóa sắp xếp và tìm kiếm…")
        done = 0
        last = 0
        while True:
            people = list(Person.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
            if not people:
                break
            for p in people:
                for key, value in person_name_fields(p.full_name).items():
                    setattr(p, key, value)
            with transaction.atomic():
                Person.objects.bulk_update(
                    people,
                    [
                        "full_name",
                        "family_name",
                        "middle_name",
                        "given_name",
                        "sort_key",
                        "search_key",
                    ],
                )
            last = people[-1].pk
            done += len(people)
            progress.update(done, message=f"Đã xử lý {done}/{total} bản ghi")
        orgs = list(Organization.objects.all())
        for o in orgs:
            for key, value in organization_keys(o.name).items():
                setattr(o, key, value)
        with transaction.atomic():
            Organization.objects.bulk_update(
                orgs, ["name", "name_key", "search_key"], batch_size=BATCH
            )
        done += len(orgs)
        progress.update(done, message="Hoàn thành")
        result = {"people": done - len(orgs), "organizations": len(orgs)}
        progress.result(result)
        return result
