#!/usr/bin/env bash
# Load test of signing (issue 10): starts Clarion (release) on a fresh database with rate
# limits off and the outbox worker on (writing .eml files), fetches the sign form once,
# waits out the minimum fill time, then replays its hidden fields with a unique email per
# request using wrk at each connection count. Prints accepted signatures per second,
# p50 / p99 / max latency and answers by status per run, then the rows stored by status
# (every 303 must be a row), on SQLite the size the write-ahead log file reached, the
# server's resident memory (now and at its highest), then the same load on
# GET /articles/{slug} and on GET /api/v1/petitions/{slug}. Each run also prints the
# server's CPU time per answer (and the signing writers' per signing answer).
#
# Usage: benches/sign-load.sh [sqlite|postgres] [SECONDS] [CONNECTIONS...]
#   defaults: sqlite, 10 seconds, connections 64 256 1024.
#   postgres uses CLARION_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test)
#   to create and drop a scratch database. Installs wrk (Debian) when missing.
#   CLARION_BENCH_EMAILS=random starts each address with random hex (real supporters'
#   addresses land anywhere in the unique email index; counted-up ones land together).
#   The outbox worker writes each email as a .eml file (there is no SMTP server here), in
#   memory (/dev/shm) unless CLARION_BENCH_OUTBOX=disk. In production mail leaves over
#   SMTP for another machine; written beside the database, a run's 100,000 files and
#   their writeback competed with SQLite's log flushes (about -10% signatures/s).
#   CLARION_BENCH_CLIENTS=spread sends each request from a random address (through
#   X-Forwarded-For, with 127.0.0.1 a trusted proxy) and keeps the per-address hold rule
#   at its default, as a surge from many supporters would meet it; otherwise every
#   request comes from 127.0.0.1 and the rule is off (it would hold nearly all of them).
#   CLARION_BENCH_BEFORE_SQL runs one statement on the database before the load.
#   CLARION_BENCH_CROWD=on reads the article and the JSON count with as many connections
#   during each signing run (benches/crowd.sh); CLARION_BENCH_PROBE=on signs one request
#   at a time beside the load and reports the latency it saw (benches/probe.py).
#   CLARION_BENCH_MAIL=smtp sends the confirmations over SMTP to Postfix's smtp-sink on
#   loopback (installed from Debian's postfix package when missing), as production
#   does, and reports how many left during the load and how fast the backlog drained.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; seconds="${2:-10}"; shift $(( $# > 2 ? 2 : $# )) || true
runs=("$@"); [ ${#runs[@]} -gt 0 ] || runs=(64 256 1024)
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="${CLARION_BIN:-target/release/clarion}"
dir=$(mktemp -d)
mail=""
if [ "${CLARION_BENCH_OUTBOX:-memory}" != disk ] && [ -d /dev/shm ]; then
  mail=$(mktemp -d -p /dev/shm) && ln -s "$mail" "$dir/outbox"
fi
port=18282
slug=cambodia-political-prisoners-petition
article=european-parliament-resolution-on-cambodia
export CLARION_DATA_DIR="$dir" CLARION_BIND=127.0.0.1:$port RUST_LOG="${RUST_LOG:-warn}"
# Rate limits off unless the caller sets them (e.g. CLARION_RATE_SIGN=1000000/1s to
# measure the limiter's own cost); the minimum fill time stays at its default.
export CLARION_RATE_SIGN="${CLARION_RATE_SIGN:-off}" CLARION_RATE_PUBLIC="${CLARION_RATE_PUBLIC:-off}"
clients="${CLARION_BENCH_CLIENTS:-one}"
if [ "$clients" = spread ]; then
  export CLARION_TRUSTED_PROXIES=127.0.0.1/32
else
  export CLARION_HOLD_PER_ADDRESS=off
fi
sink_pid=""
if [ "${CLARION_BENCH_MAIL:-files}" = smtp ]; then
  command -v smtp-sink >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
  # smtp-sink refuses to run as root without a user to become.
  user_flag=(); [ "$(id -u)" = 0 ] && user_flag=(-u nobody)
  smtp-sink "${user_flag[@]}" 127.0.0.1:12526 1000 &
  sink_pid=$!
  export CLARION_SMTP_URL=smtp://127.0.0.1:12526
fi
admin="${CLARION_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
db=clarion_bench_$$
if [ "$backend" = postgres ]; then
  psql "$admin" -qc "CREATE DATABASE $db"
  export CLARION_DATABASE_URL="${admin%/*}/$db" CLARION_SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
fi
"$bin" >"$dir/server.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" ${sink_pid:+"$sink_pid"} 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  [ "$backend" = postgres ] && psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  rm -rf "$dir" ${mail:+"$mail"}
}
trap cleanup EXIT
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done
sql() {
  if [ "$backend" = postgres ]; then psql "${admin%/*}/$db" -Atc "$1"; else sqlite3 "$dir/clarion.db" "$1"; fi
}
# The server's CPU time so far, in microseconds (all its threads), and its signing
# writers' alone: per answer, a cost that moves less with the machine's load than a rate.
# Bytes the server has sent towards the disk (the database, its log and checkpoints):
# per signature, a count that does not move with the machine's speed.
disk_bytes() { awk '/^write_bytes/ {print $2}' "/proc/$pid/io"; }
cpu_us() { awk -v t="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000000 / t)}' "/proc/$pid/stat"; }
writer_us() {
  local task total=0
  for task in $(grep -l '^clarion-signing' /proc/"$pid"/task/*/comm); do
    total=$(( total + $(awk '{print int($1 / 1000)}' "${task%/comm}/schedstat") ))
  done
  echo "$total"
}
# CLARION_BENCH_BEFORE_SQL: a statement run on the fresh database before the load, for
# experiments (e.g. dropping an index to see what writing it costs).
[ -z "${CLARION_BENCH_BEFORE_SQL:-}" ] || sql "$CLARION_BENCH_BEFORE_SQL"
# The form's hidden fields, once, as a cached page would serve them; then the minimum
# fill time, so that no signature is held as too fast.
form=$(curl -fs "http://127.0.0.1:$port/petitions/$slug" | grep -o 'name="token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
sleep "$(( ${CLARION_MIN_FILL_SECS:-2} + 1 ))"
echo "backend: $backend, duration: ${seconds}s per run, CLARION_RATE_SIGN=$CLARION_RATE_SIGN, emails: ${CLARION_BENCH_EMAILS:-counted}, clients: $clients, .eml files: ${mail:-$dir/outbox}"
accepted=0
for c in "${runs[@]}"; do
  echo "== POST /petitions/$slug/sign, $c connections"
  # CLARION_BENCH_CROWD=on: as many readers at once, on the article and the JSON count.
  readers=""
  if [ "${CLARION_BENCH_CROWD:-off}" = on ]; then
    wrk -t1 -c"$c" -d"${seconds}s" --timeout 10s --latency -s benches/read.lua "http://127.0.0.1:$port" \
      -- "/articles/$article" "/api/v1/petitions/$slug" >"$dir/readers.txt" 2>&1 &
    readers=$!
  fi
  # CLARION_BENCH_PROBE=on: one more signer, one request at a time on its own connection.
  probe=""
  if [ "${CLARION_BENCH_PROBE:-off}" = on ]; then
    python3 benches/probe.py "$port" "/petitions/$slug/sign" "$form" "$seconds" >"$dir/probe.txt" 2>&1 &
    probe=$!
  fi
  cpu0=$(cpu_us); writer0=$(writer_us); disk0=$(disk_bytes)
  out=$(wrk -t"$(( c < 2 ? c : 2 ))" -c"$c" -d"${seconds}s" --timeout 10s --latency -s benches/sign.lua "http://127.0.0.1:$port" -- "token=$form" "/petitions/$slug/sign" "$c" "${CLARION_BENCH_EMAILS:-}" "$clients")
  cpu1=$(cpu_us); writer1=$(writer_us); disk1=$(disk_bytes)
  echo "$out" | grep -E "answers|accepted|latency p50|Socket errors"
  answers=$(echo "$out" | awk -F'[ =]' '/answers by status/ {for (i = 5; i <= NF; i += 2) n += $i} END {print n + 0}')
  # With readers or the probe beside, the server's CPU covers their requests too.
  echo "server CPU per signing answer: $(( (cpu1 - cpu0) / (answers > 0 ? answers : 1) )) µs, the signing writers' $(( (writer1 - writer0) / (answers > 0 ? answers : 1) )) µs"
  # On PostgreSQL the database server writes, not Clarion.
  if [ "$backend" = sqlite ]; then
    echo "written towards the disk per signing answer: $(( (disk1 - disk0) / (answers > 0 ? answers : 1) )) bytes"
  fi
  if [ -n "$readers" ]; then
    wait "$readers"
    echo "readers, $c connections: $(grep -E "Requests/sec" "$dir/readers.txt" | tr -s ' ')," \
      "p50 $(grep -E "^ +50%" "$dir/readers.txt" | tr -s ' ' | cut -d' ' -f3)," \
      "p99 $(grep -E "^ +99%" "$dir/readers.txt" | tr -s ' ' | cut -d' ' -f3)" \
      "$(grep -E "Non-2xx|Socket errors" "$dir/readers.txt" | tr -s ' ' | tr '\n' ' ')"
  fi
  if [ -n "$probe" ]; then
    wait "$probe"
    cat "$dir/probe.txt"
  fi
  n=$(echo "$out" | grep -o ' 303=[0-9]*' | cut -d= -f2 || true)
  accepted=$(( accepted + ${n:-0} ))
done
if [ -n "$sink_pid" ]; then
  # The confirmations the load left queued, and how long the worker took to send them.
  start=$(date +%s%N)
  sent=$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")
  left=$(sql "SELECT count(*) FROM outbox WHERE status <> 'sent'")
  while [ "$(sql "SELECT count(*) FROM outbox WHERE status <> 'sent'")" -gt 0 ]; do
    [ $(( ($(date +%s%N) - start) / 1000000000 )) -lt 600 ] || { echo "not drained after 600 s"; break; }
    sleep 0.1
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "== confirmations over SMTP: $sent sent during the load, $left queued when it ended, sent in $ms ms after it ($(( left * 1000 / (ms > 0 ? ms : 1) )) a second)"
fi
sleep 2
echo "== after the runs"
echo "303 answers in all: $accepted"
echo "signature rows stored by status: $(sql "SELECT status || '=' || count(*) FROM signatures GROUP BY status" | tr '\n' ' ')"
echo "signature rows the per-address rule counted by index: $(sql "SELECT count(*) FROM signatures WHERE client_indexed")"
echo "outbox rows by status two seconds later: $(sql "SELECT status || '=' || count(*) FROM outbox GROUP BY status" | tr '\n' ' ')"
if [ "$backend" = sqlite ]; then
  # The file keeps its largest size: how far the log grew before the writer started it over.
  echo "write-ahead log file: $(( $(stat -c %s "$dir/clarion.db-wal" 2>/dev/null || echo 0) / 1048576 )) MB"
fi
# The server's resident memory now, and at its highest during the runs and the drain.
echo "server memory: $(awk '/VmRSS|VmHWM/ {printf "%s %d kB ", $1, $2}' "/proc/$pid/status")"
# CLARION_BENCH_READS=off skips the read runs (when only signing is measured).
[ "${CLARION_BENCH_READS:-on}" = off ] && exit 0
for path in "/articles/$article" "/api/v1/petitions/$slug"; do
  echo "== GET $path, 64 connections"
  cpu0=$(cpu_us)
  out=$(wrk -t2 -c64 -d"${seconds}s" --latency "http://127.0.0.1:$port$path")
  cpu1=$(cpu_us)
  echo "$out" | grep -E "Requests/sec|Latency|99%|Non-2xx"
  answers=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "server CPU per answer: $(( (cpu1 - cpu0) / (answers > 0 ? answers : 1) )) µs"
done
