-- Confirmation and letter emails have no mailing: leave them out of this index, which
-- only queries by one mailing read (`mailing_id = ?` implies NOT NULL, so both
-- SQLite and PostgreSQL still use it). One index entry less per signature.
DROP INDEX outbox_by_mailing;
CREATE INDEX outbox_by_mailing ON outbox (mailing_id, status) WHERE mailing_id IS NOT NULL;
