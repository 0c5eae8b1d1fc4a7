"""`kiemdiem jobs`: list background jobs, start a maintenance job, or reap dead workers' jobs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kiemdiem.core import jobs
from kiemdiem.core.models import Job

STARTABLE = {
    "rebuild-name-keys": ("kiemdiem.orgs.tasks", "rebuild_name_keys", "Tính lại khóa sắp xếp tên"),
}


class Command(BaseCommand):
    help = "Xem, khởi chạy công việc nền hoặc đánh dấu công việc của tiến trình đã chết."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["list", "start", "reap"])
        parser.add_argument("name", nargs="?", help=f"job to start: {', '.join(STARTABLE)}")

    def handle(self, *args: Any, action: str, name: str | None, **opts: Any) -> None:
        if action == "reap":
            self.stdout.write(f"reaped {jobs.reap_stale_jobs()}")
        elif action == "start":
            if name not in STARTABLE:
                raise CommandError(f"unknown job {name!r}; choose one of {', '.join(STARTABLE)}")
            module, attr, title = STARTABLE[name]
            import importlib

            task = getattr(importlib.import_module(module), attr)
            job = jobs.job_enqueue(task=task, kind=name, title=title)
            self.stdout.write(str(job.pk))
        else:
            for job in Job.objects.all()[:50]:
                self.stdout.write(
                    f"{job.pk}\t{job.status}\t{job.done}/{job.total}\t{job.kind}\t{job.message}"
                )
