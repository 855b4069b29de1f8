"""A probe beside a load: signs one request at a time on a connection of its own, each
from a random address (X-Forwarded-For) with a unique email, for SECONDS, and prints how
many it sent, their statuses, and the latency percentiles it saw. wrk's own latency for
a POST load disagreed with its counts (CHANGELOG, issue 28); this is a second opinion
measured from outside wrk.

Usage: probe.py PORT FORM_PATH TOKEN SECONDS
"""
import http.client
import random
import statistics
import sys
import time
import urllib.parse

port, path, token, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
times, statuses, n = [], {}, 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    n += 1
    body = urllib.parse.urlencode({
        "token": token, "first_name": "Probe", "last_name": "Test", "country": "FR",
        "email": "probe-%d-%d@example.org" % (random.getrandbits(32), n),
    })
    address = "%d.%d.%d.%d" % (random.randint(1, 223), random.randint(0, 255),
                               random.randint(0, 255), random.randint(1, 254))
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": address}
    start = time.monotonic()
    try:
        conn.request("POST", path, body, headers)
        answer = conn.getresponse()
        answer.read()
        status = answer.status
    except (OSError, http.client.HTTPException):
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
        status = 0
    times.append(time.monotonic() - start)
    statuses[status] = statuses.get(status, 0) + 1
times.sort()
def pct(p):
    return times[min(len(times) - 1, int(len(times) * p / 100))] * 1000
print("probe: %d requests one at a time, statuses %s, p50 %.2f ms, p99 %.2f ms, max %.2f ms"
      % (len(times), " ".join("%s=%d" % kv for kv in sorted(statuses.items())),
         pct(50), pct(99), times[-1] * 1000))
