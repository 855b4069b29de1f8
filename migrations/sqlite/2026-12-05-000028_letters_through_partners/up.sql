-- Letters through partners (issue 27), as signatures have them (migration 26): the
-- partner the letter came through, the separate choice to share with it and its
-- wording, and the page's utm_* parameters as one query string.
ALTER TABLE messages ADD COLUMN partner_id TEXT;
ALTER TABLE messages ADD COLUMN consent_partner BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE messages ADD COLUMN consent_partner_text TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN utm TEXT NOT NULL DEFAULT '';
-- A partner's letters in the order the API pages them (keyset on updated_at, id).
CREATE INDEX messages_by_partner ON messages (partner_id, action_id, updated_at, id) WHERE partner_id IS NOT NULL;
