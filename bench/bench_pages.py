"""Benchmark: each page and API endpoint of the load test, one user at a time (issue 13).

Server time and query count per path and per demo account, through Django's test Client with
DEBUG off on the database of DATABASE_URL (the demo of `make run` or `bench/run_load.sh`:
seed-demo, demo-accounts, demo-cycle). Two warm-up requests, then the median of --requests.
This is the floor the load test's latency stands on: a page that takes 150 ms alone cannot
answer in 100 ms under load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kd_load .venv/bin/python bench/bench_pages.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_signed_in import ACCOUNTS, API, PAGES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=7)
    parser.add_argument("--accounts", nargs="*", default=ACCOUNTS)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("set DATABASE_URL to the database holding the demo")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["STATIC_MANIFEST"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kiemdiem.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kiemdiem.api.tokens import token_create
    from kiemdiem.reviews.models import Cycle

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"CPU cores: {os.cpu_count()}; load average {load}; database: {connection.vendor}")
    cycle = Cycle.objects.order_by("-year", "-pk").first()
    api = [*API, f"/api/v1/cycles/{cycle.pk}/evaluations/"] if cycle else API
    rows = []
    for username in args.accounts:
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        token = token_create(actor=None, user=user, name="bench_pages", days=1)
        for path in [*PAGES, *api]:
            headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {}
            for _ in range(2):
                client.get(path, headers=headers)
            times = []
            for _ in range(args.requests):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(path, headers=headers)
                    times.append((time.perf_counter() - started) * 1000)
            rows.append((username, path, response.status_code, statistics.median(times),
                         max(times), len(queries), len(response.content)))  # fmt: skip
    print(
        f"{'account':12} {'path':42} {'HTTP':>4} {'median':>8} {'max':>8} {'queries':>7} {'KB':>6}"
    )
    for username, path, status, median, worst, count, size in rows:
        print(
            f"{username:12} {path:42} {status:4} {median:6.1f}ms {worst:6.1f}ms {count:7} "
            f"{size / 1024:6.1f}"
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average after: {load}")


if __name__ == "__main__":
    main()
