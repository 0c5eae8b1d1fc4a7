"""Benchmark: roster export/import and backup/restore of the 100,000-person demo province.

    .venv/bin/python bench/bench_roster.py [--people N] [--no-postgres]

1. `seed-demo --people N` into a scratch SQLite database A, `export-roster` → roster.xlsx
   (organizations, people, positions and party memberships: the import's real-size file).
2. The reading floor: only reading that file with python-calamine (the import's reader), and
   with openpyxl's read-only mode (the alternative measured to pick the reader).
3. `import-roster roster.xlsx` into an empty database B (goal < 60 s), then again (everything
   unchanged), the same on PostgreSQL, then a copy with one bad CCCD near the end (exit 2,
   names that row, writes nothing).
4. `backup` of A, `restore` into an empty database C (SQLite, then PostgreSQL when reachable).

Wall and CPU times of whole commands (Django start-up included), with DEBUG off. Not a unit
test.
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

ROOT = Path(__file__).resolve().parent.parent
KIEMDIEM = [sys.executable, "-c", "from kiemdiem.cli import main; raise SystemExit(main())"]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


LAST_CPU = [0.0]


def run(args: list[str], env: dict[str, str], expect: int = 0) -> tuple[float, str]:
    """Wall time of the command; its CPU time (user + sys of the child) goes to LAST_CPU: on
    the shared 2-core machine the wall time mostly measures the queue."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [*KIEMDIEM, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != expect:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"kiemdiem {' '.join(args)}: exit {done.returncode}, expected {expect}")
    return wall, done.stdout + done.stderr


def cpu() -> str:
    return f"{LAST_CPU[0]:.1f} s CPU, load {os.getloadavg()[0]:.1f}"


def database(kind: str, tmp: Path, name: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp}/{name}.sqlite3"
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "kd_bench_{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "kd_bench_{name}"')
    return f"postgres://postgres@127.0.0.1:5432/kd_bench_{name}"


def env_for(url: str, tmp: Path, media: str) -> dict[str, str]:
    # Production settings (DEBUG off), as an import runs for real; the key is the bench's own.
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-roster-only-" + "x" * 40,
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(tmp / media),
    }
    run(["migrate", "--no-input", "-v0"], env)
    return env


def reading_floor(path: Path) -> None:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    rows = sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)
    calamine = time.perf_counter() - started
    started = time.perf_counter()
    wb = load_workbook(path, read_only=True)
    rows_o = sum(sum(1 for _ in ws.iter_rows(values_only=True)) for ws in wb.worksheets)
    openpyxl = time.perf_counter() - started
    print(f"reading floor ({rows:,} rows): calamine {calamine:.1f} s, openpyxl read-only "
          f"{openpyxl:.1f} s ({rows_o:,} rows)")  # fmt: skip


def bad_copy(path: Path, target: Path) -> int:
    """The same file with one malformed CCCD in the people sheet, 10 rows before its end."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Cá nhân"]
    row = ws.max_row - 10
    ws.cell(row=row, column=1, value="0123456789AB")
    wb.save(target)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--skip-bad", action="store_true", help="skip the bad-row run")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="kd-bench-roster-") as raw:
        tmp = Path(raw)
        source = env_for(database("sqlite", tmp, "source"), tmp, "media-a")
        wall, _out = run(["seed-demo", "--people", str(args.people)], source)
        print(f"seed-demo --people {args.people:,}: {wall:.1f} s")
        roster = tmp / "roster.xlsx"
        wall, _out = run(["export-roster", "-o", str(roster)], source)
        print(f"export-roster: {wall:.1f} s, {roster.stat().st_size / 1e6:.1f} MB")
        reading_floor(roster)
        target = env_for(database("sqlite", tmp, "target"), tmp, "media-b")
        wall, out = run(["import-roster", str(roster)], target)
        print(f"import-roster into an empty SQLite database: {wall:.1f} s, {cpu()}")
        print("  " + out.strip().replace("\n", "\n  "))
        wall, out = run(["import-roster", str(roster)], target)
        print(f"import-roster again (all unchanged): {wall:.1f} s, {cpu()}")
        if not args.no_postgres:
            pg = env_for(database("postgresql", tmp, "import"), tmp, "media-pg-import")
            wall, out = run(["import-roster", str(roster)], pg)
            print(f"import-roster into an empty PostgreSQL database: {wall:.1f} s, {cpu()}")
            wall, out = run(["import-roster", str(roster)], pg)
            print(f"import-roster again into PostgreSQL (all unchanged): {wall:.1f} s, {cpu()}")
        if not args.skip_bad:
            bad = tmp / "bad.xlsx"
            row = bad_copy(roster, bad)
            wall, out = run(
                ["import-roster", str(bad)],
                env_for(database("sqlite", tmp, "bad"), tmp, "m"),
                expect=2,
            )
            named = f"dòng {row}," in out
            print(f"one bad CCCD at row {row}: exit 2 in {wall:.1f} s, row named: {named}")
        archive = tmp / "backup.zip"
        wall, out = run(["backup", "-o", str(archive)], source)
        print(
            f"backup: {wall:.1f} s, {cpu()}, {archive.stat().st_size / 1e6:.1f} MB — {out.strip()}"
        )
        kinds = ["sqlite"] if args.no_postgres else ["sqlite", "postgresql"]
        for kind in kinds:
            env = env_for(database(kind, tmp, "restore"), tmp, f"media-{kind}")
            wall, out = run(["restore", str(archive)], env)
            print(f"restore into empty {kind}: {wall:.1f} s, {cpu()} — {out.strip()}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
