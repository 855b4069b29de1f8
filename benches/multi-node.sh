#!/usr/bin/env bash
# Several nodes on one PostgreSQL behind HAProxy (issue 29), as an operator runs them:
# NODES release nodes (ports 18301…, metrics on 19301…) share a scratch database,
# CLARION_SECRET_KEY and an SMTP sink; HAProxy with contrib/haproxy.cfg listens on 18300.
# wrk signs through the proxy from spread addresses (the per-address rule at its
# default) for SECONDS. With 3 nodes, a third of the way in node 3 is killed (SIGKILL),
# and two thirds in node 2 is stopped with SIGTERM and started again (a graceful
# restart). Meanwhile a pg_dump is taken; afterwards it is restored into a second
# database that a fresh node serves.
# Prints: signatures per second and answers by status, rows stored against 303s, each
# node's memory (resident at the end, and its peak), the outbox afterwards, node 1's
# signature metrics, and the restored copy's row count.
#
# Usage: benches/multi-node.sh [NODES] [SECONDS] [CONNECTIONS]   (defaults 3 30 64)
#   Installs wrk, HAProxy and Postfix's smtp-sink (Debian) when missing.
#   CLARION_BENCH_POSTGRES_URL: the server (default postgres://postgres@127.0.0.1:5432/test).
#   CLARION_BENCH_DISRUPT=off: no kill and no restart (throughput of N nodes alone).
set -euo pipefail
cd "$(dirname "$0")/.."
nodes="${1:-3}"; seconds="${2:-30}"; connections="${3:-64}"
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v haproxy >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
command -v smtp-sink >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="$(realpath "${CLARION_BIN:-target/release/clarion}")"
admin="${CLARION_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
db=clarion_nodes_$$; copy=${db}_copy
dir=$(mktemp -d)
slug=cambodia-political-prisoners-petition
psql "$admin" -qc "CREATE DATABASE $db"
user_flag=(); [ "$(id -u)" = 0 ] && user_flag=(-u nobody)
smtp-sink "${user_flag[@]}" 127.0.0.1:12527 1000 &
sink=$!
export CLARION_DATABASE_URL="${admin%/*}/$db" RUST_LOG=warn,clarion=info \
  CLARION_SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
  CLARION_TRUSTED_PROXIES=127.0.0.1/32 CLARION_SMTP_URL=smtp://127.0.0.1:12527 \
  CLARION_OUTBOX_LEASE_SECS=5 CLARION_RATE_SIGN=off CLARION_RATE_PUBLIC=off \
  CLARION_BASE_URL=http://127.0.0.1:18300
declare -A pids
start_node() { # start_node N [DATABASE_URL]
  CLARION_DATA_DIR="$dir/node$1" CLARION_BIND=127.0.0.1:$((18300 + $1)) \
    CLARION_METRICS_BIND=127.0.0.1:$((19300 + $1)) \
    CLARION_DATABASE_URL="${2:-$CLARION_DATABASE_URL}" "$bin" >>"$dir/node$1.log" 2>&1 &
  pids[$1]=$!
}
ready() { until curl -fs "$1/readyz" >/dev/null; do sleep 0.05; done; }
cleanup() {
  kill "${pids[@]}" "$sink" ${proxy:+"$proxy"} 2>/dev/null || true
  wait 2>/dev/null || true
  psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "DROP DATABASE IF EXISTS $copy WITH (FORCE)"
  rm -rf "$dir"
}
trap cleanup EXIT
for n in $(seq 1 "$nodes"); do start_node "$n"; done
for n in $(seq 1 "$nodes"); do ready "http://127.0.0.1:$((18300 + n))"; done
# contrib/haproxy.cfg names three servers: with fewer nodes, some names repeat a node.
node_at() { echo "127.0.0.1:$((18300 + ($1 - 1) % nodes + 1))"; }
CLARION_LB_BIND=127.0.0.1:18300 CLARION_NODE1=$(node_at 1) CLARION_NODE2=$(node_at 2) \
  CLARION_NODE3=$(node_at 3) haproxy -db -f contrib/haproxy.cfg >"$dir/haproxy.log" 2>&1 &
proxy=$!
ready http://127.0.0.1:18300
form=$(curl -fs "http://127.0.0.1:18300/petitions/$slug" | grep -o 'name="token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
sleep 3
echo "nodes: $nodes behind HAProxy, PostgreSQL, ${seconds}s, $connections connections, addresses spread"
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s --latency -s benches/sign.lua \
  http://127.0.0.1:18300 -- "token=$form" "/petitions/$slug/sign" "$connections" "" spread >"$dir/wrk.txt" 2>&1 &
load=$!
sleep $(( seconds / 3 ))
pg_dump --format=custom --file="$dir/dump" "$CLARION_DATABASE_URL" &
dump=$!
disrupt="${CLARION_BENCH_DISRUPT:-on}"
if [ "$nodes" -ge 3 ] && [ "$disrupt" = on ]; then
  kill -9 "${pids[3]}"; echo "node 3 killed (SIGKILL) at $(( seconds / 3 )) s"
fi
sleep $(( seconds / 3 ))
if [ "$nodes" -ge 2 ] && [ "$disrupt" = on ]; then
  stopped=$(date +%s%N)
  kill -TERM "${pids[2]}"; wait "${pids[2]}" || true
  echo "node 2 stopped by SIGTERM in $(( ($(date +%s%N) - stopped) / 1000000 )) ms at $(( 2 * seconds / 3 )) s; started again"
  start_node 2
fi
wait "$load"; wait "$dump"
grep -E "answers|accepted|latency p50|Socket errors" "$dir/wrk.txt"
for n in $(seq 1 "$nodes"); do
  pid=${pids[$n]}
  if kill -0 "$pid" 2>/dev/null; then
    echo "node $n memory: $(grep -E 'VmRSS|VmHWM' /proc/"$pid"/status | tr -s ' \t' ' ' | tr '\n' ' ')"
  else
    echo "node $n memory: not running (killed)"
  fi
done
echo "node 1 metrics: $(curl -fs http://127.0.0.1:19301/metrics | grep -E '^clarion_signatures_total' | tr '\n' ' ')"
sleep 12 # the killed node's lease (5 s) and the queue's drain
sql() { psql "${2:-$CLARION_DATABASE_URL}" -Atc "$1"; }
accepted=$(grep -o ' 303=[0-9]*' "$dir/wrk.txt" | cut -d= -f2 || echo 0)
echo "303 answers: $accepted; signature rows: $(sql "SELECT status || '=' || count(*) FROM signatures GROUP BY status" | tr '\n' ' ')"
echo "outbox afterwards: $(sql "SELECT status || '=' || count(*) FROM outbox GROUP BY status" | tr '\n' ' ')"
psql "$admin" -qc "CREATE DATABASE $copy"
pg_restore --no-owner --dbname="${admin%/*}/$copy" "$dir/dump"
start_node 9 "${admin%/*}/$copy"
ready http://127.0.0.1:18309
echo "the dump taken at $(( seconds / 3 )) s restored: a node serves it (/readyz 200) with $(sql "SELECT count(*) FROM signatures" "${admin%/*}/$copy") signature rows"
