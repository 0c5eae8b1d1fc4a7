"""Instruction counts of ``kiemdiem classify`` against the JSON floor, per input shape (issue 15).

Wall and CPU times on a shared machine move with the load; instruction counts do not. For each
shape (``uniform``, ``random``, ``distinct`` from ``gen_population.py``, same ``--n`` and seed)
this runs under ``valgrind --tool=cachegrind --cache-sim=no``:

* the command, ``python -m kiemdiem.cli classify IN -o OUT`` (what the console script runs);
* the floor, a fresh interpreter that ``json.load``-s the input and writes
  ``json.dumps`` of the command's output (loaded first), with the library's defaults;
* two baselines, subtracted so that only the work on the evaluations is compared: the command
  on an empty input (its start-up, case (d) of ``bench_classify``, which a 1M run does not
  notice but a 20k run would) and an interpreter that only loads the command's output
  (subtracted from the floor). The engine's sources are byte-compiled first (this machine sets
  ``PYTHONDONTWRITEBYTECODE``; an installed engine has its bytecode).

ratio = (command − command on an empty input) / (floor − output loading). The figures are deterministic up
to hash randomisation (``PYTHONHASHSEED=0`` is set). Usage::

    python bench/bench_instructions.py [--n 20000] [--shapes uniform,random,distinct]

The command runs in a temporary directory, so the engine measured is the one the interpreter
imports (this checkout's, installed in editable mode); to measure another checkout's engine on
the same inputs, put it first: ``PYTHONPATH=/path/to/other/checkout python bench/…``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_FLOOR = """
import json, sys
with open(sys.argv[2], encoding="utf-8") as f:
    result = json.load(f)
if sys.argv[1] != "-":
    with open(sys.argv[1], "rb") as f:
        json.load(f)
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        f.write(json.dumps(result))
"""


def instructions(argv: list[str], cwd: Path | None = None) -> int:
    """Instructions executed by ``argv`` (valgrind cachegrind, no cache simulation)."""
    with tempfile.NamedTemporaryFile(suffix=".cg") as out:
        run = subprocess.run(
            [
                "valgrind",
                "--tool=cachegrind",
                "--cache-sim=no",
                f"--cachegrind-out-file={out.name}",
                *argv,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
            cwd=cwd,
        )
        if run.returncode != 0:
            raise SystemExit(f"{argv}: exit {run.returncode}\n{run.stderr[-2000:]}")
        m = re.search(r"I\s+refs:\s+([\d,]+)", run.stderr)
        if m is None:
            raise SystemExit(f"no instruction count in valgrind's output:\n{run.stderr[-2000:]}")
        return int(m.group(1).replace(",", ""))


def measure(shape: str, n: int, seed: int, work: Path) -> dict[str, int]:
    py = sys.executable
    inp, out, scratch = work / f"{shape}.json", work / f"{shape}.out.json", work / "floor.json"
    gen = str(ROOT / "bench" / "gen_population.py")
    subprocess.run([py, gen, str(n), str(inp), "--seed", str(seed), "--shapes", shape], check=True)
    argv = [py, "-m", "kiemdiem.cli", "classify", str(inp), "-o", str(out)]
    command = instructions(argv, cwd=work)  # not the checkout's directory: see the docstring
    empty = work / "empty.json"
    empty.write_text('{"year": 2025, "evaluations": []}\n')
    argv = [py, "-m", "kiemdiem.cli", "classify", str(empty), "-o", str(scratch)]
    bare = instructions(argv, cwd=work)
    floor = instructions([py, "-c", _FLOOR, str(inp), str(out), str(scratch)])
    loading = instructions([py, "-c", _FLOOR, "-", str(out), str(scratch)])
    return {"command": command - bare, "floor": floor - loading, "start": bare}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--shapes", default="uniform,random,distinct")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print("| shape | evaluations | floor (instr.) | command (instr.) | per evaluation | ratio |")
    print("|---|---|---|---|---|---|")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kiemdiem")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes.split(","):
            m = measure(shape.strip(), args.n, args.seed, Path(tmp))
            f, c = m["floor"], m["command"]
            print(
                f"| {shape} | {args.n:,} | {f / 1e6:,.0f} M | {c / 1e6:,.0f} M | "
                f"{f / args.n / 1e3:.1f} k / {c / args.n / 1e3:.1f} k | **{c / f:.2f}×** |",
                flush=True,
            )


if __name__ == "__main__":
    main()
