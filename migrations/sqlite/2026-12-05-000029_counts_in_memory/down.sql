DROP INDEX signatures_by_client;
ALTER TABLE signatures DROP COLUMN client_indexed;
CREATE INDEX signatures_by_client ON signatures (action_id, client_hash, created_at);
