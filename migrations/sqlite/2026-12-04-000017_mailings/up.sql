-- Mailings: an article sent to the newsletter's subscribers.
-- `status`: draft, scheduled (`send_at` set), sending, paused, cancelled, sent.
-- `recipients`: how many subscribers it was queued for when it started.
CREATE TABLE mailings (
    id TEXT PRIMARY KEY NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id),
    status TEXT NOT NULL,
    send_at TIMESTAMP,
    recipients INTEGER NOT NULL,
    created_by TEXT REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
-- Its subject and introduction per language (en, fr, km); an empty one falls back to
-- the original (`en`).
CREATE TABLE mailing_texts (
    mailing_id TEXT NOT NULL REFERENCES mailings (id),
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    intro TEXT NOT NULL,
    PRIMARY KEY (mailing_id, language)
);
-- A mailing's emails are outbox rows of kind `mailing`, one per subscriber, rendered
-- when sent (so an unsubscribe in between is honoured).
ALTER TABLE outbox ADD COLUMN mailing_id TEXT;
ALTER TABLE outbox ADD COLUMN subscriber_id TEXT;
CREATE INDEX outbox_by_mailing ON outbox (mailing_id, status);
-- Two lanes: supporters' and officials' mail is claimed apart from mailings, so a
-- mailing of 100,000 never stands in front of a confirmation.
CREATE INDEX outbox_due_mail ON outbox (status, next_attempt_at) WHERE mailing_id IS NULL;
CREATE INDEX outbox_due_mailings ON outbox (status, next_attempt_at) WHERE mailing_id IS NOT NULL;
