DROP INDEX subscribers_by_left_mailing;
ALTER TABLE subscribers DROP COLUMN left_mailing_id;
