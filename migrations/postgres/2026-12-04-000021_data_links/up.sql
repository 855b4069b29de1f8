-- The link that lets a supporter see, download and withdraw their own data
-- (`/me/{token}`), one per address (canonical form): asking again replaces it, so an
-- older link stops working; erasure deletes it. `emails_sent` counts link emails since
-- `window_started_at`, so nobody can flood an address through the form.
CREATE TABLE data_links (
    email_canonical TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    emails_sent INTEGER NOT NULL,
    window_started_at TIMESTAMP NOT NULL
);
