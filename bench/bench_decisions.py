"""Benchmark: the decision page over 2,000 decidable evaluations (goal < 500 ms, query count
independent of their number) and one decision for a 300-member peer group (goal < 1 s).

    .venv/bin/python bench/bench_decisions.py [--evaluations 2000] [--group 300] [--requests 5]

Builds the demo province in a temporary SQLite database (or DATABASE_URL: an empty database),
opens the demo cycle (`kiemdiem demo-accounts`, `demo-cycle`), then routes N state-track staff
evaluations to the demo competent account (`thamquyen`, cadre-management rows to the People's
Committee), puts M of them in one new peer group, recomputes the suggestions and marks them
verified. Times `decision_page` through the test Client (DEBUG off; median of the timed
requests after two warm-ups) and `decide()` of the whole group at the engine's suggestions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaluations", type=int, default=2_000)
    parser.add_argument("--group", type=int, default=300)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp.name}/bench.sqlite3")
    # Production settings (DEBUG off); the demo commands are run with --force.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["STATIC_MANIFEST"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kiemdiem.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.urls import reverse

    from kiemdiem.accounts.models import Role, RoleAssignment
    from kiemdiem.orgs.models import CadreManagement
    from kiemdiem.reviews.decisions.errors import DecisionItem
    from kiemdiem.reviews.decisions.services import decide
    from kiemdiem.reviews.evaluations.suggestions import cycle_recompute_suggestions
    from kiemdiem.reviews.models import Cycle, Evaluation, PeerGroup

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_criteria", verbosity=0)
    call_command("seed_demo", if_empty=True, verbosity=0)
    call_command("demo_accounts", force=True, verbosity=0)
    call_command("demo_cycle", force=True, verbosity=0)
    print(f"set-up (demo province and cycle): {time.perf_counter() - t0:.1f} s")
    user = get_user_model().objects.get(username="thamquyen")
    manager = RoleAssignment.objects.filter(user=user, role=Role.COMPETENT).first().organization
    cycle = Cycle.objects.get()
    pool = list(
        Evaluation.objects.filter(
            cycle=cycle, status="draft", excluded=False, track="state", role="staff"
        )
        .exclude(person__management__isnull=False)
        .exclude(person__user__isnull=False)
        .order_by("id")[: args.evaluations]
    )
    CadreManagement.objects.bulk_create(
        CadreManagement(manager=manager, person_id=e.person_id) for e in pool
    )
    group = PeerGroup.objects.create(cycle=cycle, code="BENCH", name="Nhóm đo thời gian")
    Evaluation.objects.filter(pk__in=[e.pk for e in pool[: args.group]]).update(peer_group=group)
    cycle_recompute_suggestions(actor=None, cycle=cycle)
    Evaluation.objects.filter(pk__in=[e.pk for e in pool]).update(status="verified")
    client = Client()
    client.force_login(user)
    url = reverse("decision_page", args=[cycle.pk])
    times = []
    for n in range(args.requests + 2):
        start = time.perf_counter()
        response = client.get(url)
        if n >= 2:
            times.append(time.perf_counter() - start)
        assert response.status_code == 200
    rows = response.content.decode().count('name="evaluation"')
    settings.DEBUG = True
    reset_queries()
    client.get(url)
    queries = len(connection.queries)
    print(
        f"decision page: {rows} decidable rows, median {statistics.median(times) * 1000:.0f} ms "
        f"over {args.requests} requests, {queries} queries"
    )
    settings.DEBUG = False
    load = os.getloadavg()[0]
    members = Evaluation.objects.filter(peer_group=group).values_list(
        "id", "suggested_level", "version"
    )
    items = [DecisionItem(pk, level, version) for pk, level, version in members]
    start = time.perf_counter()
    outcome = decide(actor=user, cycle=cycle, items=items)
    print(
        f"decide(): {len(outcome.decided)} evaluations of one peer group in "
        f"{(time.perf_counter() - start) * 1000:.0f} ms (load average {load:.1f})"
    )


if __name__ == "__main__":
    main()
