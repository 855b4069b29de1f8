-- After the letter (issue 30): did the officials reply? A delivered letter's writer is
-- asked once (`follow_up_at`) and reminded once (`follow_up_reminded_at`); each copy of
-- the letter keeps the writer's answer about its target, when it was first given (it
-- may be changed for 30 days) and the reply's text if pasted, private until staff
-- approve quoting it (`reply_quotable`).
ALTER TABLE messages ADD COLUMN follow_up_at TIMESTAMP;
ALTER TABLE messages ADD COLUMN follow_up_reminded_at TIMESTAMP;
ALTER TABLE message_targets ADD COLUMN answer TEXT CHECK (answer IN ('replied', 'acknowledgement', 'no_reply', 'not_expected'));
ALTER TABLE message_targets ADD COLUMN first_answered_at TIMESTAMP;
ALTER TABLE message_targets ADD COLUMN answered_at TIMESTAMP;
ALTER TABLE message_targets ADD COLUMN reply_text TEXT NOT NULL DEFAULT '';
ALTER TABLE message_targets ADD COLUMN reply_quotable BOOLEAN NOT NULL DEFAULT FALSE;
-- The answer links: one per copy and email, only the token's hash stored, so that the
-- reminder's links and the first email's both work.
CREATE TABLE follow_up_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    message_id TEXT NOT NULL REFERENCES messages (id),
    target_id TEXT NOT NULL REFERENCES targets (id),
    issued_at TIMESTAMP NOT NULL
);
CREATE INDEX follow_up_links_by_message ON follow_up_links (message_id);
-- The job's two questions: which confirmed letters are not asked yet, which asked ones
-- are not reminded yet. Both shrink as letters are asked.
CREATE INDEX messages_follow_up_due ON messages (confirmed_at) WHERE follow_up_at IS NULL AND status = 'confirmed';
CREATE INDEX messages_follow_up_reminder ON messages (follow_up_at) WHERE follow_up_at IS NOT NULL AND follow_up_reminded_at IS NULL;
