#!/usr/bin/env bash
# The public responsiveness page under a crowd (issue 30): the 719 MEPs of
# ../shared/data/meps.csv and LETTERS delivered letters (default 100,000) answered at
# random, on SQLite. wrk reads /act/{slug}/replies with 64 connections for 10 s, then
# the demo article the same way, so the two latencies can be compared on this machine.
# The page is kept a second like the counts; the first line also times one uncached
# request (the grouped query plus rendering).
#
# Usage: benches/replies.sh [LETTERS]   (CLARION_BIN=path measures another build)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
meps="${MEPS_CSV:-../shared/data/meps.csv}"
[ -f "$meps" ] || { echo "needs $meps (the shared data folder)" >&2; exit 1; }
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="${CLARION_BIN:-target/release/clarion}"
dir=$(mktemp -d)
port=18285
CLARION_DATA_DIR="$dir" CLARION_BIND=127.0.0.1:$port CLARION_RATE_PUBLIC=off RUST_LOG=warn \
  "$bin" >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.1; done
/usr/bin/python3 benches/seed_replies.py "$dir/clarion.db" "$meps" "$n"
base="http://127.0.0.1:$port"
slug=write-to-your-meps-on-cambodia
article=$(curl -fs "$base/articles" | grep -o '/articles/[a-z0-9-]*' | head -1 || true)
sleep 1.1
echo "one uncached request of /act/$slug/replies: $(curl -s -o /dev/null -w '%{time_total}' "$base/act/$slug/replies") s, $(curl -s "$base/act/$slug/replies" | wc -c) bytes"
for path in "/act/$slug/replies" "$article"; do
  echo "== $path, 64 connections, 10 s"
  wrk -t2 -c64 -d10s --latency "$base$path" | grep -E "Requests/sec|50%|99%|Non-2xx"
done
echo "resident: $(awk '/VmRSS/ {print $2}' /proc/$pid/status) kB"
