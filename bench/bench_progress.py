"""Time the cycle pages on the 100k demo province: overview (goal < 300 ms server time) and the
unit progress table (goal < 500 ms), with their query counts.

Run: .venv/bin/python bench/bench_progress.py [--people 100000] [--database URL]

Seeds `kiemdiem seed-demo --people N` into a fresh temporary SQLite file (or an empty
PostgreSQL database), opens a 2025 cycle on the provincial party organization, then renders the
pages through Django's test client as a superuser (server time: view, queries and template) and
reports the median of 5 runs after one warm-up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KIEMDIEM = [sys.executable, "-m", "kiemdiem.cli"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--database", default="", help="postgres://… (default: temp SQLite)")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="kd_bench_progress_")
    url = args.database or f"sqlite:///{tmp.name}/bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", "PYTHONPATH": str(REPO)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for cmd in (["migrate", "-v0"], ["seed-demo", "--people", str(args.people)], ["load-criteria"]):
        subprocess.run([*KIEMDIEM, *cmd], env=env, cwd=REPO, check=True, capture_output=True)

    os.environ.update(DATABASE_URL=url, DEBUG="true", DJANGO_SETTINGS_MODULE="kiemdiem.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from kiemdiem.orgs.models import Organization
    from kiemdiem.reviews.cycles.opening import cycle_open
    from kiemdiem.reviews.cycles.services import cycle_create
    from kiemdiem.reviews.models import Evaluation

    root = Organization.objects.get(kind="party_province")
    cycle = cycle_create(actor=None, name="Năm 2025", year=2025, scope=root)
    cycle_open(actor=None, cycle=cycle)
    admin = get_user_model().objects.create_superuser("bench", password=None)
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)

    def timed(url: str) -> tuple[float, int]:
        client.get(url)  # warm-up
        runs = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                runs.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        return statistics.median(runs) * 1000, len(ctx.captured_queries)

    evaluations = Evaluation.objects.filter(cycle=cycle).count()
    overview_ms, overview_q = timed(reverse("cycle_detail", args=[cycle.pk]))
    progress_ms, progress_q = timed(reverse("cycle_progress", args=[cycle.pk]))
    print(f"database        {connection.vendor}; evaluations {evaluations:,}")
    print(f"cycle overview  {overview_ms:.0f} ms, {overview_q} queries (goal < 300 ms)")
    print(f"unit progress   {progress_ms:.0f} ms, {progress_q} queries (goal < 500 ms)")
    print(f"load average    {os.getloadavg()[0]:.1f}")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
