ALTER TABLE signatures DROP COLUMN withdrawn_at;
DROP TABLE handovers;
