#!/usr/bin/env bash
# A mailing over SMTP (issue 25): N subscribers (default 100,000) on SQLite, sent by the
# release build to Postfix's smtp-sink on loopback (a sink that takes mail as fast as it
# comes; installed from Debian's postfix package when missing). Reports how long the whole
# mailing took, messages a second, and the server's resident memory before, at its
# highest and after.
#
# Usage: benches/mailing.sh [SUBSCRIBERS]
#   CLARION_BIN=path/to/clarion measures another build (default: a release build here).
#   RELAY_PATH=/bench adds a HELO name to the relay URL, which sends through lettre's own
#   transport (Nagle's algorithm on) instead of Clarion's TCP_NODELAY connections.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
command -v smtp-sink >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="${CLARION_BIN:-target/release/clarion}"
python=/usr/bin/python3
dir=$(mktemp -d)
port=18284 sink=12525
# smtp-sink refuses to run as root without a user to become.
user_flag=(); [ "$(id -u)" = 0 ] && user_flag=(-u nobody)
smtp-sink "${user_flag[@]}" 127.0.0.1:$sink 1000 &
sink_pid=$!
sleep 0.5
kill -0 "$sink_pid" 2>/dev/null || { echo "smtp-sink did not start" >&2; exit 1; }
CLARION_DATA_DIR="$dir" CLARION_BIND=127.0.0.1:$port CLARION_SMTP_URL="smtp://127.0.0.1:$sink${RELAY_PATH:-}" \
  RUST_LOG=warn "$bin" >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" "$sink_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.1; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
echo "binary: $bin; subscribers: $n; relay: smtp-sink at smtp://127.0.0.1:$sink${RELAY_PATH:-}"
echo "resident before: $(rss) kB"
"$python" benches/seed_mailing.py "$dir/clarion.db" "$n"
"$python" - "$dir/clarion.db" "$n" "$pid" <<'PY'
import sqlite3, sys, time
db, n, pid = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = sqlite3.connect(db, timeout=30)
def rss():
    for line in open("/proc/%s/status" % pid):
        if line.startswith("VmRSS"):
            return int(line.split()[1])
start, peak, first = time.time(), 0, None
while True:
    sent = c.execute("SELECT count(*) FROM outbox WHERE mailing_id = 'bench' AND status = 'sent'").fetchone()[0]
    peak = max(peak, rss())
    if sent and first is None:
        first = time.time()
    if sent >= n or time.time() - start > 900:
        break
    if first is None and time.time() - start > 60:
        sys.exit("nothing sent after 60 s: see the server log")
    time.sleep(0.5)
end = time.time()
print("sent: %d of %d in %.1f s from the start (%.1f s from the first email)" % (sent, n, end - start, end - (first or start)))
print("rate: %.0f messages a second" % (sent / max(end - (first or start), 0.001)))
print("resident at its highest while sending: %d kB" % peak)
PY
sleep 2
echo "resident after: $(rss) kB"
