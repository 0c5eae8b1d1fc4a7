"""Background jobs on Django's Tasks API with progress and failure visibility.

A job is started with `job_enqueue(task=…, kind=…, title=…, organization=…)`: it creates a `Job` row
(recording who started it and for which organization, which decide who may watch it) and enqueues
the task with the job id as first argument. The task body wraps its work in
`with job_progress(job_id) as progress:` and calls `progress.update(done, total, message)`.
Progress rows are written with single UPDATE statements outside any transaction the task may
open, so a progress bar sees them while the task runs.

A worker process refreshes its heartbeat (and that of the job it runs) from a side thread; a job
whose heartbeat is older than WORKER_STALE_SECONDS belongs to a worker that died, and
`reap_stale_jobs` marks it failed: a dead task is visible, never silently lost.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from kiemdiem.core.logs import current_request_id, job_logger, log_line, request_id_scope
from kiemdiem.core.models import Job, WorkerHeartbeat

logger = logging.getLogger(__name__)

# Identity of this process when it is a worker (set by `kiemdiem worker`); not shared state.
WORKER_ID = ""


def job_enqueue(
    *,
    task: Any,
    kind: str,
    title: str,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    organization: Any = None,
    kwargs: dict[str, Any] | None = None,
) -> Job:
    """Create the Job row and enqueue `task(job_id, **kwargs)` once the transaction commits."""
    job = Job.objects.create(
        kind=kind,
        title=title,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        organization=organization,
        request_id=current_request_id(),
    )

    def _enqueue() -> None:
        result = task.enqueue(job.pk, **(kwargs or {}))
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(_enqueue)
    return job


class Progress:
    def __init__(self, job_id: int) -> None:
        self.job_id = job_id

    def update(self, done: int, total: int | None = None, message: str | None = None) -> None:
        fields: dict[str, Any] = {"done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        if message is not None:
            fields["message"] = message
        Job.objects.filter(pk=self.job_id).update(**fields)

    def result(self, value: Any) -> None:
        Job.objects.filter(pk=self.job_id).update(result=value)


@contextlib.contextmanager
def job_progress(job_id: int) -> Iterator[Progress]:
    if connection.in_atomic_block:
        raise RuntimeError("job_progress must not run inside a transaction: progress is invisible")
    now = timezone.now()
    started = time.perf_counter()
    request_id = Job.objects.filter(pk=job_id).values_list("request_id", flat=True).first() or ""
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        worker_id=WORKER_ID or f"{socket.gethostname()}:{os.getpid()}",
    )
    outcome = Job.Status.FAILED
    try:
        with request_id_scope(request_id):
            yield Progress(job_id)
    except BaseException as exc:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message=f"Lỗi: {exc}"[:2000],
        )
        raise
    else:
        job = Job.objects.get(pk=job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.SUCCEEDED,
            finished_at=timezone.now(),
            done=job.total or job.done,
        )
        outcome = Job.Status.SUCCEEDED
    finally:
        log_line(
            job_logger,
            f"job {job_id} {outcome}",
            logging.INFO if outcome == Job.Status.SUCCEEDED else logging.WARNING,
            job_id=job_id,
            status=str(outcome),
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            request_id=request_id,
        )


class WorkerDied(RuntimeError):
    """Recorded on the task library's row of a task whose worker stopped beating."""


def reap_stale_jobs() -> int:
    """Mark running jobs of dead workers as failed; return how many.

    Our `Job` row is ours to write; the task library's own row is marked failed through its
    model's own method (`DBTaskResult.set_failed`), never by writing its status column.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    stale = Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=cutoff)
    ids = [i for i in stale.values_list("task_result_id", flat=True) if i]
    count = stale.update(
        status=Job.Status.FAILED,
        finished_at=timezone.now(),
        message="Tiến trình xử lý nền đã dừng đột ngột; công việc chưa hoàn thành.",
    )
    if ids:
        from django_tasks_db.models import DBTaskResult

        died = WorkerDied("the worker running this task stopped sending heartbeats")
        for result in DBTaskResult.objects.filter(id__in=ids).running():
            result.set_failed(died)
    WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).delete()
    return count


def live_workers() -> list[WorkerHeartbeat]:
    cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    return list(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).order_by("worker_id"))


class Heartbeat(threading.Thread):
    """Side thread of a worker: refreshes its own row and its running jobs' heartbeats."""

    def __init__(self, worker_id: str, interval: float = 15.0) -> None:
        super().__init__(name="kiemdiem-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.stopped = threading.Event()

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
                "seen_at": now,
            },
            create_defaults={
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
                "seen_at": now,
                "started_at": now,
            },
        )
        Job.objects.filter(worker_id=self.worker_id, status=Job.Status.RUNNING).update(
            heartbeat_at=now
        )

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.beat()
                reap_stale_jobs()
            except Exception:  # a missed beat must never kill the worker
                logger.exception("heartbeat failed")
            finally:
                close_old_connections()
            self.stopped.wait(self.interval)
        connection.close()
