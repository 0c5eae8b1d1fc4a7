"""Time recomputing every suggested level of a cycle on a demo province (issue 9: the
"recompute suggestions" button over the 100,000-person province).

Run: .venv/bin/python bench/bench_recompute.py [--people 100000] [--seed 1] [--database URL]
     [--keep DIR]

Seeds `kiemdiem seed-demo --people N` into a fresh SQLite file (or the empty PostgreSQL database
named by --database), opens a 2025 cycle on the provincial party organization, then times
`cycle_recompute_suggestions` — the function the background task `recompute_cycle` runs — split
into its phases: loading the engine's rows, the engine run, writing the suggestions. `--keep DIR`
keeps (and on the next run reuses) the prepared SQLite database in DIR; with --database, any
--keep value reuses the PostgreSQL database if it is already seeded.

Before timing, the evaluations get the facts submitted self-reviews carry (`_review_facts`:
scores, grades, tasks, optional facts on half of them, rare disciplines and knock-outs, a mix of
statuses; ~2% stay drafts without facts), set-based, so the engine classifies a realistic
province; the stored suggestions are cleared, so the timed run writes every row. `--repeat`
times a second run over unchanged facts (nothing to write). CPU is this process's; on
PostgreSQL the server backend's CPU is read from /proc when the server is local.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
KIEMDIEM = [sys.executable, "-m", "kiemdiem.cli"]


def prepare(url: str, people: int, seed: int) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", "PYTHONPATH": str(REPO)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for cmd in (
        ["migrate", "-v0"],
        ["seed-demo", "--people", str(people), "--seed", str(seed)],
        ["load-criteria"],
    ):
        subprocess.run([*KIEMDIEM, *cmd], env=env, cwd=REPO, check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="", help="postgres://… (default: SQLite)")
    parser.add_argument(
        "--keep",
        default="",
        help="directory keeping the SQLite database (with --database: reuse a seeded database)",
    )
    parser.add_argument("--repeat", action="store_true", help="time a second, unchanged run")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="kd_bench_recompute_")
    folder = Path(args.keep or tmp.name)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"recompute-{args.people}.sqlite3"
    url = args.database or f"sqlite:///{path}"
    fresh = not path.exists() if not args.database else not (args.keep and seeded(args.database))
    if fresh:
        prepare(url, args.people, args.seed)

    os.environ.update(DATABASE_URL=url, DEBUG="false", DJANGO_SETTINGS_MODULE="kiemdiem.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from _review_facts import give_facts
    from django.db import connection
    from django.db.models import Count

    from kiemdiem.orgs.models import Organization
    from kiemdiem.reviews.cycles.models import Cycle
    from kiemdiem.reviews.cycles.opening import cycle_open
    from kiemdiem.reviews.cycles.services import cycle_create
    from kiemdiem.reviews.evaluations import engine, suggestions
    from kiemdiem.reviews.models import Evaluation

    cycle = Cycle.objects.filter(year=2025).first()
    if cycle is None:
        root = Organization.objects.get(kind="party_province")
        cycle = cycle_create(actor=None, name="Năm 2025", year=2025, scope=root)
        cycle_open(actor=None, cycle=cycle)
    evaluations = Evaluation.objects.filter(cycle=cycle).count()
    if not Evaluation.objects.filter(cycle=cycle, score__isnull=False).exists():
        started = time.perf_counter()
        shape = give_facts(cycle, cycle.year)
        print(f"facts given       {shape} in {time.perf_counter() - started:.1f} s")
    statuses = dict(
        Evaluation.objects.filter(cycle=cycle)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by("status")
    )
    Evaluation.objects.filter(cycle=cycle).update(
        suggested_level="",
        suggested_base_level="",
        suggested_flags=[],
        suggested_reasons=[],
        suggested_at=None,
    )

    if connection.vendor == "postgresql":  # as autovacuum leaves it after the updates above
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Evaluation._meta.db_table}")

    # The phases, timed by wrapping the functions the service calls.
    phases: dict[str, float] = {}
    cpus: dict[str, float] = {}

    def timed(name, fn):  # type: ignore[no-untyped-def]
        def run(*a, **kw):  # type: ignore[no-untyped-def]
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return fn(*a, **kw)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - started
                cpus[name] = cpus.get(name, 0.0) + time.process_time() - cpu

        return run

    # The floor the issue names: reading the same rows with one raw query (the engine's
    # columns of the cycle's evaluations, no model layer).
    fields = [Evaluation._meta.get_field(name) for name in engine.ROW_FIELDS]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Evaluation._meta.db_table)
    started, floor_cpu = time.perf_counter(), time.process_time()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE cycle_id = %s", [cycle.pk])  # noqa: S608
        floor_rows = len(cursor.fetchall())
    floor = time.perf_counter() - started
    floor_cpu = time.process_time() - floor_cpu

    suggestions.load_rows = timed("load rows", engine.load_rows)
    suggestions.classify_rows = timed("engine", engine.classify_rows)
    print(f"database          {connection.vendor}")
    print(f"evaluations       {evaluations:,}")
    print(f"statuses          {statuses}")
    print(
        f"floor             {floor:.1f} s wall, {floor_cpu:.1f} s CPU: one raw SELECT of the same"
        f" {floor_rows:,} rows"
    )
    for run in ("every suggestion new", "nothing changed")[: 2 if args.repeat else 1]:
        phases.clear()
        cpus.clear()
        server0 = server_cpu(connection)
        cpu0 = time.process_time()
        started = time.perf_counter()
        counts = suggestions.cycle_recompute_suggestions(actor=None, cycle=cycle)
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu0
        server = server_cpu(connection) - server0
        write = total - sum(phases.values())
        print(f"-- run: {run}")
        print(f"levels            {counts}")
        for name, seconds in phases.items():
            print(f"{name:<17} {seconds:.1f} s wall, {cpus[name]:.1f} s CPU")
        print(f"write             {write:.1f} s wall, {cpu - sum(cpus.values()):.1f} s CPU")
        print(f"total             {total:.1f} s wall, {cpu:.1f} s CPU (this process)", end="")
        print(f", {server:.1f} s CPU (PostgreSQL backend)" if server else "")
        print(f"ratio             {total / floor:.1f}× the floor (CPU: {cpu / floor_cpu:.1f}×)")
        print(f"load average      {os.getloadavg()[0]:.1f}")
    return 0


def seeded(url: str) -> bool:
    """Whether the PostgreSQL database at `url` already holds a seeded province."""
    import psycopg

    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT to_regclass('orgs_organization') IS NOT NULL").fetchone()
        return bool(found and found[0]) and bool(
            conn.execute("SELECT EXISTS (SELECT 1 FROM orgs_organization)").fetchone()[0]
        )


def server_cpu(connection: Any) -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (0 elsewhere)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    sys.exit(main())
