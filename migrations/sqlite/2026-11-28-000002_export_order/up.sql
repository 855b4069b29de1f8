-- Exports of every status read signatures of one petition in (created_at, id) order.
CREATE INDEX signatures_by_time ON signatures (action_id, created_at, id);
