-- A confirmation email is stored as the few fields it is made from (JSON) and rendered
-- when sent: a surge writes a short row per signature instead of a whole email.
ALTER TABLE outbox ADD COLUMN fields TEXT;
