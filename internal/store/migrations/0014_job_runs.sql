-- Periodic jobs (sweeps, the popular rebuild) run once per period across all
-- replicas: a replica whose timer fires claims the job's row with one
-- UPDATE that succeeds only when the last run is at least a period old (by
-- the database's clock, so replicas' clocks may differ), and runs the job
-- only when it won. runs counts the claims (for tests and for operators).
CREATE TABLE job_runs (
    name     text PRIMARY KEY,
    last_run timestamptz NOT NULL,
    runs     bigint NOT NULL DEFAULT 0
);
