DROP TABLE job_runs;
ALTER TABLE actions DROP COLUMN retention_exempt;
