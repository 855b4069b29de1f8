-- Which claim holds a row being sent: a worker's updates of its rows are fenced by it,
-- so a worker whose lease ran out cannot mark sent what another worker has taken.
ALTER TABLE outbox ADD COLUMN claim TEXT;
