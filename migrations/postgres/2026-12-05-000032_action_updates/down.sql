DROP TABLE update_optouts;
DROP TABLE action_update_texts;
DROP TABLE action_updates;
