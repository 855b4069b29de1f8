#!/usr/bin/env bash
# What the three languages cost (issue 24): the binary's size, the server's resident
# memory idle after start-up and after serving every language, and GET of the demo
# article in English, French and Khmer under wrk (pages are kept a second, one copy per
# language, as in production). SQLite, rate limits off.
#
# Usage: benches/languages.sh [SECONDS] [CONNECTIONS]   (defaults: 10, 64)
#   CLARION_BIN=path/to/clarion compares another build (default: a release build here).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"; conns="${2:-64}"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="${CLARION_BIN:-target/release/clarion}"
dir=$(mktemp -d)
port=18283
export CLARION_DATA_DIR="$dir" CLARION_BIND=127.0.0.1:$port RUST_LOG=warn
export CLARION_RATE_PUBLIC=off CLARION_RATE_SIGN=off
"$bin" >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
echo "binary: $(stat -c %s "$bin") bytes ($bin)"
sleep 2
echo "resident, idle after start: $(rss)"
article=/articles/european-parliament-resolution-on-cambodia
for prefix in "" /fr /km; do
  curl -fs "http://127.0.0.1:$port$prefix$article" >/dev/null || echo "note: $prefix$article did not answer 200"
  curl -fs "http://127.0.0.1:$port$prefix/petitions/cambodia-political-prisoners-petition" >/dev/null || true
done
sleep 2
echo "resident, idle after one page in each language: $(rss)"
for prefix in "" /fr /km; do
  echo "== GET ${prefix:-(English)}$article, $conns connections, ${seconds}s"
  wrk -t2 -c"$conns" -d"${seconds}s" --latency "http://127.0.0.1:$port$prefix$article" \
    | grep -E "Requests/sec|99%|Non-2xx"
done
echo "resident after the runs: $(rss)"
