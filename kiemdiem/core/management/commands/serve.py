"""`kiemdiem serve`: production serving with gunicorn (static files by WhiteNoise)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


def gunicorn_argv(*, bind: str, workers: int, timeout: int) -> list[str]:
    """gunicorn's arguments. Forwarded headers (X-Forwarded-Proto and the like) are honoured
    only when TRUST_X_FORWARDED_PROTO is on, and then only from FORWARDED_ALLOW_IPS: otherwise
    gunicorn would believe them from loopback, and a local process could fake HTTPS."""
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
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Chạy máy chủ WSGI (gunicorn) cho môi trường vận hành."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")))
        parser.add_argument("--timeout", type=int, default=60)

    def handle(self, *args: Any, bind: str, workers: int, timeout: int, **opts: Any) -> None:
        argv = gunicorn_argv(bind=bind, workers=workers, timeout=timeout)
        os.execvp(sys.executable, [sys.executable, "-m", *argv])  # noqa: S606
