"""Seeds a bench database with the responsiveness of a real Parliament: the MEPs of
MEPS_CSV (../shared/data/meps.csv) added to the demo contact action's target list, and
LETTERS confirmed letters, each delivered to one MEP at random, answered at random
(replied, acknowledgement, no reply, not expected, or not at all).

Usage: seed_replies.py DATABASE MEPS_CSV LETTERS
"""
import csv
import random
import sqlite3
import sys

db, meps_csv, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = sqlite3.connect(db, timeout=30)
now, today = "2026-01-01 00:00:00", "2026-01-01"
action, target_list = c.execute(
    "SELECT id, target_list_id FROM actions WHERE kind = 'contact' LIMIT 1").fetchone()


def insert(table, rows):
    """Rows as dicts; NOT NULL columns without a default that a row leaves out get an
    empty value of their type, so the seed follows the schema as it grows."""
    columns = c.execute("SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info(?)",
                        (table,)).fetchall()
    blank = {"TEXT": "", "INTEGER": 0, "BIGINT": 0, "BOOLEAN": 0, "TIMESTAMP": now, "DATE": today}
    fill = {name: blank.get(kind.upper(), "") for name, kind, notnull, dflt in columns
            if notnull and dflt is None}
    rows = list(rows)
    # Every row names the same columns; the others keep their defaults.
    names = sorted(set(rows[0]) | set(fill))
    sql = "INSERT INTO %s (%s) VALUES (%s)" % (table, ", ".join(names), ", ".join("?" * len(names)))
    c.executemany(sql, ([row.get(k, fill.get(k)) for k in names] for row in rows))


meps = list(csv.DictReader(open(meps_csv, encoding="utf-8")))
insert("targets", ({
    "id": "mep-" + m["ep_id"], "list_id": target_list, "external_id": m["ep_id"],
    "name": "%s %s" % (m["first_name"], m["last_name"]), "role": "MEP",
    "country_code": m["country_code"], "political_group": m["political_group"],
    "party": m["national_party"], "email": m["email"], "profile_url": m["profile_url"],
    "active": 1, "created_at": now, "updated_at": now} for m in meps))
random.seed(30)
answers = ["replied", "acknowledgement", "no_reply", "not_expected", None]
letters = [("bench-%07d" % i, "mep-" + random.choice(meps)["ep_id"], random.choice(answers))
           for i in range(n)]
insert("messages", ({
    "id": mid, "action_id": action, "first_name": "Writer", "last_name": "Bench",
    "email": "%s@example.org" % mid, "email_canonical": "%s@example.org" % mid,
    "country_code": "FR", "status": "confirmed", "token_hash": "none:" + mid,
    "language": "en", "created_at": now, "confirmed_at": now, "updated_at": now,
    "follow_up_at": now, "follow_up_reminded_at": now} for mid, _, _ in letters))
insert("message_targets", ({
    "message_id": mid, "target_id": target, "status": "sent", "updated_at": now,
    "answer": answer, "answered_at": answer and now, "first_answered_at": answer and now}
    for mid, target, answer in letters))
c.commit()
print("seeded %d MEPs and %d answered or unanswered letters" % (len(meps), n))
