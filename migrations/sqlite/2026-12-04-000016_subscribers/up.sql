-- The newsletter's subscribers: one row per address (canonical form, as for signatures).
-- `status`: pending (asked, not confirmed), subscribed, unsubscribed, bounced.
-- The consent wording shown and its version are kept as evidence, as for signatures.
-- `token_hash` is the confirmation link's hash; the unsubscribe link needs no stored
-- token (an HMAC over the id). `emails_sent` caps confirmation emails per address.
CREATE TABLE subscribers (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    email_canonical TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    country_code TEXT NOT NULL,
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    consent_text TEXT NOT NULL,
    consent_version TEXT NOT NULL,
    source TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    client_hash TEXT NOT NULL,
    emails_sent INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    unsubscribed_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX subscribers_by_token ON subscribers (token_hash);
CREATE INDEX subscribers_by_status ON subscribers (status);
