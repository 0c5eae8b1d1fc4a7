"""Benchmark: the API's evaluation list, 500 per page, on the demo province (server time and
query count; the count must not grow with the page size).

    .venv/bin/python bench/bench_api.py [--people 3000] [--requests 10]

Seeds a temporary SQLite database (or uses DATABASE_URL if set), opens a cycle over the
provincial party organization, then asks `GET /api/v1/cycles/{id}/evaluations/` through
Django's test Client with a superuser's token (`page_size` 50 and 500) and one evaluation:
two warm-up requests, then the median of the timed ones, and the query count.
"""

from __future__ import annotations

import argparse
import os
import statistics

from _setup import django_bench, load_average, time_get


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=3_000)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    tmp = django_bench()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from kiemdiem.api.tokens import token_create
    from kiemdiem.orgs.models import Organization
    from kiemdiem.reviews.cycles.opening import cycle_open
    from kiemdiem.reviews.cycles.services import cycle_create
    from kiemdiem.reviews.models import Cycle, Evaluation

    call_command("migrate", verbosity=0)
    call_command("load_criteria", verbosity=0)
    if not Organization.objects.exists():
        call_command("seed_demo", people=args.people, verbosity=0)
    cycle = Cycle.objects.filter(year=2025).first()
    if cycle is None:
        root = Organization.objects.filter(parent__isnull=True, kind="party_province").first()
        cycle = cycle_create(actor=None, name="Năm 2025", year=2025, scope=root)
        cycle_open(actor=None, cycle=cycle)
    user, _ = get_user_model().objects.get_or_create(
        username="bench-api", defaults={"is_superuser": True, "is_staff": True}
    )
    headers = {"Authorization": f"Bearer {token_create(actor=None, user=user)}"}
    client = Client()
    total = Evaluation.objects.filter(cycle=cycle).count()
    print(
        f"CPU cores: {os.cpu_count()}; load average {load_average()}; "
        f"database: {connection.vendor}; "
        f"{total:,} evaluations in the cycle"
    )
    one = Evaluation.objects.filter(cycle=cycle).order_by("id").first()
    cases = [
        ("evaluations, page_size=50", f"/api/v1/cycles/{cycle.pk}/evaluations/?page_size=50"),
        ("evaluations, page_size=500", f"/api/v1/cycles/{cycle.pk}/evaluations/?page_size=500"),
        ("evaluation detail", f"/api/v1/evaluations/{one.pk}/"),
        ("statistics (whole scope)", f"/api/v1/cycles/{cycle.pk}/statistics/"),
    ]
    for label, url in cases:
        timings, queries, response = time_get(client, url, requests=args.requests, headers=headers)
        print(
            f"{label}: median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms "
            f"over {len(timings)} requests; {queries} queries; "
            f"{len(response.content) / 1024:.0f} KiB"
        )
    tmp.cleanup()


if __name__ == "__main__":
    main()
