PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
UPDATE signatures SET status = 'invalidated' WHERE status = 'withdrawn';
CREATE TABLE signatures_new (
    id TEXT PRIMARY KEY NOT NULL,
    action_id TEXT NOT NULL REFERENCES actions (id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_canonical TEXT NOT NULL,
    country_code TEXT NOT NULL,
    postcode TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    consent_updates BOOLEAN NOT NULL DEFAULT FALSE,
    consent_text TEXT NOT NULL,
    consent_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'held', 'invalidated')),
    hold_reason TEXT,
    client_hash TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    emails_sent INTEGER NOT NULL DEFAULT 0,
    source_article_id TEXT REFERENCES articles (id),
    created_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    show_publicly BOOLEAN NOT NULL DEFAULT 0,
    show_publicly_text TEXT NOT NULL DEFAULT '',
    text_version INTEGER NOT NULL DEFAULT 1,
    language TEXT NOT NULL DEFAULT 'en',
    mailing_id TEXT,
    UNIQUE (action_id, email_canonical)
);
INSERT INTO signatures_new (id, action_id, first_name, last_name, email, email_canonical, country_code, postcode, comment, consent_updates, consent_text, consent_version, status, hold_reason, client_hash, token_hash, emails_sent, source_article_id, created_at, confirmed_at, updated_at, show_publicly, show_publicly_text, text_version, language, mailing_id)
    SELECT id, action_id, first_name, last_name, email, email_canonical, country_code, postcode, comment, consent_updates, consent_text, consent_version, status, hold_reason, client_hash, token_hash, emails_sent, source_article_id, created_at, confirmed_at, updated_at, show_publicly, show_publicly_text, text_version, language, mailing_id FROM signatures;
DROP TABLE signatures;
ALTER TABLE signatures_new RENAME TO signatures;
CREATE INDEX signatures_for_export ON signatures (action_id, status, created_at, id);
CREATE INDEX signatures_by_client ON signatures (action_id, client_hash, created_at);
CREATE INDEX signatures_by_time ON signatures (action_id, created_at, id);
CREATE INDEX signatures_by_mailing ON signatures (mailing_id) WHERE mailing_id IS NOT NULL;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
