#!/usr/bin/env bash
# Confirmations first (issue 25): while a mailing of N subscribers (default 100,000) goes
# to Postfix's smtp-sink on loopback, 200 supporters sign one after another (spread over
# the mailing); for each, the time from the signature being stored to its confirmation
# email being taken by the relay (the outbox's created_at to sent_at). Reports the median,
# p99 and worst, and how far the mailing had got. SQLite, release build, rate limits off.
#
# Usage: benches/confirmations-during-mailing.sh [SUBSCRIBERS] [SIGNERS]
#   CLARION_BIN=path/to/clarion measures another build.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}" signers="${2:-200}"
command -v smtp-sink >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="${CLARION_BIN:-target/release/clarion}"
python=/usr/bin/python3
dir=$(mktemp -d)
port=18285 sink=12526 slug=cambodia-political-prisoners-petition
user_flag=(); [ "$(id -u)" = 0 ] && user_flag=(-u nobody)
smtp-sink "${user_flag[@]}" 127.0.0.1:$sink 1000 &
sink_pid=$!
CLARION_DATA_DIR="$dir" CLARION_BIND=127.0.0.1:$port CLARION_SMTP_URL=smtp://127.0.0.1:$sink \
  CLARION_RATE_SIGN=off CLARION_RATE_PUBLIC=off CLARION_MIN_FILL_SECS=0 \
  CLARION_HOLD_PER_ADDRESS=off RUST_LOG=warn "$bin" >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" "$sink_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.1; done
"$python" benches/seed_mailing.py "$dir/clarion.db" "$n"
token=$(curl -fs "http://127.0.0.1:$port/petitions/$slug" | grep -o 'name="token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
# Wait until the mailing is under way, then sign at a steady pace through it.
until [ "$("$python" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM outbox WHERE mailing_id='bench' AND status='sent'\").fetchone()[0])" "$dir/clarion.db")" -gt 1000 ]; do sleep 0.2; done
for i in $(seq 1 "$signers"); do
  code=$(curl -s -o /dev/null -w "%{http_code}" -X POST "http://127.0.0.1:$port/petitions/$slug/sign" \
    --data-urlencode "token=$token" --data "first_name=Sok&last_name=Dara&country=FR&email_checked=1" \
    --data-urlencode "email=signer$i@example.net")
  [ "$i" = 1 ] && echo "first signature answered $code"
  sleep 0.1
done
sleep 5
"$python" - "$dir/clarion.db" "$n" <<'PY'
import sqlite3, sys
from datetime import datetime
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db, timeout=30)
parse = lambda t: datetime.fromisoformat(t)
rows = c.execute("SELECT created_at, sent_at, status FROM outbox WHERE kind = 'signature_confirmation'").fetchall()
waits = sorted((parse(s) - parse(c0)).total_seconds() for c0, s, st in rows if st == "sent" and s)
sent = c.execute("SELECT count(*) FROM outbox WHERE mailing_id='bench' AND status='sent'").fetchone()[0]
if not waits:
    sys.exit("no confirmation was sent")
p = lambda q: waits[min(len(waits) - 1, int(q * len(waits)))]
print("confirmations sent: %d of %d signatures" % (len(waits), len(rows)))
print("stored to taken by the relay: median %.3f s, p99 %.3f s, worst %.3f s" % (p(0.5), p(0.99), waits[-1]))
print("the mailing had sent %d of %d when the last signer was done" % (sent, n))
PY
