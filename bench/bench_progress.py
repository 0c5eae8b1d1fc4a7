"""Time the cycle pages on the 100k demo province: overview (goal < 300 ms server time) and the
unit progress table (goal < 500 ms), with their query counts.

Run: .venv/bin/python bench/bench_progress.py [--people 100000] [--database URL] [--reuse]
(--reuse: a database seeded by an earlier run with the same --database; it is only migrated.)

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
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a database seeded by an earlier run (--database) and only migrate it",
    )
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="kd_bench_progress_")
    url = args.database or f"sqlite:///{tmp.name}/bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", "PYTHONPATH": str(REPO)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    seed = [["seed-demo", "--people", str(args.people)], ["load-criteria"]]
    for cmd in [["migrate", "-v0"], *([] if args.reuse else seed)]:
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
    from kiemdiem.reviews.cycles.models import Cycle
    from kiemdiem.reviews.cycles.opening import cycle_open
    from kiemdiem.reviews.cycles.services import cycle_create
    from kiemdiem.reviews.models import Evaluation

    root = Organization.objects.get(kind="party_province")
    cycle = Cycle.objects.filter(name="Năm 2025", year=2025, scope=root).first()
    if cycle is None:
        cycle = cycle_create(actor=None, name="Năm 2025", year=2025, scope=root)
        cycle_open(actor=None, cycle=cycle)
    admin, _created = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    # A superuser needs the second factor (django-otp): mark the session as verified.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(
        user=admin, name="bench", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    def timed(url: str) -> tuple[float, float, int]:
        """Median wall and CPU milliseconds of 5 runs after a warm-up, and the query count.
        CPU time (this process: the view, the template and SQLite's own work) is what the page
        costs when the shared machine is busy and wall time mostly measures the run queue."""
        client.get(url)  # warm-up
        runs, cpu = [], []
        for _ in range(5):
            with CaptureQueriesContext(connection) as ctx:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                runs.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            assert response.status_code == 200, response.status_code
        ms = statistics.median(runs) * 1000
        return ms, statistics.median(cpu) * 1000, len(ctx.captured_queries)

    evaluations = Evaluation.objects.filter(cycle=cycle).count()
    detail = reverse("cycle_detail", args=[cycle.pk])
    overview_ms, overview_cpu, overview_q = timed(detail)
    tabs = {tab: timed(f"{detail}?tab={tab}") for tab in ("nhom", "loai-tru", "ngoai-nhom")}
    progress_ms, progress_cpu, progress_q = timed(reverse("cycle_progress", args=[cycle.pk]))
    print(f"database        {connection.vendor}; evaluations {evaluations:,}")
    print(
        f"cycle overview  {overview_ms:.0f} ms ({overview_cpu:.0f} ms CPU), {overview_q} queries"
        " (goal < 300 ms)"
    )
    for tab, (ms, cpu, q) in tabs.items():
        print(f"  tab {tab:<11} {ms:.0f} ms ({cpu:.0f} ms CPU), {q} queries")
    print(
        f"unit progress   {progress_ms:.0f} ms ({progress_cpu:.0f} ms CPU), {progress_q} queries"
        " (goal < 500 ms)"
    )
    print(f"load average    {os.getloadavg()[0]:.1f}")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
