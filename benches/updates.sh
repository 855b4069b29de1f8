#!/usr/bin/env bash
# An update to supporters (issue 30): N confirmed signers of the demo petition who asked
# for news (default 100,000; languages en, fr, km in turn), on SQLite, mail over SMTP to
# Postfix's smtp-sink on loopback. A staff member publishes an emailed "delivered" update
# over HTTP. Reports how long the action's admin page took (it counts the readers), how
# long the POST took (readers found and every email queued in one transaction: on SQLite
# signing waits that long), then how long the mailings' worker took to send them all,
# messages a second, and the server's resident memory.
#
# Usage: benches/updates.sh [SIGNERS]   (CLARION_BIN=path measures another build)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
command -v smtp-sink >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="${CLARION_BIN:-target/release/clarion}"
dir=$(mktemp -d)
port=18286 sink=12526
user_flag=(); [ "$(id -u)" = 0 ] && user_flag=(-u nobody)
smtp-sink "${user_flag[@]}" 127.0.0.1:$sink 1000 &
sink_pid=$!
export CLARION_DATA_DIR="$dir" CLARION_BIND=127.0.0.1:$port RUST_LOG=warn
export CLARION_SMTP_URL="smtp://127.0.0.1:$sink"
"$bin" seed-demo >/dev/null
CLARION_ADMIN_PASSWORD=benchmark-password "$bin" create-admin --email bench@example.org >/dev/null
/usr/bin/python3 - "$dir/clarion.db" "$n" <<'PY'
import sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db, timeout=30)
action = c.execute(
    "SELECT id FROM actions WHERE slug = 'cambodia-political-prisoners-petition'").fetchone()[0]
now = "2026-11-01 10:00:00"
c.executemany(
    "INSERT INTO signatures (id, action_id, first_name, last_name, email, email_canonical,"
    " country_code, postcode, comment, consent_updates, consent_text, consent_version,"
    " status, client_hash, token_hash, emails_sent, created_at, confirmed_at, updated_at,"
    " show_publicly, show_publicly_text, text_version, language, consent_partner,"
    " consent_partner_text, utm)"
    " VALUES (?, ?, 'Sok', 'Dara', ?, ?, 'FR', '', '', 1, 'bench', 'bench', 'confirmed',"
    " 'x', ?, 1, ?, ?, ?, 0, '', 1, ?, 0, '', '')",
    (("u%09d" % i, action, "u%d@example.org" % i, "u%d@example.org" % i, "bench:%d" % i,
      now, now, now, ("en", "fr", "km")[i % 3]) for i in range(n)),
)
c.execute("UPDATE actions SET confirmed_count = confirmed_count + ? WHERE id = ?", (n, action))
c.commit()
PY
action=$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT id FROM actions WHERE slug = 'cambodia-political-prisoners-petition'\").fetchone()[0])" "$dir/clarion.db")
"$bin" >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" "$sink_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
base="http://127.0.0.1:$port"
until curl -fs "$base/healthz" >/dev/null; do sleep 0.1; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
jar="$dir/cookies"
token=$(curl -fs -c "$jar" "$base/admin/login" | grep -o 'name="token" value="[^"]*"' | sed 's/.*value="//; s/"$//')
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "token=$token" \
  --data-urlencode "email=bench@example.org" --data-urlencode "password=benchmark-password" "$base/admin/login"
echo "binary: $bin; signers who asked for news: $n; relay: smtp-sink"
echo "resident before: $(rss) kB"
page=$(curl -fs -b "$jar" -w '\n%{time_total}' "$base/admin/actions/$action")
echo "the action's admin page (counts the readers): $(tail -1 <<<"$page") s; $(grep -o 'Email it to the [0-9]* supporters' <<<"$page")"
csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$page" | head -1 | sed 's/.*value="//; s/"$//')
start=$(date +%s.%N)
curl -fs -b "$jar" -o /dev/null -w 'publishing (POST, emails queued): %{time_total} s, answer %{http_code}\n' \
  --data-urlencode "csrf=$csrf" --data-urlencode "kind=delivered" \
  --data-urlencode "title_en=We delivered the petition" --data-urlencode "body_en=To the **European Parliament**." \
  --data-urlencode "title_fr=Nous avons remis la pétition" --data-urlencode "body_fr=Au **Parlement européen**." \
  --data-urlencode "email=1" "$base/admin/actions/$action/updates"
/usr/bin/python3 - "$dir/clarion.db" "$n" "$pid" "$start" <<'PY'
import sqlite3, sys, time
db, n, pid, start = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
c = sqlite3.connect(db, timeout=30)
def rss():
    for line in open("/proc/%s/status" % pid):
        if line.startswith("VmRSS"):
            return int(line.split()[1])
peak, first = 0, None
while True:
    sent = c.execute("SELECT count(*) FROM outbox WHERE kind = 'update' AND status = 'sent'").fetchone()[0]
    peak = max(peak, rss())
    if sent and first is None:
        first = time.time()
    if sent >= n or time.time() - start > 900:
        break
    time.sleep(0.5)
end = time.time()
print("sent: %d of %d in %.1f s from the POST (%.1f s from the first email)" % (sent, n, end - start, end - (first or start)))
print("rate: %.0f messages a second" % (sent / max(end - (first or start), 0.001)))
print("resident at its highest while sending: %d kB" % peak)
PY
echo "resident after: $(rss) kB"
