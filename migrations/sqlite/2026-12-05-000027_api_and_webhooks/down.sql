DROP INDEX signatures_by_partner;
CREATE INDEX signatures_by_partner ON signatures (partner_id, action_id) WHERE partner_id IS NOT NULL;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
DROP TABLE api_tokens;
