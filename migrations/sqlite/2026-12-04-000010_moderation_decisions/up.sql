-- Each staff decision on signatures (invalidate or release), with the reason staff gave,
-- and each signature it changed with its status before, so that it can be undone for 30
-- days.
CREATE TABLE moderation_decisions (
    id TEXT PRIMARY KEY NOT NULL,
    action_id TEXT NOT NULL REFERENCES actions (id),
    decision TEXT NOT NULL,
    reason TEXT NOT NULL,
    staff_user_id TEXT REFERENCES staff_users (id),
    row_count BIGINT NOT NULL,
    decided_at TIMESTAMP NOT NULL,
    undone_at TIMESTAMP,
    undone_by TEXT REFERENCES staff_users (id)
);
CREATE INDEX moderation_decisions_by_action ON moderation_decisions (action_id, decided_at);

CREATE TABLE moderation_changes (
    decision_id TEXT NOT NULL REFERENCES moderation_decisions (id),
    signature_id TEXT NOT NULL,
    status_before TEXT NOT NULL,
    PRIMARY KEY (decision_id, signature_id)
);
