-- What staff translate of articles, campaigns and actions, field by field, per language
-- (fr, km): a page in that language shows a translated field instead of the original.
-- A field without a row, or with an empty text, shows the original.
CREATE TABLE translations (
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    language TEXT NOT NULL,
    field TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    staff_user_id TEXT REFERENCES staff_users (id),
    PRIMARY KEY (subject_type, subject_id, language, field)
);
