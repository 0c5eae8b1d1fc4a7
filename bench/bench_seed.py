"""Benchmark: `kiemdiem seed-demo --people 100000` on a fresh database (goal: under 60 s).

    .venv/bin/python bench/bench_seed.py [--people N] [--no-postgres]

Runs on a temporary SQLite file, then on a scratch PostgreSQL database when the server at
127.0.0.1:5432 answers. Reports wall time (the whole command, including Django start-up) and the
rows written. Not a unit test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KIEMDIEM = [sys.executable, "-c", "from kiemdiem.cli import main; raise SystemExit(main())"]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "kd_bench_seed"


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [*KIEMDIEM, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"kiemdiem {' '.join(args)} failed")
    return done.stdout


def bench(label: str, database_url: str, people: int) -> None:
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": database_url}
    run(["migrate", "--no-input", "-v0"], env)
    started = time.perf_counter()
    out = run(["seed-demo", "--people", str(people)], env)
    wall = time.perf_counter() - started
    summary = next(line for line in out.splitlines() if line.startswith("Xong"))
    print(f"{label}: {wall:.1f} s wall for {people:,} people")
    print(f"  {summary}")


def postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
        return True
    except Exception:  # noqa: BLE001 — any failure means "not available"
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"CPU cores: {os.cpu_count()}; load average {load}; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args.people)
    if args.no_postgres:
        return
    if not postgres_available():
        print("PostgreSQL: not reachable on 127.0.0.1:5432, skipped")
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    try:
        bench("PostgreSQL", f"postgres://postgres@127.0.0.1:5432/{PG_DB}", args.people)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
