#!/usr/bin/env bash
# The OSDI signatures collection paged to the end (issue 27): N signatures (default
# 1,000,000) through one partner, pulled by a CRM with a read:signatures token, 500 a
# page, following `_links.next` (keyset: no OFFSET). Reports rows a second over the whole
# pull and the median time of a page among the first and the last 100 pages: steady
# paging means those two are alike. Release build, rate limits off.
#
# Usage: benches/osdi-paging.sh [sqlite|postgres] [N] [PER_PAGE]
#   postgres uses CLARION_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test)
#   to create and drop a scratch database.
#   CLARION_BIN=path/to/clarion measures another build.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}" n="${2:-1000000}" per_page="${3:-500}"
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="${CLARION_BIN:-target/release/clarion}"
dir=$(mktemp -d)
port=18286 slug=cambodia-political-prisoners-petition
export CLARION_DATA_DIR="$dir"
admin="${CLARION_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
db=clarion_paging_$$
if [ "$backend" = postgres ]; then
  psql "$admin" -qc "CREATE DATABASE $db"
  export CLARION_DATABASE_URL="${admin%/*}/$db" CLARION_SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
fi
CLARION_BIND=127.0.0.1:$port CLARION_RATE_PUBLIC=off RUST_LOG=warn "$bin" >"$dir/server.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  [ "$backend" = postgres ] && psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  rm -rf "$dir"
}
trap cleanup EXIT
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.1; done
"$bin" partner add --key bench --name Bench --origin https://bench.example.org >/dev/null
token=$("$bin" api-token create --partner bench --scope read:signatures | tail -1)
start=$SECONDS
if [ "$backend" = postgres ]; then
  # The same rows as seed_partner_signatures.py: three a second over November.
  psql "${admin%/*}/$db" -q <<SQL
INSERT INTO signatures (id, action_id, first_name, last_name, email, email_canonical,
  country_code, postcode, comment, consent_updates, consent_text, consent_version, status,
  client_hash, token_hash, emails_sent, created_at, confirmed_at, updated_at,
  show_publicly, show_publicly_text, text_version, language, partner_id, consent_partner,
  consent_partner_text, utm)
SELECT 'b' || lpad(i::text, 9, '0'), a.id, 'Sok', 'Dara', 'b' || i || '@example.org',
  'b' || i || '@example.org', 'FR', '', '', false, 'bench', 'bench', 'confirmed', 'x',
  'bench:' || i, 1, t, t, t, false, '', 1, 'fr', p.id, true, 'bench', ''
FROM generate_series(0, $n - 1) AS i,
  LATERAL (SELECT timestamp '2026-11-01' + ((i / 3) % (28 * 86400)) * interval '1 second'
    + (i % 3) * interval '1 microsecond' AS t) AS at,
  (SELECT id FROM actions WHERE slug = '$slug') AS a,
  (SELECT id FROM partners WHERE key = 'bench') AS p;
ANALYZE signatures;
SQL
else
  python3 benches/seed_partner_signatures.py "$dir/clarion.db" "$n"
fi
echo "$backend: seeded $n signatures in $((SECONDS - start)) s"
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
