-- Partners (issue 27): organisations that embed a petition on their own sites. `key` is
-- the short name in embed links and the CSV; `origins` the web origins allowed to frame
-- the embed, one per line.
CREATE TABLE partners (
    id TEXT PRIMARY KEY NOT NULL,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    origins TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The partner a signature came through, whether its signer chose to share their details
-- with that partner (and the wording they ticked), and the page's utm_* parameters as
-- one query string (`utm_source=…&utm_medium=…&utm_campaign=…`, '' when none): one
-- column, since diesel's tables stop at 32 and this one now has 32.
ALTER TABLE signatures ADD COLUMN partner_id TEXT;
ALTER TABLE signatures ADD COLUMN consent_partner BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE signatures ADD COLUMN consent_partner_text TEXT NOT NULL DEFAULT '';
ALTER TABLE signatures ADD COLUMN utm TEXT NOT NULL DEFAULT '';
CREATE INDEX signatures_by_partner ON signatures (partner_id, action_id) WHERE partner_id IS NOT NULL;
