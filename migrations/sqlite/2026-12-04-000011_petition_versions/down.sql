DROP TABLE petition_versions;
ALTER TABLE signatures DROP COLUMN text_version;
ALTER TABLE actions DROP COLUMN text_changed_at;
ALTER TABLE actions DROP COLUMN text_version;
