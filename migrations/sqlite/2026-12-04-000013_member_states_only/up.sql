-- A letter-writing action to MEPs may list only the EU member states in its country
-- choice; by default they come first, then the other countries.
ALTER TABLE actions ADD COLUMN member_states_only BOOLEAN NOT NULL DEFAULT 0;
