-- The per-address hold rule counts in the signing writer's memory on SQLite (issue 28):
-- a new row then writes no leaf at a random place of an index by address. Only the rows
-- the memory does not hold are indexed: those past the rule's burst from one address,
-- and those that came while the memory was full (`db/batch/by_address.rs`).
ALTER TABLE signatures ADD COLUMN client_indexed BOOLEAN NOT NULL DEFAULT FALSE;
DROP INDEX signatures_by_client;
CREATE INDEX signatures_by_client ON signatures (action_id, client_hash, created_at) WHERE client_indexed;
