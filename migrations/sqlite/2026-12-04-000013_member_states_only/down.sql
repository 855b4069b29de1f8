ALTER TABLE actions DROP COLUMN member_states_only;
