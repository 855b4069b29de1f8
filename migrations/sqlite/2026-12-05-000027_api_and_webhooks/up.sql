-- The OSDI API's tokens (issue 27): one partner's each, with its scopes (space
-- separated: read:counts, read:signatures, write:signatures). Only the token's hash is
-- kept; it is shown once, when made.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    token_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);

-- A partner's webhook endpoints: the events it takes (space separated) and its signing
-- secret, sealed under the site's key (it must be read to sign; the database alone
-- does not give it away). A 410 from the endpoint disables it.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    disabled_at TIMESTAMP,
    disabled_reason TEXT NOT NULL DEFAULT ''
);

-- The durable queue of deliveries. `id` is the Standard Webhooks message id, the same on
-- every try. `subject_id` is the signature (or subscriber) it is about, so that erasing
-- a supporter removes what still waits for them. The body is emptied once delivered.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id),
    event TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    last_status INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX webhook_deliveries_by_subject ON webhook_deliveries (subject_id);

-- A partner's signatures in the order the API pages them (keyset on updated_at, id):
-- only rows with a partner are in it, so signing on Clarion's own pages never writes it.
DROP INDEX signatures_by_partner;
CREATE INDEX signatures_by_partner ON signatures (partner_id, action_id, updated_at, id) WHERE partner_id IS NOT NULL;
