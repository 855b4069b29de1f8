DROP INDEX messages_by_mailing;
DROP INDEX signatures_by_mailing;
ALTER TABLE messages DROP COLUMN mailing_id;
ALTER TABLE signatures DROP COLUMN mailing_id;
