ALTER TABLE actions DROP COLUMN public_signers;
ALTER TABLE signatures DROP COLUMN show_publicly_text;
ALTER TABLE signatures DROP COLUMN show_publicly;
