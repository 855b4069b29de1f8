#!/usr/bin/env bash
# Export benchmark: a petition with N confirmed signatures (default 1,000,000), generated
# with plain SQL (sqlite3 / psql, not Clarion), then exported through the command line and
# through HTTP. Prints rows per second and peak memory for each.
# Usage: benches/export.sh [sqlite|postgres] [N]
#   postgres uses CLARION_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test)
#   to create and drop a scratch database.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; n="${2:-1000000}"
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="$(realpath "${CLARION_BIN:-target/release/clarion}")"
dir=$(mktemp -d)
port=18284
slug=cambodia-political-prisoners-petition
admin="${CLARION_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
db=clarion_export_bench_$$
export CLARION_DATA_DIR="$dir" CLARION_BIND=127.0.0.1:$port RUST_LOG=warn CLARION_RATE_EXPORT=off CLARION_RATE_LOGIN=off
if [ "$backend" = postgres ]; then
  psql "$admin" -qc "CREATE DATABASE $db"
  export CLARION_DATABASE_URL="${admin%/*}/$db" CLARION_SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
fi
cleanup() {
  kill "${pid:-}" 2>/dev/null || true; wait "${pid:-}" 2>/dev/null || true
  [ "$backend" = postgres ] && psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  rm -rf "$dir"
}
trap cleanup EXIT
"$bin" seed-demo >/dev/null
sql="
INSERT INTO signatures (id, action_id, first_name, last_name, email, email_canonical, country_code,
  postcode, comment, consent_updates, consent_text, consent_version, status, client_hash, token_hash,
  emails_sent, created_at, confirmed_at, updated_at)
SELECT 'b0000000-0000-7000-8000-' || substr('000000000000' || i, length('000000000000' || i) - 11), a.id, 'Supporter', 'Number ' || i,
  's' || i || '@example.org', 's' || i || '@example.org', 'FR', '75001', 'Free them all.',
  TRUE, 'Keep me informed.', 'v1', 'confirmed', 'x', 't' || i, 1,
  '2026-11-01 00:00:00', '2026-11-01 00:00:00', '2026-11-01 00:00:00'
FROM actions a, seq WHERE a.slug = '$slug';"
echo "generating $n signatures ($backend)..."
if [ "$backend" = postgres ]; then
  psql "$CLARION_DATABASE_URL" -qc "CREATE TEMP TABLE seq AS SELECT generate_series(1, $n) AS i; $sql"
  psql "$CLARION_DATABASE_URL" -qc "ANALYZE signatures"
else
  sqlite3 "$dir/clarion.db" "CREATE TEMP TABLE seq AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $n) SELECT i FROM s; $sql"
fi

echo "== command line: clarion export-signatures"
/usr/bin/time -f "%e s elapsed, peak RSS %M kB" -o "$dir/time" "$bin" export-signatures --petition "$slug" --output "$dir/cli.csv"
cat "$dir/time"
secs=$(cut -d' ' -f1 "$dir/time")
echo "rows: $(( $(wc -l < "$dir/cli.csv") - 1 )); $(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f rows/s", n / s }')"

echo "== HTTP: GET /admin/petitions/$slug/signatures.csv"
CLARION_ADMIN_PASSWORD=benchmark-password "$bin" create-admin --email bench@example.org >/dev/null
"$bin" >"$dir/server.log" 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done
jar="$dir/cookies"
token=$(curl -fs -c "$jar" "http://127.0.0.1:$port/admin/login" | grep -o 'name="token" value="[^"]*"' | sed 's/.*value="//; s/"$//')
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "token=$token" --data-urlencode "email=bench@example.org" --data-urlencode "password=benchmark-password" "http://127.0.0.1:$port/admin/login"
idle=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
curl -fs -b "$jar" -o "$dir/http.csv" -w "%{time_total} s elapsed, %{size_download} bytes\n" "http://127.0.0.1:$port/admin/petitions/$slug/signatures.csv" | tee "$dir/curl"
peak=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
secs=$(cut -d' ' -f1 "$dir/curl")
echo "rows: $(( $(wc -l < "$dir/http.csv") - 1 )); $(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f rows/s", n / s }'); server RSS idle ${idle} kB, peak ${peak} kB (+$(( peak - idle )) kB)"
cmp -s "$dir/cli.csv" "$dir/http.csv" && echo "CLI and HTTP exports are identical"
