"""Benchmark: server time of the statistics page (`/thong-ke/`) for the 100,000-person demo
province (goal < 500 ms, a bounded query count).

    .venv/bin/python bench/bench_stats.py [--people 100000] [--requests 10] [--database URL [--reuse]]

Seeds `kiemdiem seed-demo --people N` into a fresh temporary SQLite file (or the empty
PostgreSQL database given), opens a 2024 and a 2025 cycle on the provincial party organization
(as bench/bench_cycle_open.py does), spreads the 2025 evaluations over every status and level
with a few set-based UPDATEs, builds both cycles' statistics summaries (`kiemdiem.stats.summary.rebuild`, the
background task's work; timed three times for 2025), then renders the page for the whole
province through Django's test Client as an inspection-committee member of the province (DEBUG
off): two warm-up requests, then the median of the timed ones (wall and this process's CPU
time, which the machine's load does not inflate), the query count, and the XLSX export's time.
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
STATUSES = ["draft", "submitted", "returned", "reviewed", "verified", "decided", "published"]
LEVELS = ["HTXSNV", "HTTNV", "HTTNV", "HTNV", "HTNV", "KHTNV"]


def prepare(people: int, url: str, *, seed: bool = True) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", "PYTHONPATH": str(REPO)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    steps = [["migrate", "-v0"]]
    if seed:
        steps += [["seed-demo", "--people", str(people)], ["load-criteria"]]
    for cmd in steps:
        subprocess.run([*KIEMDIEM, *cmd], env=env, cwd=REPO, check=True, capture_output=True)


def spread(cycle) -> None:  # type: ignore[no-untyped-def]
    """Every status and, once decided, a level, by the evaluation's id (set-based)."""
    from django.db import connection

    from kiemdiem.reviews.models import Evaluation

    table = Evaluation._meta.db_table
    with connection.cursor() as cur:
        for i, status in enumerate(STATUSES):
            cur.execute(
                f"UPDATE {table} SET status = %s WHERE cycle_id = %s AND id %% 7 = %s",  # noqa: S608
                [status, cycle.pk, i],
            )
        for i, level in enumerate(LEVELS):
            cur.execute(
                f"UPDATE {table} SET decided_level = %s WHERE cycle_id = %s "  # noqa: S608
                "AND status IN ('decided', 'published') AND id %% 6 = %s",
                [level, cycle.pk, i],
            )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--database", default="", help="postgres://… (default: temp SQLite)")
    parser.add_argument("--profile", action="store_true", help="cProfile one page request")
    parser.add_argument(
        "--keep", default="", help="SQLite file to keep and reuse between runs (skips seeding)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="the --database was prepared by an earlier run"
    )
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="kd_bench_stats_")
    url = args.database or f"sqlite:///{args.keep or tmp.name + '/bench.sqlite3'}"
    started = time.perf_counter()
    reuse = (bool(args.keep) and Path(args.keep).exists()) or (args.reuse and bool(args.database))
    prepare(args.people, url, seed=not reuse)  # a kept database is migrated only
    os.environ.update(
        DATABASE_URL=url,
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key",  # noqa: S106
        SECURE_SSL_REDIRECT="false",
        STATIC_MANIFEST="false",
        ALLOWED_HOSTS="testserver,localhost",
        DJANGO_SETTINGS_MODULE="kiemdiem.settings",
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from kiemdiem.accounts.models import Role, RoleAssignment
    from kiemdiem.orgs.models import Organization
    from kiemdiem.reviews.cycles.models import Cycle
    from kiemdiem.reviews.cycles.opening import cycle_open
    from kiemdiem.reviews.cycles.services import cycle_create
    from kiemdiem.reviews.models import Evaluation
    from kiemdiem.stats.models import CycleSummary

    root = Organization.objects.get(kind="party_province")
    if reuse:
        cycle = Cycle.objects.get(scope=root, year=2025)
    else:
        for year in (2024, 2025):
            cycle = cycle_create(actor=None, name=f"Năm {year}", year=year, scope=root)
            cycle_open(actor=None, cycle=cycle)
            spread(cycle)
    print(f"prepared in {time.perf_counter() - started:.0f} s")
    from kiemdiem.stats import summary

    previous = Cycle.objects.get(scope=root, year=2024)
    rebuilds = []
    for _ in range(3):  # the background task's work, whole cycle (the previous year's once)
        t0 = time.perf_counter()
        summary.rebuild(cycle)
        rebuilds.append((time.perf_counter() - t0) * 1000)
    summary.rebuild(previous)
    summary_rows = CycleSummary.objects.filter(cycle=cycle).count()
    user, _created = get_user_model().objects.get_or_create(username="bench-stats")
    RoleAssignment.objects.get_or_create(user=user, role=Role.INSPECTOR, organization=root)
    client = Client()
    client.force_login(user)
    query = {"cycle": cycle.pk, "org": root.pk}
    timings: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    slowest = {}
    for name in ("stats_dashboard", "stats_export"):
        url_ = reverse(name)
        for _ in range(2):
            assert client.get(url_, query).status_code == 200
        timings[name], cpu[name] = [], []
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as queries:
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(url_, query)
                timings[name].append((time.perf_counter() - t0) * 1000)
                cpu[name].append((time.process_time() - c0) * 1000)
            assert response.status_code == 200
        counts[name] = len(queries)
        slowest[name] = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(client.get, reverse("stats_dashboard"), query)
        pstats.Stats(profile).sort_stats("cumulative").print_stats("kiemdiem|template|render", 40)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    evaluations = Evaluation.objects.filter(cycle=cycle).count()
    print(f"CPU cores: {os.cpu_count()}; load average {load}; database: {connection.vendor}")
    print(f"evaluations in the 2025 cycle: {evaluations:,}")
    print(
        f"summary rebuild of the 2025 cycle: median {statistics.median(rebuilds):.0f} ms "
        f"(min {min(rebuilds):.0f}, max {max(rebuilds):.0f}); {summary_rows:,} summary rows"
    )
    for name in ("stats_dashboard", "stats_export"):
        t = timings[name]
        print(
            f"{name}: median {statistics.median(t):.0f} ms, min {min(t):.0f} ms, "
            f"max {max(t):.0f} ms over {len(t)} requests (CPU time of this process: median "
            f"{statistics.median(cpu[name]):.0f} ms); {counts[name]} queries"
        )
        print(f"  slowest queries of the last {name} request:")
        for q in slowest[name]:
            print(f"    {float(q['time']) * 1000:.0f} ms  {q['sql'][:140]}")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
