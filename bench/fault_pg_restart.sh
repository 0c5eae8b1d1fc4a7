#!/usr/bin/env bash
# Fault: PostgreSQL restarted in the middle of the load (issue 13). Needs a PostgreSQL cluster
# of its own (never the shared server): PGDATA and PGPORT name it; the script creates the
# database, loads a small demo, runs `kiemdiem serve` and the load, stops PostgreSQL at
# DOWN_AT seconds for DOWN_FOR seconds, and prints the errors per second. Local and bounded.
# The timeline's seconds count from the end of the sign-ins, which take a few seconds.
#   PGDATA=/tmp/pg/data PGPORT=5499 bench/fault_pg_restart.sh
# (as root: PG_AS=postgres runs pg_ctl as that user)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PGDATA:?a PostgreSQL data directory of this test only}"
PGPORT="${PGPORT:-5499}"; PORT="${PORT:-8767}"; USERS="${USERS:-20}"; RUN_FOR="${RUN_FOR:-40}"
DOWN_AT="${DOWN_AT:-12}"; DOWN_FOR="${DOWN_FOR:-6}"
PG_CTL="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl"
as_pg() { if [ -n "${PG_AS:-}" ]; then runuser -u "${PG_AS}" -- "$@"; else "$@"; fi; }
export DATABASE_URL="postgres://postgres@127.0.0.1:${PGPORT}/kd_fault"
psql -q -h 127.0.0.1 -p "${PGPORT}" -U postgres -c "DROP DATABASE IF EXISTS kd_fault" \
  -c "CREATE DATABASE kd_fault"
(
  export DEBUG=true
  .venv/bin/kiemdiem migrate -v0
  .venv/bin/kiemdiem createcachetable
  .venv/bin/kiemdiem load-criteria >/dev/null
  .venv/bin/kiemdiem seed-demo --people 500 >/dev/null
  .venv/bin/kiemdiem demo-accounts >/dev/null
)
export DEBUG=false SECRET_KEY="${SECRET_KEY:-fault-test-only-secret-key-0123456789abcdef}"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false
export CSRF_COOKIE_SECURE=false STATIC_MANIFEST=false WHITENOISE_USE_FINDERS=true
export LOG_LEVEL=ERROR
.venv/bin/kiemdiem serve --bind "127.0.0.1:${PORT}" --workers 2 >/dev/null 2>&1 &
SERVER=$!
trap 'kill "${SERVER}" 2>/dev/null || true; wait "${SERVER}" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:${PORT}/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
(
  sleep "${DOWN_AT}"
  echo "stopping PostgreSQL at ~${DOWN_AT} s"; as_pg "${PG_CTL}" -D "${PGDATA}" -m fast stop >/dev/null
  sleep "${DOWN_FOR}"
  echo "starting PostgreSQL at ~$((DOWN_AT + DOWN_FOR)) s"
  as_pg "${PG_CTL}" -D "${PGDATA}" -o "-p ${PGPORT} -k $(dirname "${PGDATA}") -c listen_addresses=127.0.0.1" \
    -l "$(dirname "${PGDATA}")/log" -w start >/dev/null
) &
RESTARTER=$!
.venv/bin/python bench/load_signed_in.py --base "http://127.0.0.1:${PORT}" --users "${USERS}" \
  --seconds "${RUN_FOR}" --think-min 0 --think-max 0 --timeline
wait "${RESTARTER}"
echo "the server was not restarted (pid ${SERVER} still serving): $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT}/healthz")"
