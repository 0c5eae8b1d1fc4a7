#!/usr/bin/env bash
# Load under `kiemdiem serve` on PostgreSQL (issue 13), one command:
#   bench/run_load.sh                      # 50 users, 60 s, think time 1–5 s
#   USERS=20 SECONDS_=30 bench/run_load.sh --think-max 0   # extra options go to the load script
# Creates and fills the database (DATABASE_URL, default kd_load on 127.0.0.1:5432) with the
# demo when it is missing (3,000 people, demo accounts and cycle: a few minutes, once), prints
# the server time of each page for one user (bench/bench_pages.py, skipped with PAGES=0), starts
# the server on 127.0.0.1, runs bench/load_signed_in.py (pages and API), prints
# p50/p95/p99/errors with the machine's load, and stops the server. Local and bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kd_load}"
case "${DATABASE_URL}" in
  postgres://*@127.0.0.1:*) ;;
  *) echo "DATABASE_URL must name a PostgreSQL database on 127.0.0.1" >&2; exit 2 ;;
esac
PORT="${PORT:-8765}"; USERS="${USERS:-50}"; SECONDS_="${SECONDS_:-60}"
WORKERS="${WORKERS:-$(($(nproc) + 1))}"; THREADS="${THREADS:-2}"
DB="${DATABASE_URL##*/}"; ADMIN_URL="${DATABASE_URL%/*}/postgres"
if ! .venv/bin/python -c "import psycopg,sys; psycopg.connect(sys.argv[1]).close()" \
    "${DATABASE_URL}" 2>/dev/null; then
  echo "creating ${DB} with the demo (once)…"
  .venv/bin/python -c "import psycopg,sys; c=psycopg.connect(sys.argv[1], autocommit=True); \
c.execute('CREATE DATABASE \"%s\"' % sys.argv[2])" "${ADMIN_URL}" "${DB}"
  DEBUG=true .venv/bin/kiemdiem shell -c "from django.core.management import call_command as c; \
c('migrate', verbosity=0); c('createcachetable'); c('load_criteria', verbosity=0); \
c('seed_demo', verbosity=0); c('demo_accounts', verbosity=0); c('demo_cycle', verbosity=0)" >/dev/null
fi
# Fresh planner statistics: a database just filled has none until autovacuum's analyze runs,
# and this machine's shared server runs with autovacuum off (plans 10 rows where there are 16k).
.venv/bin/python -c "import psycopg,sys; psycopg.connect(sys.argv[1], autocommit=True).execute('ANALYZE')" \
  "${DATABASE_URL}"
export DEBUG=false SECRET_KEY="${SECRET_KEY:-load-test-only-secret-key-0123456789abcdef}"
export ALLOWED_HOSTS=127.0.0.1,testserver,localhost SECURE_SSL_REDIRECT=false
export SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false STATIC_MANIFEST=false
export WHITENOISE_USE_FINDERS=true LOG_LEVEL="${LOG_LEVEL:-WARNING}" LOGIN_ADDRESS_MAX_FAILURES=100000
if [ "${PAGES:-1}" != 0 ]; then
  echo "— one user at a time (server time, Django test client, DEBUG off):"
  .venv/bin/python bench/bench_pages.py --requests 5
fi
# API tokens for the API clients among the virtual users (valid one day, printed nowhere else).
TOKENS=()
for account in nhanvien truongphong bithu kiemtra; do
  TOKENS+=(--token "$(.venv/bin/kiemdiem api-token "${account}" --days 1 --name load-test | tail -1)")
done
.venv/bin/kiemdiem serve --bind "127.0.0.1:${PORT}" --workers "${WORKERS}" --threads "${THREADS}" &
SERVER=$!
trap 'kill "${SERVER}" 2>/dev/null || true; wait "${SERVER}" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:${PORT}/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
# CPU seconds of the gunicorn master and its workers: unlike the latency, the CPU a request
# costs hardly depends on what else the shared machine runs, so it gives the capacity.
server_cpu() {
  local total=0 pid
  for pid in "${SERVER}" $(ps -o pid= --ppid "${SERVER}"); do
    [ -r "/proc/${pid}/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/${pid}/stat")))
  done
  echo "${total}"
}
echo "— ${USERS} users for ${SECONDS_} s, kiemdiem serve: ${WORKERS} workers × ${THREADS} threads"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
# Warm-up, not measured: each worker's first requests import modules and compile templates.
.venv/bin/python bench/load_signed_in.py --base "http://127.0.0.1:${PORT}" --users 6 --seconds 5 \
  --think-min 0 --think-max 0 "${TOKENS[@]}" --json >/dev/null
CPU_BEFORE=$(server_cpu)
RESULT=$(.venv/bin/python bench/load_signed_in.py --base "http://127.0.0.1:${PORT}" \
  --users "${USERS}" --seconds "${SECONDS_}" "${TOKENS[@]}" --json "$@")
CPU_TICKS=$(($(server_cpu) - CPU_BEFORE))
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after the run"
echo "${RESULT}" | .venv/bin/python bench/load_report.py --cpu-ticks "${CPU_TICKS}" \
  --hz "$(getconf CLK_TCK)" --cores "$(nproc)"
