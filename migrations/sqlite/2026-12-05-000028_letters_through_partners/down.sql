DROP INDEX messages_by_partner;
ALTER TABLE messages DROP COLUMN utm;
ALTER TABLE messages DROP COLUMN consent_partner_text;
ALTER TABLE messages DROP COLUMN consent_partner;
ALTER TABLE messages DROP COLUMN partner_id;
