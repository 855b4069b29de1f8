ALTER TABLE messages DROP COLUMN reminded_at;
ALTER TABLE signatures DROP COLUMN reminded_at;
