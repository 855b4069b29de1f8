-- Staff mark a delivery report as handed over: the day, and the digest of the signature
-- list handed over (`db/handovers.rs`). The report then lists the withdrawals since.
CREATE TABLE handovers (
    id TEXT PRIMARY KEY NOT NULL,
    action_id TEXT NOT NULL REFERENCES actions (id),
    handed_on DATE NOT NULL,
    digest TEXT NOT NULL,
    staff_user_id TEXT REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX handovers_by_action ON handovers (action_id, handed_on);

-- When its signer withdrew a signature (`/me`): the report counts withdrawals since the
-- last handover by it.
ALTER TABLE signatures ADD COLUMN withdrawn_at TIMESTAMP;
