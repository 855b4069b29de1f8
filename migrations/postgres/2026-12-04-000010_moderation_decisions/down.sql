DROP TABLE moderation_changes;
DROP TABLE moderation_decisions;
