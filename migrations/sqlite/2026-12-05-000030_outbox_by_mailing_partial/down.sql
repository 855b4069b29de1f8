DROP INDEX outbox_by_mailing;
CREATE INDEX outbox_by_mailing ON outbox (mailing_id, status);
