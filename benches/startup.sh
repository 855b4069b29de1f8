#!/usr/bin/env bash
# Start-up and idle-memory figures of the release binary on a fresh SQLite data directory
# (first run: create, migrate, seed the demo, serve).
# Usage: benches/startup.sh [RUNS]   (builds the release binary first if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="${CLARION_BIN:-target/release/clarion}"
echo "binary: $(stat -c %s "$bin") bytes"
port=18181
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  start=$(date +%s%N)
  CLARION_DATA_DIR="$dir" CLARION_BIND=127.0.0.1:$port RUST_LOG=warn "$bin" >/dev/null 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.001; done
  end=$(date +%s%N)
  sleep 2  # let the server settle before reading its memory
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  echo "run $i: first 200 on /healthz after $(( (end - start) / 1000000 )) ms; idle RSS ${rss} kB"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
done
