"""Benchmark of ``kiemdiem classify`` against the JSON floor on every input shape (issue 15).

Four cases, each measured against its floor in the same run:

* (a) ``uniform``: ``--n-uniform`` evaluations (default 1,000,000) from ``gen_population.py``;
* (b) ``random``: ``--n`` evaluations (default 200,000) carrying, at random, some of seven
  optional keys at their default values;
* (c) ``distinct``: ``--n`` evaluations, every one with its own key sequence (a subset of all
  default-valued keys and of a key its rule set ignores, in shuffled order);
* (d) ``empty``: start-up, ``{"year": 2025, "evaluations": []}``.

The command runs as a subprocess (``.venv/bin/kiemdiem classify in.json -o out.json``; wall
time, CPU time and peak RSS of that child from ``os.wait4``). The floor is ``json.load`` of the
same input plus ``f.write(json.dumps(obj))`` of an output of the same content (the command's own
output, loaded untimed) with the library's defaults, in a fresh interpreter; for (d) it is a fresh
``python`` that imports ``json``, loads the input and writes the output. Each figure is the best
of ``--repeat`` runs (the machine may be shared); command and floor runs alternate.

Usage: ``python bench/bench_classify.py`` (full), ``python bench/bench_classify.py --quick``
(100k uniform, 20k shaped), ``--cases a,b`` to run only some.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

Timing = tuple[float, float]  # (wall seconds, CPU seconds)
CASES = {"a": "uniform", "b": "random", "c": "distinct", "d": "empty"}


def _command(exe: Path, inp: Path, out: Path) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of one ``classify`` child."""
    t0 = time.perf_counter()
    # posix_spawn: the child never holds a copy of this (big) process, so its peak RSS is
    # its own.
    pid = os.posix_spawn(str(exe), [str(exe), "classify", str(inp), "-o", str(out)], os.environ)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"classify exited {code}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


_FLOOR = """
import gc, json, sys, time
with open(sys.argv[2], encoding="utf-8") as f:
    result = json.load(f)
gc.collect()
w, c = time.perf_counter(), time.process_time()
with open(sys.argv[1], "rb") as f:
    json.load(f)
with open(sys.argv[3], "w", encoding="utf-8") as f:
    f.write(json.dumps(result))
print(time.perf_counter() - w, time.process_time() - c)
"""


def _floor(inp: Path, out: Path, scratch: Path) -> Timing:
    """json.load of the input + json.dumps and write of the command's output (loaded
    untimed), in a fresh interpreter with the library's defaults (this process stays small, so
    that each child's peak RSS is its own)."""
    argv = [sys.executable, "-c", _FLOOR, str(inp), str(out), str(scratch)]
    text = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    wall, cpu = map(float, text.split())
    return wall, cpu


def _floor_process(inp: Path, out: Path, scratch: Path) -> Timing:
    """For start-up: a whole fresh interpreter that loads the input and writes the output."""
    code = (
        "import json,sys\n"
        "json.load(open(sys.argv[1],'rb'))\n"
        "open(sys.argv[3],'w').write(json.dumps(json.load(open(sys.argv[2]))))\n"
    )
    t0 = time.perf_counter()
    argv = [sys.executable, "-c", code, str(inp), str(out), str(scratch)]
    pid = os.posix_spawn(sys.executable, argv, os.environ)
    _, _, usage = os.wait4(pid, 0)
    return time.perf_counter() - t0, usage.ru_utime + usage.ru_stime


def _case(name: str, n: int, work: Path, exe: Path, repeat: int, seed: int) -> str:
    inp, out, scratch = work / f"{name}.json", work / f"{name}.out.json", work / "floor.json"
    if name == "empty":
        inp.write_text('{"year": 2025, "evaluations": []}\n')
    else:  # in a child: this process stays small
        gen = str(Path(__file__).resolve().parent / "gen_population.py")
        argv = [sys.executable, gen, str(n), str(inp), "--seed", str(seed), "--shapes", name]
        subprocess.run(argv, check=True)
    cmds = []
    floors = []
    for _ in range(repeat):
        cmds.append(_command(exe, inp, out))
        floors.append((_floor_process if name == "empty" else _floor)(inp, out, scratch))
    wall = min(c[0] for c in cmds)
    cpu = min(c[1] for c in cmds)
    rss = max(c[2] for c in cmds)
    f_wall = min(f[0] for f in floors)
    f_cpu = min(f[1] for f in floors)
    size = inp.stat().st_size / 1e6
    for p in (inp, out, scratch):
        p.unlink(missing_ok=True)
    return (
        f"| {name} | {n:,} | {size:.0f} MB | {f_wall:.2f} s / {f_cpu:.2f} s | "
        f"{wall:.2f} s / {cpu:.2f} s | **{wall / f_wall:.2f}×** / **{cpu / f_cpu:.2f}×** "
        f"| {rss:.0f} MB |"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n-uniform", type=int, default=1_000_000, help="evaluations in (a)")
    ap.add_argument("--n", type=int, default=200_000, help="evaluations in (b) and (c)")
    ap.add_argument("--quick", action="store_true", help="100k in (a), 20k in (b) and (c)")
    ap.add_argument("--cases", default="a,b,c,d", help="which of a,b,c,d to run")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.quick:
        args.n_uniform, args.n = 100_000, 20_000
    exe = Path(sys.executable).with_name("kiemdiem")
    print(
        "| case | evaluations | input | floor (wall / CPU) | command (wall / CPU) | ratio | peak RSS |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for key in args.cases.split(","):
            name = CASES[key.strip()]
            n = {"uniform": args.n_uniform, "empty": 0}.get(name, args.n)
            print(_case(name, n, Path(tmp), exe, args.repeat, args.seed), flush=True)
    print("load average at end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
