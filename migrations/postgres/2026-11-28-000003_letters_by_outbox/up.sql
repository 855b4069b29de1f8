-- Marking a batch of emails sent finds the letters among them by outbox id.
CREATE INDEX message_targets_by_outbox ON message_targets (outbox_id);
