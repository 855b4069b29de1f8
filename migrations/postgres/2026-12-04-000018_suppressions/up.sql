-- Addresses no mailing may reach (a list staff import, e.g. from a former provider's
-- bounces and complaints), by canonical address. Mailings skip them when they start and
-- again when each email is sent.
CREATE TABLE suppressions (
    email_canonical TEXT PRIMARY KEY NOT NULL,
    reason TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
