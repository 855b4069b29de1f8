"""Seeds a bench database as Clarion would leave it: N subscribed addresses (languages
en, fr, km in turn) and a mailing `bench` of the first article, scheduled in the past so
the server's mailings' worker starts it within a second.

Usage: seed_mailing.py DATABASE N
"""
import sqlite3
import sys

db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db, timeout=30)
now = "2026-01-01 00:00:00"
c.executemany(
    "INSERT INTO subscribers (id, email, email_canonical, first_name, country_code, language,"
    " status, consent_text, consent_version, source, token_hash, client_hash, emails_sent,"
    " created_at, confirmed_at, updated_at) VALUES (?, ?, ?, 'Reader', 'FR', ?, 'subscribed',"
    " 'bench', 'bench', 'bench', ?, '', 0, ?, ?, ?)",
    (("s%07d" % i, "r%d@example.org" % i, "r%d@example.org" % i, ("en", "fr", "km")[i % 3],
      "none:%d" % i, now, now, now) for i in range(n)),
)
article = c.execute("SELECT id FROM articles LIMIT 1").fetchone()[0]
c.execute(
    "INSERT INTO mailings (id, article_id, status, send_at, recipients, created_at, updated_at)"
    " VALUES ('bench', ?, 'scheduled', '2000-01-01 00:00:00', 0, ?, ?)",
    (article, now, now),
)
c.commit()
