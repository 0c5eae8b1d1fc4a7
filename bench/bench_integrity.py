"""Benchmark: the integrity analytics for the 100,000-person demo province (goal: all of them in
under 60 s, in the background) and the integrity page's server time (goal < 500 ms).

    .venv/bin/python bench/bench_integrity.py [--people 100000] [--requests 10] [--database URL]

Seeds `kiemdiem seed-demo --people N` into a fresh temporary SQLite file (or the empty
PostgreSQL database given), opens a 2025 and a 2026 cycle on the provincial party organization
(as bench/bench_stats.py does), decides most evaluations with set-based UPDATEs (levels, the
suggestion, the meeting's vote and one of five deciders by id), gives half the people two
ledger tasks each with a result and a document, then times `integrity.services.compute` over
the whole province (what the background task runs), and the page and its XLSX through Django's
test Client as an inspection-committee member of the province (DEBUG off): two warm-up
requests, then the median of the timed ones and the query count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from urllib.parse import urlencode

from _setup import REPO, django_bench, load_average, time_get

KIEMDIEM = [sys.executable, "-m", "kiemdiem.cli"]
LEVELS = ["HTXSNV", "HTTNV", "HTTNV", "HTNV", "HTNV", "KHTNV"]


def prepare(people: int, url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", "PYTHONPATH": str(REPO)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for cmd in (["migrate", "-v0"], ["seed-demo", "--people", str(people)], ["load-criteria"]):
        subprocess.run([*KIEMDIEM, *cmd], env=env, cwd=REPO, check=True, capture_output=True)


def decide_all(cycle, deciders) -> None:  # type: ignore[no-untyped-def]
    """6 of 7 decided, levels by id, the suggestion and the meeting mostly agreeing."""
    from django.db import connection

    from kiemdiem.reviews.models import Evaluation

    table = Evaluation._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {table} SET status = 'decided' WHERE cycle_id = %s AND id %% 7 <> 0",  # noqa: S608
            [cycle.pk],
        )
        for i, level in enumerate(LEVELS):
            cur.execute(
                f"UPDATE {table} SET decided_level = %s, suggested_level = %s, "  # noqa: S608
                "meeting_level = %s WHERE cycle_id = %s AND status = 'decided' AND id %% 6 = %s",
                [level, level, level, cycle.pk, i],
            )
        for i, user in enumerate(deciders):
            cur.execute(
                f"UPDATE {table} SET decided_by_id = %s WHERE cycle_id = %s "  # noqa: S608
                "AND status = 'decided' AND id %% %s = %s",
                [user.pk, cycle.pk, len(deciders), i],
            )


def ledger(year: int, share: int = 2) -> int:
    """Two tasks for every `share`-th person, each with a result and a document."""
    from kiemdiem.ledger.models import Product, Result, Task
    from kiemdiem.orgs.models import Position

    posts = list(
        Position.objects.filter(end_date__isnull=True).values_list("person_id", "organization_id")
    )
    seen: set[int] = set()
    rows = []
    for person, org in posts:
        if person in seen or person % share:
            continue
        seen.add(person)
        for k in range(2):
            rows.append(
                Task(person_id=person, organization_id=org, year=year, title=f"Nhiệm vụ {k}",
                     target_quantity=Decimal(2), unit="báo cáo", assigned_on=dt.date(year, 2, 1),
                     deadline=dt.date(year, 10, 1), source="assigned" if k else "self",
                     status="approved")
            )  # fmt: skip
    tasks = Task.objects.bulk_create(rows, batch_size=2000)
    results = Result.objects.bulk_create(
        (Result(task=t, achieved_quantity=Decimal(2), completed_on=dt.date(year, 9, 1),
                quality="meets") for t in tasks),
        batch_size=2000,
    )  # fmt: skip
    Product.objects.bulk_create(
        (Product(result=r, kind="document", title="Báo cáo", doc_symbol=f"{r.pk}/BC",
                 doc_date=dt.date(year, 9, 1)) for r in results),
        batch_size=2000,
    )  # fmt: skip
    return len(tasks)


def main() -> int:  # noqa: PLR0915 - a linear script
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--database", default="", help="postgres://… (default: temp SQLite)")
    args = parser.parse_args()
    # A fresh database: the one given, never an inherited DATABASE_URL.
    os.environ.pop("DATABASE_URL", None)
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    tmp = django_bench()
    started = time.perf_counter()
    prepare(args.people, os.environ["DATABASE_URL"])
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from kiemdiem.accounts.models import Role, RoleAssignment
    from kiemdiem.integrity.models import Flag
    from kiemdiem.integrity.services import compute
    from kiemdiem.orgs.models import Organization
    from kiemdiem.reviews.cycles.opening import cycle_open
    from kiemdiem.reviews.cycles.services import cycle_create
    from kiemdiem.reviews.models import Evaluation

    users = get_user_model().objects
    deciders = [users.create_user(username=f"bench-decider-{i}", password=None) for i in range(5)]
    root = Organization.objects.get(kind="party_province")
    for year in (2025, 2026):
        cycle = cycle_create(actor=None, name=f"Năm {year}", year=year, scope=root)
        cycle_open(actor=None, cycle=cycle)
        decide_all(cycle, deciders)
    tasks = ledger(2026)
    print(f"prepared in {time.perf_counter() - started:.0f} s ({tasks:,} tasks)")
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    counts = compute(cycle=cycle)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    user = users.create_user(username="bench-integrity", password=None)
    RoleAssignment.objects.create(user=user, role=Role.INSPECTOR, organization=root)
    client = Client()
    client.force_login(user)
    query = urlencode({"cycle": cycle.pk, "org": root.pk})
    timings: dict[str, list[float]] = {}
    queries: dict[str, int] = {}
    for name in ("integrity_page", "integrity_export"):
        timings[name], queries[name], _response = time_get(
            client, f"{reverse(name)}?{query}", requests=args.requests
        )
    load = load_average()
    evaluations = Evaluation.objects.filter(cycle=cycle).count()
    print(f"CPU cores: {os.cpu_count()}; load average {load}; database: {connection.vendor}")
    print(f"evaluations in the 2026 cycle: {evaluations:,}; flags: {Flag.objects.count():,}")
    print(f"compute (all analytics): {wall:.1f} s wall, {cpu:.1f} s CPU; {counts}")
    for name, t in timings.items():
        print(
            f"{name}: median {statistics.median(t):.0f} ms, min {min(t):.0f} ms, "
            f"max {max(t):.0f} ms over {len(t)} requests; {queries[name]} queries"
        )
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
