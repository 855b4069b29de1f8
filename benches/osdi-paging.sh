#!/usr/bin/env bash
# The OSDI signatures collection paged to the end (issue 27): N signatures (default
# 1,000,000) through one partner, pulled by a CRM with a read:signatures token, 500 a
# page, following `_links.next` (keyset: no OFFSET). Reports rows a second over the whole
# pull and the median time of a page among the first and the last 100 pages: steady
# paging means those two are alike. SQLite, release build, rate limits off.
#
# Usage: benches/osdi-paging.sh [N] [PER_PAGE]
#   CLARION_BIN=path/to/clarion measures another build.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}" per_page="${2:-500}"
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="${CLARION_BIN:-target/release/clarion}"
dir=$(mktemp -d)
port=18286 slug=cambodia-political-prisoners-petition
export CLARION_DATA_DIR="$dir"
CLARION_BIND=127.0.0.1:$port CLARION_RATE_PUBLIC=off RUST_LOG=warn "$bin" >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.1; done
"$bin" partner add --key bench --name Bench --origin https://bench.example.org >/dev/null
token=$("$bin" api-token create --partner bench --scope read:signatures | tail -1)
start=$SECONDS
python3 benches/seed_partner_signatures.py "$dir/clarion.db" "$n"
echo "seeded $n signatures in $((SECONDS - start)) s"
python3 - "$port" "$slug" "$token" "$per_page" "$n" <<'PY'
import json, statistics, sys, time, urllib.request
port, slug, token, per_page, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
url = "http://127.0.0.1:%s/api/osdi/v1/petitions/%s/signatures?per_page=%d" % (port, slug, per_page)
seen, times, ids = 0, [], set()
start = time.monotonic()
while url:
    t = time.monotonic()
    req = urllib.request.Request(url, headers={"OSDI-API-Token": token})
    page = json.load(urllib.request.urlopen(req))
    times.append(time.monotonic() - t)
    rows = page["_embedded"]["osdi:signatures"]
    seen += len(rows)
    ids.update(r["identifiers"][0] for r in rows)
    url = page["_links"].get("next", {}).get("href")
total = time.monotonic() - start
assert seen == n == len(ids), (seen, n, len(ids))
first, last = statistics.median(times[:100]), statistics.median(times[-100:])
print("paged %d signatures in %d pages of %d: %.1f s, %d rows/s" % (seen, len(times), per_page, total, seen / total))
print("median page: first 100 %.1f ms, last 100 %.1f ms" % (first * 1000, last * 1000))
PY
