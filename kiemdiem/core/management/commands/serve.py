"""`kiemdiem serve`: production serving with gunicorn (static files by WhiteNoise)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


def gunicorn_argv(*, bind: str, workers: int, timeout: int, threads: int = 1) -> list[str]:
    """gunicorn's arguments. With threads > 1 each worker is a gthread worker: a request
    waiting on PostgreSQL no longer holds a whole process, and browsers' keep-alive connections
    are kept (the sync worker closes every connection). Forwarded headers (X-Forwarded-Proto
    and the like) are honoured only when TRUST_X_FORWARDED_PROTO is on, and then only from
    FORWARDED_ALLOW_IPS: otherwise gunicorn would believe them from loopback, and a local
    process could fake HTTPS."""
    trusted = (
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
        if settings.TRUST_X_FORWARDED_PROTO
        else ""
    )
    return [
        "gunicorn",
        "kiemdiem.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        "--timeout", str(timeout),
        # One line per request comes from kiemdiem.core.logs; gunicorn's access log would double it.
        "--forwarded-allow-ips", trusted,
        # The request line and headers are bounded here; the body by MAX_REQUEST_BYTES.
        "--limit-request-line", "8190",
        "--limit-request-fields", "100",
    ] + (["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else [])  # fmt: skip


class Command(BaseCommand):
    help = "Chạy máy chủ WSGI (gunicorn) cho môi trường vận hành."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        # One process per core plus one (the CPU-bound part of a request holds the GIL), two
        # threads each for the time a request waits on the database (bench/run_load.sh).
        cores = os.cpu_count() or 1
        workers = int(os.environ.get("WEB_WORKERS", str(cores + 1)))
        parser.add_argument("--workers", type=int, default=workers)
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "2")))
        parser.add_argument("--timeout", type=int, default=60)

    def handle(
        self, *args: Any, bind: str, workers: int, threads: int, timeout: int, **opts: Any
    ) -> None:
        argv = gunicorn_argv(bind=bind, workers=workers, timeout=timeout, threads=threads)
        os.execvp(sys.executable, [sys.executable, "-m", *argv])  # noqa: S606
