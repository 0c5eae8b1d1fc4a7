"""Load: N signed-in users for S seconds against `kiemdiem serve` on 127.0.0.1 (issue 13).

Bounded and local only: the target must be 127.0.0.1, the run stops after --seconds or
--max-requests, whichever comes first. The sign-ins (Argon2, deliberately slow) happen once per
demo account (one that needs no second factor) before the clock starts; the virtual users share
those sessions, each over its own connection. Every fifth virtual user is an API client (a
Bearer token per account, `--token username=kd_...`, made by `kiemdiem api-token`); the others
walk the main pages.

Think time: a person reads a page before opening the next, so each virtual user waits a random
--think-min..--think-max seconds (default 1–5 s, locust's `between(1, 5)`) after each answer.
`--think-max 0` fires back to back: a saturation test, where N users on 2 cores queue whatever
the page speed, so its latency says how long the queue is, not how fast a page is.

Prints p50/p95/p99, the errors and the slowest paths; `--json` for a machine-readable line.

    python bench/load_signed_in.py --base http://127.0.0.1:8765 --users 50 --seconds 60

The server must run the demo data (`kiemdiem seed-demo`, `demo-accounts`, `demo-cycle`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

ACCOUNTS = ["nhanvien", "truongphong", "bithu", "kiemtra"]
PASSWORD = "KiemDiem@2025"  # noqa: S105 — the documented demo password
PAGES = [
    "/",
    "/to-chuc/",
    "/so-nhiem-vu/",
    "/kiem-diem/",
    "/thong-bao/",
    "/tim-kiem/?q=nguyen",
]
API = ["/api/v1/me/", "/api/v1/cycles/", "/api/v1/organizations/", "/api/v1/people/"]
API_EVERY = 5  # every fifth virtual user is an API client


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    by_path: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = field(default_factory=time.monotonic)
    # Per second since the start, by when the request was sent: [answers, errors] (the fault
    # runs' timeline: an answer that a loaded machine delivers late stays in its second).
    seconds: dict[int, list[int]] = field(default_factory=dict)
    # Each failed request's (sent, answered) seconds since the start: was it in flight while
    # the database was down?
    error_spans: list[tuple[float, float]] = field(default_factory=list)

    def _mark(self, slot: int, sent: float) -> None:
        second = int(sent - self.started)
        self.seconds.setdefault(second, [0, 0])[slot] += 1

    def ok(self, path: str, ms: float, sent: float) -> None:
        with self.lock:
            self.latencies.append(ms)
            self.by_path.setdefault(path.split("?")[0], []).append(ms)
            self._mark(0, sent)

    def error(self, what: str, sent: float) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1
            self._mark(1, sent)
            self.error_spans.append((sent - self.started, time.monotonic() - self.started))

    @property
    def total(self) -> int:
        return len(self.latencies) + sum(self.errors.values())


class Session:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.reused = False

    def _send(
        self, method: str, path: str, body: str | None, headers: dict[str, str]
    ) -> tuple[http.client.HTTPResponse, str]:
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.reused = False
            raise
        self.reused = not response.will_close
        return response, text

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if self.token and path.startswith("/api/"):
            headers = {"Authorization": f"Bearer {self.token}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        reused = self.reused
        try:
            response, text = self._send(method, path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle keep-alive connection while the user was thinking: a
            # browser sends the request again on a new connection, and so does this client.
            if not reused:
                raise
            response, text = self._send(method, path, body, headers)
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


@dataclass
class Plan:
    """What the virtual users share: the target, the sessions, the paths, the pace."""

    host: str
    port: int
    cookies: list[dict[str, str]]
    tokens: list[str]
    api_paths: list[str]
    think: tuple[float, float] = (1.0, 5.0)
    cap: int = 200_000


def sign_in_all(host: str, port: int) -> list[dict[str, str]]:
    """One session per demo account (raises when one cannot sign in)."""
    signed_in = []
    for username in ACCOUNTS:
        session = Session(host, port)
        if not session.sign_in(username):
            raise RuntimeError(f"sign-in failed for {username}")
        signed_in.append(session.cookies)
    return signed_in


def api_paths(host: str, port: int, token: str) -> list[str]:
    """The API's list endpoints, with the evaluations of the newest cycle the token sees."""
    session = Session(host, port)
    session.token = token
    status, text = session.request("GET", "/api/v1/cycles/")
    if status != 200:
        raise RuntimeError(f"the API refused the token: HTTP {status}")
    cycles = json.loads(text)["results"]
    extra = [f"/api/v1/cycles/{cycles[0]['id']}/evaluations/"] if cycles else []
    return API + extra


def user_loop(index: int, plan: Plan, stop: float, stats: Stats) -> None:
    session = Session(plan.host, plan.port)
    session.cookies = dict(plan.cookies[index % len(plan.cookies)])
    paths = PAGES
    if plan.tokens and index % API_EVERY == API_EVERY - 1:
        session.token = plan.tokens[index % len(plan.tokens)]
        paths = plan.api_paths
    pace = random.Random(index)  # noqa: S311 — think times, not secrets
    # Users arrive spread over the first think interval, not all in the same millisecond.
    time.sleep(pace.uniform(0, plan.think[1]))
    step = index
    while time.monotonic() < stop and stats.total < plan.cap:
        path = paths[step % len(paths)]
        step += 1
        sent, started = time.monotonic(), time.perf_counter()
        try:
            status, _ = session.request("GET", path)
        except (OSError, http.client.HTTPException) as exc:
            stats.error(type(exc).__name__, sent)
            time.sleep(0.2)
            continue
        if status == 200:
            stats.ok(path, (time.perf_counter() - started) * 1000, sent)
        else:
            stats.error(f"HTTP {status} {path}", sent)
        if plan.think[1] > 0:
            time.sleep(min(pace.uniform(*plan.think), max(0.0, stop - time.monotonic())))


def run_users(plan: Plan, users: int, seconds: float, stats: Stats) -> float:
    """Runs `users` virtual users for `seconds`; returns the elapsed time."""
    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(target=user_loop, args=(i, plan, stop, stats), daemon=True)
        for i in range(users)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return time.monotonic() - started


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def summary(stats: Stats, users: int, elapsed: float) -> dict[str, object]:
    lat = stats.latencies
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": stats.total,
        "ok": len(lat),
        "errors": sum(stats.errors.values()),
        "error_kinds": stats.errors,
        "rps": round(stats.total / elapsed, 1) if elapsed else 0,
        "p50_ms": round(percentile(lat, 50), 1),
        "p95_ms": round(percentile(lat, 95), 1),
        "p99_ms": round(percentile(lat, 99), 1),
        "paths": {
            path: {
                "n": len(v),
                "p50_ms": round(percentile(v, 50)),
                "p95_ms": round(percentile(v, 95)),
            }
            for path, v in sorted(stats.by_path.items())
        },
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--think-min", type=float, default=1.0)
    parser.add_argument("--think-max", type=float, default=5.0)
    parser.add_argument("--token", action="append", default=[], help="an API token (repeatable)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--timeline", action="store_true", help="answers/errors per second")
    args = parser.parse_args(argv)
    base = urllib.parse.urlsplit(args.base)
    if base.hostname != "127.0.0.1" or base.scheme != "http":
        parser.error("the target must be http://127.0.0.1:<port> (local runs only)")
    if not 0 <= args.think_min <= args.think_max:
        parser.error("--think-min must be between 0 and --think-max")
    args.host, args.port = base.hostname, base.port or 80
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        cookies = sign_in_all(args.host, args.port)
        paths = api_paths(args.host, args.port, args.token[0]) if args.token else []
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    plan = Plan(
        args.host, args.port, cookies, args.token, paths,
        (args.think_min, args.think_max), args.max_requests,
    )  # fmt: skip
    stats = Stats()
    elapsed = run_users(plan, args.users, args.seconds, stats)
    result = summary(stats, args.users, elapsed)
    if args.timeline:
        result["timeline"] = {str(k): v for k, v in sorted(stats.seconds.items())}
        error_seconds = [k for k, (_ok, bad) in stats.seconds.items() if bad]
        result["first_error_s"] = min(error_seconds, default=None)
        result["last_error_s"] = max(error_seconds, default=None)
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"{result['users']} users (think {args.think_min:g}–{args.think_max:g} s), "
        f"{result['seconds']} s: {result['requests']} requests ({result['rps']}/s), "
        f"{result['errors']} errors {stats.errors or ''}\n"
        f"p50 {result['p50_ms']} ms · p95 {result['p95_ms']} ms · p99 {result['p99_ms']} ms"
    )
    for path, row in result["paths"].items():  # type: ignore[attr-defined]
        print(f"  {path:42} n={row['n']:5}  p50 {row['p50_ms']:5} ms  p95 {row['p95_ms']:5} ms")
    if args.timeline:
        print(f"errors from second {result['first_error_s']} to {result['last_error_s']}")
        print(" ".join(f"{k}:{ok}/{bad}" for k, (ok, bad) in sorted(stats.seconds.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
