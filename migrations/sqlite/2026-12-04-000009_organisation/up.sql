-- The organisation that runs this Clarion: one row (id 'main'), set by admins. Its name,
-- logo and data controller appear on every page, its sender on every email.
CREATE TABLE organisation (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    logo BYTEA,
    logo_type TEXT NOT NULL,
    logo_alt TEXT NOT NULL,
    logo_at TIMESTAMP,
    sender_name TEXT NOT NULL,
    sender_email TEXT NOT NULL,
    controller_name TEXT NOT NULL,
    controller_address TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    legal_url TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
