#!/usr/bin/env bash
# A surge as it comes (issue 28): 64 connections sign from spread addresses with the
# per-address hold rule at its default and confirmations leaving over SMTP, while 64
# connections read the article page and the JSON count, and a probe signs one request
# at a time on its own connection. Reports both rates and p99s and the probe's view.
#
# Usage: benches/crowd.sh [sqlite|postgres] [SECONDS] [CONNECTIONS]
#   defaults: sqlite, 10 seconds, 64 connections each. CLARION_BIN as for sign-load.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export CLARION_BENCH_CLIENTS=spread CLARION_BENCH_MAIL=smtp CLARION_BENCH_CROWD=on \
  CLARION_BENCH_PROBE=on CLARION_BENCH_READS=off
exec benches/sign-load.sh "${1:-sqlite}" "${2:-10}" "${3:-64}"
