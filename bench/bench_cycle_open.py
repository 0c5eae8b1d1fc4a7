"""Time `cycle_open` on a demo province (target: 100,000 people in under 60 s on SQLite).

Run: .venv/bin/python bench/bench_cycle_open.py [--people 100000] [--seed 1] [--database URL]

Seeds `kiemdiem seed-demo --people N` into a fresh temporary SQLite file (or the PostgreSQL
database named by --database, which must be empty), loads the criteria templates, creates a 2025
cycle on the provincial party organization (its scope reaches the People's Committee and Front
trees through their party organizations) and times two runs of `cycle_open`: the first creates
every evaluation; the second must create nothing. Prints the figures as a Markdown table row for
bench/CYCLE_RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
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
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="", help="postgres://… (default: temp SQLite)")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="kd_bench_cycle_")
    url = args.database or f"sqlite:///{tmp.name}/bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", "PYTHONPATH": str(REPO)}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def kiemdiem(*cmd: str) -> float:
        started = time.perf_counter()
        subprocess.run([*KIEMDIEM, *cmd], env=env, cwd=REPO, check=True, capture_output=True)
        return time.perf_counter() - started

    migrate_s = kiemdiem("migrate", "-v0")
    seed_s = kiemdiem("seed-demo", "--people", str(args.people), "--seed", str(args.seed))
    kiemdiem("load-criteria")

    os.environ.update(DATABASE_URL=url, DEBUG="true", DJANGO_SETTINGS_MODULE="kiemdiem.settings")
    import django

    django.setup()
    from django.db import connection

    from kiemdiem.orgs.models import Organization, Person
    from kiemdiem.reviews.cycles.opening import cycle_open
    from kiemdiem.reviews.cycles.services import cycle_create
    from kiemdiem.reviews.models import Evaluation, PeerGroup

    root = Organization.objects.get(kind="party_province")
    cycle = cycle_create(actor=None, name="Năm 2025", year=2025, scope=root)

    started = time.perf_counter()
    first = cycle_open(actor=None, cycle=cycle)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = cycle_open(actor=None, cycle=cycle)
    second_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    people = Person.objects.count()
    orgs = Organization.objects.count()
    evaluations = Evaluation.objects.filter(cycle=cycle).count()
    groups = PeerGroup.objects.filter(cycle=cycle).count()
    manages = Evaluation.manages.through.objects.filter(from_evaluation__cycle=cycle).count()
    assert second.created == 0 and second.updated == 0, second.as_dict()
    assert evaluations == first.total

    print(f"database            {connection.vendor} ({url.split('://')[0]})")
    print(f"migrate             {migrate_s:.1f} s")
    print(f"seed-demo           {seed_s:.1f} s")
    print(f"people / orgs       {people:,} / {orgs:,}")
    print(
        f"evaluations         {evaluations:,} ({first.excluded:,} excluded, "
        f"{len(first.dropped):,} outside peer groups)"
    )
    print(f"peer groups         {groups:,}; manages links {manages:,}")
    print(f"by role             {first.by_role}")
    print(f"cycle_open, 1st     {first_s:.1f} s (created {first.created:,})")
    print(
        f"cycle_open, 2nd     {second_s:.1f} s (created {second.created:,}, "
        f"unchanged {second.unchanged:,})"
    )
    print(f"peak RSS            {peak_mb:.0f} MB")
    print()
    print(
        f"| {connection.vendor} | {people:,} | {orgs:,} | {evaluations:,} | {groups:,} | "
        f"{first_s:.1f} s | {second_s:.1f} s | {peak_mb:.0f} MB |"
    )
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
