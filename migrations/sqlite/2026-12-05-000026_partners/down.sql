DROP INDEX signatures_by_partner;
ALTER TABLE signatures DROP COLUMN utm;
ALTER TABLE signatures DROP COLUMN consent_partner_text;
ALTER TABLE signatures DROP COLUMN consent_partner;
ALTER TABLE signatures DROP COLUMN partner_id;
DROP TABLE partners;
