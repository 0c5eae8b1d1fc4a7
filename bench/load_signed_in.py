"""Load: N signed-in users for S seconds against `kiemdiem serve` on 127.0.0.1 (issue 13).

Bounded and local only: the target must be 127.0.0.1, the run stops after --seconds or
--max-requests, whichever comes first. Each virtual user signs in once (a demo account that
needs no second factor) and then walks the main pages without pause. The sign-ins (Argon2,
deliberately slow) happen once per demo account before the clock starts; the virtual users
share those sessions, each over its own connection. Prints p50/p95/p99 and
the errors; `--json` for a machine-readable line.

    python bench/load_signed_in.py --base http://127.0.0.1:8765 --users 50 --seconds 60

The server must run the demo data (`kiemdiem seed-demo`, `demo-accounts`, `demo-cycle`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

ACCOUNTS = ["nhanvien", "truongphong", "bithu", "kiemtra"]
PASSWORD = "KiemDiem@2025"  # noqa: S105 — the documented demo password
PAGES = ["/", "/to-chuc/", "/so-nhiem-vu/", "/kiem-diem/", "/tim-kiem/?q=nguyen", "/healthz"]


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = field(default_factory=time.monotonic)
    # Per second since the start: [answers, errors] (for the fault runs' timeline).
    seconds: dict[int, list[int]] = field(default_factory=dict)

    def _mark(self, slot: int) -> None:
        second = int(time.monotonic() - self.started)
        self.seconds.setdefault(second, [0, 0])[slot] += 1

    def ok(self, ms: float) -> None:
        with self.lock:
            self.latencies.append(ms)
            self._mark(0)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1
            self._mark(1)

    @property
    def total(self) -> int:
        return len(self.latencies) + sum(self.errors.values())


class Session:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(host, port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def sign_in(self, username: str) -> bool:
        status, page = self.request("GET", "/dang-nhap/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            return False
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD}
        )
        status, _ = self.request("POST", "/dang-nhap/", body)
        return status == 302


def user_loop(
    index: int,
    base: urllib.parse.SplitResult,
    cookies: dict[str, str],
    stop: float,
    cap: int,
    stats: Stats,
) -> None:
    session = Session(base.hostname or "127.0.0.1", base.port or 80)
    session.cookies = dict(cookies)
    step = index
    while time.monotonic() < stop and stats.total < cap:
        path = PAGES[step % len(PAGES)]
        step += 1
        started = time.perf_counter()
        try:
            status, _ = session.request("GET", path)
        except (OSError, http.client.HTTPException) as exc:
            stats.error(type(exc).__name__)
            time.sleep(0.2)
            continue
        if status == 200:
            stats.ok((time.perf_counter() - started) * 1000)
        else:
            stats.error(f"HTTP {status} {path}")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--timeline", action="store_true", help="answers/errors per second")
    args = parser.parse_args(argv)
    base = urllib.parse.urlsplit(args.base)
    if base.hostname != "127.0.0.1" or base.scheme != "http":
        parser.error("the target must be http://127.0.0.1:<port> (local runs only)")
    signed_in = []
    for username in ACCOUNTS:
        session = Session(base.hostname or "127.0.0.1", base.port or 80)
        if not session.sign_in(username):
            print(f"sign-in failed for {username}", file=sys.stderr)
            return 1
        signed_in.append(session.cookies)
    stats = Stats()
    stop = time.monotonic() + args.seconds
    threads = [
        threading.Thread(
            target=user_loop,
            args=(i, base, signed_in[i % len(signed_in)], stop, args.max_requests, stats),
        )
        for i in range(args.users)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 60)
    elapsed = time.monotonic() - started
    lat = stats.latencies
    result = {
        "users": args.users,
        "seconds": round(elapsed, 1),
        "requests": stats.total,
        "ok": len(lat),
        "errors": sum(stats.errors.values()),
        "error_kinds": stats.errors,
        "rps": round(stats.total / elapsed, 1) if elapsed else 0,
        "p50_ms": round(percentile(lat, 50), 1),
        "p95_ms": round(percentile(lat, 95), 1),
        "p99_ms": round(percentile(lat, 99), 1),
    }
    if args.timeline:
        result["timeline"] = {str(k): v for k, v in sorted(stats.seconds.items())}
        error_seconds = [k for k, (_ok, bad) in stats.seconds.items() if bad]
        result["first_error_s"] = min(error_seconds, default=None)
        result["last_error_s"] = max(error_seconds, default=None)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['users']} users, {result['seconds']} s: {result['requests']} requests "
            f"({result['rps']}/s), {result['errors']} errors {stats.errors or ''}\n"
            f"p50 {result['p50_ms']} ms · p95 {result['p95_ms']} ms · p99 {result['p99_ms']} ms"
        )
        if args.timeline:
            print(f"errors from second {result['first_error_s']} to {result['last_error_s']}")
            print(" ".join(f"{k}:{ok}/{bad}" for k, (ok, bad) in sorted(stats.seconds.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
