-- A petition's text (title, addressee, body) is versioned once people have signed it:
-- the action holds its current version and when that version began, each signature the
-- version it was signed on, and petition_versions every version's text with its date.
ALTER TABLE actions ADD COLUMN text_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE actions ADD COLUMN text_changed_at TIMESTAMP;
ALTER TABLE signatures ADD COLUMN text_version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE petition_versions (
    action_id TEXT NOT NULL REFERENCES actions (id),
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    addressee TEXT NOT NULL,
    body_md TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    staff_user_id TEXT REFERENCES staff_users (id),
    PRIMARY KEY (action_id, version)
);
