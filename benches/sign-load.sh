#!/usr/bin/env bash
# Load test of POST /petitions/{slug}/sign: starts Clarion (release) on a fresh database
# with the outbox worker on (writing .eml files), fetches the sign form once, replays its
# hidden fields with a unique email per request using wrk, then counts the rows stored.
#
# Usage: benches/sign-load.sh [sqlite|postgres] [CONNECTIONS] [SECONDS]
#   postgres uses CLARION_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test)
#   to create and drop a scratch database. Installs wrk (Debian) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; connections="${2:-64}"; seconds="${3:-10}"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="${CLARION_BIN:-target/release/clarion}"
dir=$(mktemp -d)
port=18282
slug=cambodia-political-prisoners-petition
export CLARION_DATA_DIR="$dir" CLARION_BIND=127.0.0.1:$port RUST_LOG=warn
# Rate limits off unless the caller sets them (e.g. CLARION_RATE_SIGN=1000000/1s to
# measure the limiter's own cost).
export CLARION_RATE_SIGN="${CLARION_RATE_SIGN:-off}" CLARION_RATE_PUBLIC="${CLARION_RATE_PUBLIC:-off}" CLARION_MIN_FILL_SECS=0 CLARION_HOLD_PER_ADDRESS=off
admin="${CLARION_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
db=clarion_bench_$$
if [ "$backend" = postgres ]; then
  psql "$admin" -qc "CREATE DATABASE $db"
  export CLARION_DATABASE_URL="${admin%/*}/$db" CLARION_SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
fi
"$bin" >"$dir/server.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  [ "$backend" = postgres ] && psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  rm -rf "$dir"
}
trap cleanup EXIT
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done
# The form's hidden fields, once, as a cached page would serve them.
token=$(curl -fs "http://127.0.0.1:$port/petitions/$slug" | grep -o 'name="token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
echo "backend: $backend, connections: $connections, duration: ${seconds}s, CLARION_RATE_SIGN=$CLARION_RATE_SIGN"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s benches/sign.lua "http://127.0.0.1:$port" -- "token=$token" "/petitions/$slug/sign" | grep -E "answers|accepted|latency p50|Requests/sec|Non-2xx|Socket errors"
sleep 1
if [ "$backend" = postgres ]; then
  rows=$(psql "${admin%/*}/$db" -Atc "SELECT status || '=' || count(*) FROM signatures GROUP BY status")
  mails=$(psql "${admin%/*}/$db" -Atc "SELECT status || '=' || count(*) FROM outbox GROUP BY status")
else
  rows=$(sqlite3 "$dir/clarion.db" "SELECT status || '=' || count(*) FROM signatures GROUP BY status")
  mails=$(sqlite3 "$dir/clarion.db" "SELECT status || '=' || count(*) FROM outbox GROUP BY status")
fi
echo "signature rows stored by status: $(echo $rows)"
echo "outbox rows by status one second later: $(echo $mails)"
