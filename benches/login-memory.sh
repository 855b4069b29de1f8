#!/usr/bin/env bash
# Memory of the server under failed staff logins (issue 20): resident memory at rest, after
# 50 logins with 1.9 MB emails, after N failed logins through the real form (its cookie and
# token) each with its own email of up to 254 bytes and its own client address, and a minute later (after the
# throttle's clean-up). Before issue 20, 50 logins with 1.9 MB emails took the server from
# 41 MB to 209 MB, still 189 MB a minute later.
# Usage: benches/login-memory.sh [N]   (default 500; builds the release binary if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-500}"
[ -n "${CLARION_BIN:-}" ] || cargo build --release --quiet
bin="${CLARION_BIN:-target/release/clarion}"
dir=$(mktemp -d)
port=18383
base="http://127.0.0.1:$port"
CLARION_DATA_DIR="$dir" CLARION_BIND=127.0.0.1:$port RUST_LOG=warn \
  CLARION_RATE_LOGIN=off CLARION_TRUSTED_PROXIES=127.0.0.1/32 "$bin" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
until curl -fs "$base/healthz" >/dev/null 2>&1; do sleep 0.05; done
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
sleep 2
echo "at rest:                                  $(rss)"

big=$(mktemp)
{ printf 'email='; head -c 1900000 /dev/zero | tr '\0' a; printf '%%40example.org&password=x'; } >"$big"
codes=""
for _ in $(seq 1 50); do
  codes+=$(curl -s -o /dev/null -w '%{http_code} ' -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-binary @"$big" "$base/admin/login")
done
rm -f "$big"
echo "after 50 logins with 1.9 MB emails:       $(rss)  (answers: $(echo $codes | tr ' ' '\n' | sort | uniq -c | xargs))"

jar=$(mktemp)
long=$(head -c 236 /dev/zero | tr "\0" b)
codes=""
for i in $(seq 1 "$n"); do
  ip="10.$(( i / 65536 % 256 )).$(( i / 256 % 256 )).$(( i % 256 ))"
  token=$(curl -s -c "$jar" -H "X-Forwarded-For: $ip" "$base/admin/login" \
    | grep -o 'name="token" value="[^"]*"' | sed 's/.*value="//; s/"$//')
  codes+=$(curl -s -o /dev/null -w '%{http_code} ' -b "$jar" -H "X-Forwarded-For: $ip" \
    --data-urlencode "token=$token" --data-urlencode "email=$i$long@example.org" \
    --data-urlencode "password=wrong password" "$base/admin/login")
done
rm -f "$jar"
echo "after $n failed logins, distinct emails:  $(rss)  (answers: $(echo $codes | tr ' ' '\n' | sort | uniq -c | xargs))"
sleep 65
echo "a minute later:                           $(rss)"
