-- One row that /healthz rewrites, at most every few seconds and only while writes have
-- been failing, to learn whether they work again (a real write: a full disk or a
-- read-only database refuses it).
CREATE TABLE write_probe (
    id INTEGER PRIMARY KEY NOT NULL,
    probed_at TIMESTAMP NOT NULL
);
INSERT INTO write_probe (id, probed_at) VALUES (1, CURRENT_TIMESTAMP);
