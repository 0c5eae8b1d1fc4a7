#!/usr/bin/env bash
# Load under `kiemdiem serve` on PostgreSQL (issue 13): starts the server on 127.0.0.1, runs
# bench/load_signed_in.py, stops the server. Bounded: USERS users for SECONDS seconds.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/kd_bench bench/run_load.sh
# The database must hold the demo (migrate, createcachetable, load-criteria, seed-demo,
# demo-accounts, demo-cycle: `make run` does it with DEBUG=true).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database holding the demo}"
PORT="${PORT:-8765}"; USERS="${USERS:-50}"; SECONDS_="${SECONDS_:-60}"; WORKERS="${WORKERS:-3}"
export DEBUG=false SECRET_KEY="${SECRET_KEY:-load-test-only-secret-key-0123456789abcdef}"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false
export CSRF_COOKIE_SECURE=false STATIC_MANIFEST=false WHITENOISE_USE_FINDERS=true
export LOG_LEVEL="${LOG_LEVEL:-WARNING}" LOGIN_ADDRESS_MAX_FAILURES=100000
.venv/bin/kiemdiem serve --bind "127.0.0.1:${PORT}" --workers "${WORKERS}" &
SERVER=$!
trap 'kill "${SERVER}" 2>/dev/null || true; wait "${SERVER}" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:${PORT}/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
.venv/bin/python bench/load_signed_in.py --base "http://127.0.0.1:${PORT}" \
  --users "${USERS}" --seconds "${SECONDS_}" "$@"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after the run"
