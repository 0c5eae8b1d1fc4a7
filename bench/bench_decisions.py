"""Benchmark: the decision page over 2,000 decidable evaluations (goal < 500 ms, query count
independent of their number) and one decision for a 300-member peer group (goal < 1 s).

    .venv/bin/python bench/bench_decisions.py [--evaluations 2000] [--group 300] [--requests 5]

Builds the demo province in a temporary SQLite database (or DATABASE_URL: an empty database),
opens the demo cycle (`kiemdiem demo-accounts`, `demo-cycle`), then routes N state-track staff
evaluations to the demo competent account (`thamquyen`, cadre-management rows to the People's
Committee), puts M of them in one new peer group, recomputes the suggestions and marks them
verified. Times `decision_page` through the test Client (DEBUG off; median of the timed
requests after two warm-ups) and `decide()` of the whole group at the engine's suggestions;
`--profile` prints cProfile's top functions of one page request and of the decision.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from collections.abc import Callable

from _setup import django_bench, load_average, pass_second_factor, time_get


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaluations", type=int, default=2_000)
    parser.add_argument("--group", type=int, default=300)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument(
        "--profile", action="store_true", help="print cProfile's top functions of each timing"
    )
    args = parser.parse_args()
    tmp = django_bench()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
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
    pass_second_factor(client, user)
    url = reverse("decision_page", args=[cycle.pk])
    times, queries, response = time_get(client, url, requests=args.requests)
    rows = response.content.decode().count('name="evaluation"')
    print(
        f"decision page: {rows} decidable rows, median {statistics.median(times):.0f} ms "
        f"over {args.requests} requests, {queries} queries (load average {load_average()})"
    )
    if args.profile:
        profile(lambda: client.get(url))
    members = Evaluation.objects.filter(peer_group=group).values_list(
        "id", "suggested_level", "version"
    )
    items = [DecisionItem(pk, level, version) for pk, level, version in members]
    start = time.perf_counter()
    if args.profile:
        with cProfile.Profile() as prof:
            outcome = decide(actor=user, cycle=cycle, items=items)
        elapsed = time.perf_counter() - start
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    else:
        outcome = decide(actor=user, cycle=cycle, items=items)
        elapsed = time.perf_counter() - start
    print(
        f"decide(): {len(outcome.decided)} evaluations of one peer group in "
        f"{elapsed * 1000:.0f} ms (load average {load_average()})"
    )
    tmp.cleanup()


def profile(call: Callable[[], object]) -> None:
    """cProfile's 25 costliest functions (cumulative) of one call."""
    with cProfile.Profile() as prof:
        call()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
