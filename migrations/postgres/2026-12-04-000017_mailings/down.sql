DROP INDEX outbox_due_mailings;
DROP INDEX outbox_due_mail;
DROP INDEX outbox_by_mailing;
ALTER TABLE outbox DROP COLUMN subscriber_id;
ALTER TABLE outbox DROP COLUMN mailing_id;
DROP TABLE mailing_texts;
DROP TABLE mailings;
