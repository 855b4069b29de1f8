-- When staff closed an action (NULL while open or closed only by its deadline), and the
-- outcome they write for its page once closed (Markdown).
ALTER TABLE actions ADD COLUMN closed_at TIMESTAMP;
ALTER TABLE actions ADD COLUMN outcome_md TEXT NOT NULL DEFAULT '';
