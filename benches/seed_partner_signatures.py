"""Seeds a bench database with N confirmed signatures of the demo petition made through
the partner `bench` (registered beforehand) whose signers chose to share with it, as the
OSDI API would find them after a campaign. Their change times are spread over a week,
three to a second.

Usage: seed_partner_signatures.py DATABASE N
"""
import sqlite3
import sys

db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db, timeout=30)
partner = c.execute("SELECT id FROM partners WHERE key = 'bench'").fetchone()[0]
action = c.execute(
    "SELECT id FROM actions WHERE slug = 'cambodia-political-prisoners-petition'"
).fetchone()[0]


def at(i):
    """Three rows a second, as Clarion writes times (chrono's `%.f`: no fraction for a
    whole second), so that they compare as the server's own do."""
    second = i // 3
    day, rest = divmod(second, 86400)
    whole = "2026-11-%02d %02d:%02d:%02d" % (
        1 + day % 28, rest // 3600, rest % 3600 // 60, rest % 60)
    return whole + (".%06d" % (i % 3) if i % 3 else "")


c.executemany(
    "INSERT INTO signatures (id, action_id, first_name, last_name, email, email_canonical,"
    " country_code, postcode, comment, consent_updates, consent_text, consent_version,"
    " status, client_hash, token_hash, emails_sent, created_at, confirmed_at, updated_at,"
    " show_publicly, show_publicly_text, text_version, language, partner_id,"
    " consent_partner, consent_partner_text, utm)"
    " VALUES (?, ?, 'Sok', 'Dara', ?, ?, 'FR', '', '', 0, 'bench', 'bench', 'confirmed',"
    " 'x', ?, 1, ?, ?, ?, 0, '', 1, 'fr', ?, 1, 'bench', '')",
    (("b%09d" % i, action, "b%d@example.org" % i, "b%d@example.org" % i, "bench:%d" % i,
      at(i), at(i), at(i), partner) for i in range(n)),
)
c.commit()
