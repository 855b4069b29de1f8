-- A signer's own choice to be named (first name and country) on the petition page and in
-- the list handed to MEPs, with the wording they ticked. Signatures from before the
-- choice existed never said yes, so they stay unnamed.
ALTER TABLE signatures ADD COLUMN show_publicly BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE signatures ADD COLUMN show_publicly_text TEXT NOT NULL DEFAULT '';
-- Staff can turn a petition's public list of latest signers off.
ALTER TABLE actions ADD COLUMN public_signers BOOLEAN NOT NULL DEFAULT TRUE;
