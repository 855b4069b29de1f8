#!/usr/bin/env bash
# Outbox delivery rate: N queued letters in a fresh SQLite database, Clarion (release)
# started with a local SMTP sink (Python's smtpd, discarding mail), timed until every row
# is marked sent. Usage: benches/outbox.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000}"
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="${CLARION_BIN:-target/release/clarion}"
dir=$(mktemp -d)
smtp_port=2526
http_port=18283
python3 -W ignore - "$smtp_port" <<'PY' &
import asyncore, smtpd, sys
class Sink(smtpd.SMTPServer):
    def process_message(self, *args, **kwargs):
        return None
Sink(("127.0.0.1", int(sys.argv[1])), None)
asyncore.loop()
PY
smtp_pid=$!
cleanup() { kill "$smtp_pid" "${pid:-}" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
export CLARION_DATA_DIR="$dir" CLARION_DEMO=0 RUST_LOG=warn
"$bin" migrate >/dev/null
sqlite3 "$dir/clarion.db" <<SQL
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $n)
INSERT INTO outbox (id, kind, to_address, from_name, reply_to, subject, body_text, status, next_attempt_at, created_at)
SELECT printf('00000000-0000-7000-8000-%012d', i), 'letter', 'mep' || (i % 700) || '@example.org',
       'Supporter ' || i, 'supporter' || i || '@example.org', 'Please act on Cambodia',
       'Dear Member,' || char(10) || 'please act.' || char(10) || 'Supporter ' || i, 'pending',
       '2026-01-01 00:00:00', '2026-01-01 00:00:00'
FROM seq;
SQL
sleep 0.5
start=$(date +%s%N)
CLARION_SMTP_URL="smtp://127.0.0.1:$smtp_port" CLARION_BIND=127.0.0.1:$http_port "$bin" >"$dir/server.log" 2>&1 &
pid=$!
while [ "$(sqlite3 "$dir/clarion.db" "SELECT count(*) FROM outbox WHERE status = 'sent'")" -lt "$n" ]; do sleep 0.05; done
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
echo "delivered $n letters to a local SMTP server in $ms ms (including start-up): $(( n * 1000 / ms )) letters/s"
