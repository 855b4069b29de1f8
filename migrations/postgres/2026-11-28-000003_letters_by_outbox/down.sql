DROP INDEX message_targets_by_outbox;
