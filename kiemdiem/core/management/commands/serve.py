"""`kiemdiem serve`: production serving with gunicorn (static files by WhiteNoise)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy máy chủ WSGI (gunicorn) cho môi trường vận hành."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")))
        parser.add_argument("--timeout", type=int, default=60)

    def handle(self, *args: Any, bind: str, workers: int, timeout: int, **opts: Any) -> None:
        argv = [
            "gunicorn",
            "kiemdiem.wsgi:application",
            "--bind", bind,
            "--workers", str(workers),
            "--timeout", str(timeout),
            "--access-logfile", "-",
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]  # fmt: skip
        os.execvp(sys.executable, [sys.executable, "-m", *argv])  # noqa: S606
