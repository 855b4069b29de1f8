ALTER TABLE actions DROP COLUMN outcome_md;
ALTER TABLE actions DROP COLUMN closed_at;
