"""Benchmark of ``kiemdiem classify`` against the JSON floor (contract section 8).

Generates a synthetic country (``bench/gen_population.py``) of ``--n`` evaluations into a
temporary directory, then measures in the same run and on the same file:

* the command: ``.venv/bin/kiemdiem classify in.json -o out.json`` as a subprocess (wall
  time, peak RSS of the child from ``resource.getrusage(RUSAGE_CHILDREN)``);
* the floor: ``json.load`` of the input plus writing an output of the same size (the command's
  own output, loaded beforehand and not timed) with the same library, both as
  ``json.dump(obj, f)`` and as ``f.write(json.dumps(obj))``; the faster write is the floor.

Each measurement is repeated ``--repeat`` times and the best is kept (the machine may be
shared). Usage: ``python bench/bench_classify.py --n 1000000``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_population import write  # noqa: E402

Timing = tuple[float, float]  # (wall seconds, CPU seconds)


def _timed(fn: Callable[[], object]) -> Timing:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def _floor(inp: Path, out: Path, scratch: Path, collector: bool) -> tuple[Timing, Timing, Timing]:
    """json.load of the input; json.dump and json.dumps+write of an output of the same size
    (the command's, loaded untimed). Default ``ensure_ascii`` (the library's fastest write).
    ``collector``: leave the cyclic garbage collector on (the library default) or turn it off
    as the command does (the stricter floor)."""
    gc.collect()
    if not collector:
        gc.disable()

    def load() -> None:
        with open(inp, "rb") as f:
            json.load(f)

    with open(out, encoding="utf-8") as f:
        result = json.load(f)

    def dump() -> None:
        with open(scratch, "w", encoding="utf-8") as f:
            json.dump(result, f)

    def dumps() -> None:
        with open(scratch, "w", encoding="utf-8") as f:
            f.write(json.dumps(result))

    timings = _timed(load), _timed(dump), _timed(dumps)
    result = None  # free it before the next run
    gc.enable()
    gc.collect()
    return timings


def _command(exe: Path, inp: Path, out: Path) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([str(exe), "classify", str(inp), "-o", str(out)], check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"classify exited {proc.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", help="directory to keep the files in (default: a temp dir)")
    ap.add_argument("--reuse", action="store_true", help="reuse --keep's in.json if present")
    args = ap.parse_args()
    exe = Path(sys.executable).with_name("kiemdiem")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        inp, out, scratch = work / "in.json", work / "out.json", work / "floor.json"
        if args.reuse and inp.exists():
            print(f"reusing {inp} ({inp.stat().st_size / 1e6:.0f} MB)")
        else:
            t0 = time.perf_counter()
            write(str(inp), args.n, args.seed)
            gen = time.perf_counter() - t0
            size = inp.stat().st_size / 1e6
            print(f"generated {args.n:,} evaluations ({size:.0f} MB) in {gen:.1f} s")
        # Alternate command and floor runs so that both see the same machine load; report
        # wall time and CPU time (user + system), the latter being robust on a shared machine.
        cmds: list[Timing] = []
        floors: list[tuple[Timing, Timing, Timing]] = []
        strict: list[tuple[Timing, Timing, Timing]] = []
        peak_mb = 0.0
        for _ in range(args.repeat):
            cmds.append(_command(exe, inp, out))
            if not floors:
                # Before any floor run: a child forked from a big parent counts the parent's
                # pages until it execs, which would inflate later readings.
                peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            floors.append(_floor(inp, out, scratch, collector=True))
            strict.append(_floor(inp, out, scratch, collector=False))
        print(f"output {out.stat().st_size / 1e6:.0f} MB")
        for k, what, fl in (
            (0, "wall", floors),
            (1, "CPU", floors),
            (0, "wall, floor without gc", strict),
            (1, "CPU, floor without gc", strict),
        ):
            load = min(f[0][k] for f in fl)
            dump = min(f[1][k] for f in fl)
            dumps = min(f[2][k] for f in fl)
            command = min(c[k] for c in cmds)
            floor = load + min(dump, dumps)
            runs = ", ".join(f"{c[k]:.2f}" for c in cmds)
            print(
                f"[{what}] floor = json.load {load:.2f} s + write {min(dump, dumps):.2f} s "
                f"(json.dump {dump:.2f} s, json.dumps+write {dumps:.2f} s) = {floor:.2f} s"
            )
            print(f"[{what}] command {command:.2f} s (runs {runs})")
            print(
                f"[{what}] ratio {command / floor:.2f}x the floor "
                f"({command / (load + dump):.2f}x json.load + json.dump)"
            )
        print(f"peak RSS of the command: {peak_mb:.0f} MB")
        if args.keep is None:
            for p in (inp, out, scratch):
                if p.exists():
                    os.unlink(p)


if __name__ == "__main__":
    main()
