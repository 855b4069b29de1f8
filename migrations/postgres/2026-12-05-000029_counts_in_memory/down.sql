ALTER TABLE signatures DROP COLUMN client_indexed;
