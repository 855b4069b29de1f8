-- The whole platform's schema, PostgreSQL flavour. Keep in step with migrations/sqlite:
-- the same tables, columns, types (TEXT, INTEGER, BIGINT, BOOLEAN, TIMESTAMP, DATE) and
-- nullability; a test compares the two. Ids are UUIDs as text, made in Rust; timestamps UTC.

CREATE TABLE campaigns (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live', 'closed')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE articles (
    id TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    standfirst TEXT NOT NULL DEFAULT '',
    body_md TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX articles_by_publication ON articles (status, published_at);

CREATE TABLE target_lists (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE targets (
    id TEXT PRIMARY KEY NOT NULL,
    list_id TEXT NOT NULL REFERENCES target_lists (id),
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    country_code TEXT NOT NULL,
    political_group TEXT NOT NULL DEFAULT '',
    party TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL,
    constituency TEXT NOT NULL DEFAULT '',
    profile_url TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (list_id, external_id)
);
CREATE INDEX targets_by_country ON targets (list_id, country_code);

CREATE TABLE actions (
    id TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    kind TEXT NOT NULL CHECK (kind IN ('petition', 'contact')),
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    body_md TEXT NOT NULL DEFAULT '',
    addressee TEXT NOT NULL DEFAULT '',
    goal BIGINT,
    deadline TIMESTAMP,
    confirm_window_days INTEGER NOT NULL DEFAULT 30,
    target_list_id TEXT REFERENCES target_lists (id),
    subject_template TEXT NOT NULL DEFAULT '',
    body_template TEXT NOT NULL DEFAULT '',
    max_targets INTEGER NOT NULL DEFAULT 5,
    delivery_mode TEXT NOT NULL DEFAULT 'platform' CHECK (delivery_mode IN ('platform', 'mailto')),
    max_per_hour INTEGER NOT NULL DEFAULT 30,
    consent_text TEXT NOT NULL DEFAULT '',
    consent_version TEXT NOT NULL DEFAULT '',
    confirmed_count BIGINT NOT NULL DEFAULT 0,
    letters_count BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Confirmed signatures per country, kept in the confirming transaction so that no page
-- ever counts rows.
CREATE TABLE action_country_counts (
    action_id TEXT NOT NULL REFERENCES actions (id),
    country_code TEXT NOT NULL,
    confirmed_count BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (action_id, country_code)
);

CREATE TABLE article_actions (
    article_id TEXT NOT NULL REFERENCES articles (id),
    action_id TEXT NOT NULL REFERENCES actions (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, action_id)
);
CREATE INDEX article_actions_by_action ON article_actions (action_id);

CREATE TABLE signatures (
    id TEXT PRIMARY KEY NOT NULL,
    action_id TEXT NOT NULL REFERENCES actions (id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_canonical TEXT NOT NULL,
    country_code TEXT NOT NULL,
    postcode TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    consent_updates BOOLEAN NOT NULL DEFAULT FALSE,
    consent_text TEXT NOT NULL,
    consent_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'held', 'invalidated')),
    hold_reason TEXT,
    client_hash TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    emails_sent INTEGER NOT NULL DEFAULT 0,
    source_article_id TEXT REFERENCES articles (id),
    created_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (action_id, email_canonical)
);
CREATE INDEX signatures_for_export ON signatures (action_id, status, created_at, id);
CREATE INDEX signatures_by_client ON signatures (action_id, client_hash, created_at);

CREATE TABLE messages (
    id TEXT PRIMARY KEY NOT NULL,
    action_id TEXT NOT NULL REFERENCES actions (id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_canonical TEXT NOT NULL,
    country_code TEXT NOT NULL,
    postcode TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    consent_updates BOOLEAN NOT NULL DEFAULT FALSE,
    consent_text TEXT NOT NULL,
    consent_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'held', 'invalidated')),
    hold_reason TEXT,
    client_hash TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    emails_sent INTEGER NOT NULL DEFAULT 0,
    source_article_id TEXT REFERENCES articles (id),
    created_day DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (action_id, email_canonical, created_day)
);
CREATE INDEX messages_for_export ON messages (action_id, status, created_at, id);

CREATE TABLE message_targets (
    message_id TEXT NOT NULL REFERENCES messages (id),
    target_id TEXT NOT NULL REFERENCES targets (id),
    status TEXT NOT NULL CHECK (status IN ('waiting', 'queued', 'sent', 'failed', 'prepared')),
    outbox_id TEXT,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (message_id, target_id)
);
CREATE INDEX message_targets_by_target ON message_targets (target_id, status);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    to_address TEXT NOT NULL,
    from_name TEXT,
    reply_to TEXT,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at TIMESTAMP NOT NULL,
    signature_id TEXT REFERENCES signatures (id),
    message_id TEXT REFERENCES messages (id),
    target_id TEXT REFERENCES targets (id),
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE staff_users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'campaigner')),
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP
);

CREATE TABLE staff_invites (
    id TEXT PRIMARY KEY NOT NULL,
    staff_user_id TEXT NOT NULL REFERENCES staff_users (id),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    staff_user_id TEXT REFERENCES staff_users (id),
    event TEXT NOT NULL,
    subject_type TEXT NOT NULL DEFAULT '',
    subject_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    row_count BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_events_by_time ON audit_events (created_at);

-- Block and allow lists consulted at signing time: email domains and address ranges.
CREATE TABLE access_rules (
    id TEXT PRIMARY KEY NOT NULL,
    list TEXT NOT NULL CHECK (list IN ('block', 'allow')),
    kind TEXT NOT NULL CHECK (kind IN ('email_domain', 'cidr')),
    value TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (list, kind, value)
);
