ALTER TABLE messages DROP COLUMN language;
ALTER TABLE signatures DROP COLUMN language;
