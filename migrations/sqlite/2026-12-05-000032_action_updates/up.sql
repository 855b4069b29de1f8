-- Telling supporters what happened (issue 30): staff post an update to an action, in
-- each language they write; it shows on the action's page and is emailed once per
-- address to the action's confirmed signers and writers who asked for news. A
-- "delivered" update keeps the signature list's digest and row count at posting, so
-- signers can check the number handed over against the public count.
CREATE TABLE action_updates (
    id TEXT PRIMARY KEY NOT NULL,
    action_id TEXT NOT NULL REFERENCES actions (id),
    kind TEXT NOT NULL CHECK (kind IN ('update', 'delivered')),
    digest TEXT NOT NULL DEFAULT '',
    handed_over BIGINT,
    handed_on DATE,
    emailed BOOLEAN NOT NULL,
    recipients INTEGER NOT NULL DEFAULT 0,
    created_by TEXT REFERENCES staff_users (id),
    published_at TIMESTAMP NOT NULL
);
CREATE INDEX action_updates_by_action ON action_updates (action_id, published_at);
CREATE TABLE action_update_texts (
    update_id TEXT NOT NULL REFERENCES action_updates (id),
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    PRIMARY KEY (update_id, language)
);
-- Who asked for no more updates about an action, through the link in one.
CREATE TABLE update_optouts (
    email_canonical TEXT NOT NULL,
    action_id TEXT NOT NULL REFERENCES actions (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (email_canonical, action_id)
);
