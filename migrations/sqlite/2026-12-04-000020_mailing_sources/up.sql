-- The mailing whose link a signature or letter came through (links in a mailing carry
-- `?mailing={id}`), beside the article it was signed from: each mailing counts what it
-- brought, and nobody's reading or clicking is logged. Partial indexes: the many rows
-- that came from no mailing add nothing to them.
ALTER TABLE signatures ADD COLUMN mailing_id TEXT;
ALTER TABLE messages ADD COLUMN mailing_id TEXT;
CREATE INDEX signatures_by_mailing ON signatures (mailing_id) WHERE mailing_id IS NOT NULL;
CREATE INDEX messages_by_mailing ON messages (mailing_id) WHERE mailing_id IS NOT NULL;
