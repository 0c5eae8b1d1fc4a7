"""`kiemdiem worker`: a django-tasks database worker with a heartbeat for /healthz and reaping."""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kiemdiem.core import jobs


class Command(BaseCommand):
    help = "Chạy tiến trình xử lý nền (Django Tasks, cơ sở dữ liệu)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Process what is queued, then exit"
        )
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--heartbeat", type=float, default=15.0)

    def handle(
        self, *args: Any, batch: bool, interval: float, heartbeat: float, **opts: Any
    ) -> None:
        worker_id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        jobs.WORKER_ID = worker_id
        beat = jobs.Heartbeat(worker_id, interval=heartbeat)
        beat.beat()
        jobs.reap_stale_jobs()
        beat.start()
        try:
            call_command(
                "db_worker",
                worker_id=worker_id,
                interval=interval,
                batch=batch,
                reload=False,
                startup_delay=False,
                verbosity=opts.get("verbosity", 1),
            )
        finally:
            beat.stopped.set()
            beat.join(timeout=5)
            from kiemdiem.core.models import WorkerHeartbeat

            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
