-- One schema with SQLite (issue 28). PostgreSQL's writers (and nodes) count the
-- per-address rule in the database, so its index by address keeps every row and this
-- column is never set.
ALTER TABLE signatures ADD COLUMN client_indexed BOOLEAN NOT NULL DEFAULT FALSE;
