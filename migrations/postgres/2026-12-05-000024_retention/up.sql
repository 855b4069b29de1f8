-- Retention (`db/retention.rs`). Staff may exempt one action, with a reason: NULL means
-- the periods apply. The reason is also in the audit log.
ALTER TABLE actions ADD COLUMN retention_exempt TEXT;

-- One row per periodic job: the time its next run may start. A node runs the job only
-- after moving that time on by a conditional update, so several nodes run it once.
CREATE TABLE job_runs (
    name TEXT PRIMARY KEY NOT NULL,
    next_run_at TIMESTAMP NOT NULL,
    last_run_at TIMESTAMP
);
INSERT INTO job_runs (name, next_run_at) VALUES ('retention', '1970-01-01 00:00:00');
