"""Benchmark: server time of the organization page for a unit with 2,000 people (goal < 300 ms).

    .venv/bin/python bench/bench_org_page.py [--people N] [--unit-size 2000] [--requests 10]

Seeds a temporary SQLite database (or uses DATABASE_URL if set, and then adds the posts to that
database), gives one public-service unit 2,000 current posts, then renders `org_detail` through
Django's test Client as a superuser: two warm-up requests, then the median of the timed ones,
and the query count.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from _setup import django_bench, load_average, pass_second_factor, time_get


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--unit-size", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    tmp = django_bench()
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from kiemdiem.orgs.models import Organization, OrgKind, Person, Position
    from kiemdiem.orgs.selectors import org_page

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        call_command("seed_demo", people=args.people, verbosity=0)
    unit = Organization.objects.filter(kind=OrgKind.PUBLIC_UNIT, code__contains="THPT").first()
    assert unit is not None
    current = Position.objects.filter(organization=unit, end_date__isnull=True)
    missing = args.unit_size - current.count()
    if missing > 0:
        # Concurrent posts for people of other units, until the unit has `unit_size` people.
        others = Person.objects.exclude(positions__organization=unit).order_by("id")
        Position.objects.bulk_create(
            [
                Position(
                    person_id=pk,
                    organization=unit,
                    title="Giáo viên thỉnh giảng",
                    start_date=dt.date(2024, 9, 1),
                )
                for pk in others.values_list("id", flat=True)[:missing]
            ],
            batch_size=2_000,
        )
    people = current.values("person_id").distinct().count()
    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)  # a superuser's pages wait for the second factor
    url = reverse("org_detail", args=[unit.pk])
    timings, query_count, response = time_get(client, url, requests=args.requests)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    selector = []
    for _ in range(args.requests):
        started = time.perf_counter()
        org_page(unit)
        selector.append((time.perf_counter() - started) * 1000)
    vendor = connection.vendor
    print(
        f"CPU cores: {os.cpu_count()}; load average {load_average()}; database: {vendor}; seeded people: "
        f"{Person.objects.count():,}"
    )
    print(f"unit: {unit.name} — {people:,} people with a current post")
    print(
        f"org_detail: median {statistics.median(timings):.0f} ms, "
        f"min {min(timings):.0f} ms, max {max(timings):.0f} ms over {len(timings)} requests; "
        f"{query_count} queries; {len(response.content) / 1024:.0f} KiB of HTML"
    )
    print(f"selectors.org_page alone: median {statistics.median(selector):.0f} ms")
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    for q in slowest:
        print(f"  {float(q['time']) * 1000:.0f} ms  {q['sql'][:160]}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
