"""What every page benchmark shares: a Django process with production settings over a temporary
SQLite database (or DATABASE_URL), and the timing of a page through the test Client.

    from _setup import django_bench, time_get
    tmp = django_bench()          # before any other Django import
    ...
    timings, queries, response = time_get(client, url, requests=10)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def django_bench() -> tempfile.TemporaryDirectory[str]:
    """Set up Django as production runs it (DEBUG off: no query log, no template debug; plain
    HTTP for the client) over a fresh SQLite file unless DATABASE_URL is set. Returns the
    temporary directory so the caller keeps it alive and cleans it up."""
    tmp = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp.name}/bench.sqlite3")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["STATIC_MANIFEST"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kiemdiem.settings"
    import django

    django.setup()
    return tmp


def load_average() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def time_get(
    client: Any, url: str, *, requests: int, warmup: int = 2, headers: dict[str, str] | None = None
) -> tuple[list[float], int, Any]:
    """`warmup` untimed GETs, then `requests` timed ones: the timings in ms, the query count of
    the last one (counted without DEBUG's query log slowing the timed requests) and its
    response. Every response must be 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        assert client.get(url, headers=headers).status_code == 200
    timings = []
    response = None
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, headers=headers).status_code == 200
    return timings, len(queries), response


def pass_second_factor(client: Any, user: Any) -> None:
    """Mark the client's session as past the second factor (django-otp's session key, with a
    confirmed TOTP device), as a decider who signed in with their authenticator app is: the
    decision pages redirect deciders without it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
