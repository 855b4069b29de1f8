-- The mailing through which a subscriber left (its unsubscribe link) or bounced, so each
-- mailing can say how many it lost, without a log of who opened or clicked what.
ALTER TABLE subscribers ADD COLUMN left_mailing_id TEXT;
CREATE INDEX subscribers_by_left_mailing ON subscribers (left_mailing_id);
