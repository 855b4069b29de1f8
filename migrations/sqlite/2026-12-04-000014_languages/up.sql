-- The language of the page a supporter used (en, fr, km): their emails are written in it,
-- and exports and reports count by it.
ALTER TABLE signatures ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE messages ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
