"""Prints the load run's figures (bench/run_load.sh pipes bench/load_signed_in.py --json here)
with the server's CPU per request and the capacity it gives on this machine's cores."""

from __future__ import annotations

import argparse
import json
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cpu-ticks", type=int, required=True)
    parser.add_argument("--hz", type=int, default=100)
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()
    result = json.loads(sys.stdin.read().strip().splitlines()[-1])
    print(
        f"{result['users']} users, {result['seconds']} s: {result['requests']} requests "
        f"({result['rps']}/s), {result['errors']} errors {result['error_kinds'] or ''}\n"
        f"p50 {result['p50_ms']} ms · p95 {result['p95_ms']} ms · p99 {result['p99_ms']} ms"
    )
    for path, row in result["paths"].items():
        print(f"  {path:42} n={row['n']:5}  p50 {row['p50_ms']:5} ms  p95 {row['p95_ms']:5} ms")
    if result["requests"]:
        cpu_ms = args.cpu_ticks * 1000 / args.hz / result["requests"]
        capacity = args.cores * 1000 / cpu_ms if cpu_ms else float("inf")
        print(
            f"server CPU (gunicorn, PostgreSQL not counted): {cpu_ms:.1f} ms per request; "
            f"{args.cores} idle cores would serve ≈ {capacity:.0f} requests/s at most"
        )
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
