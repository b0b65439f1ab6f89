-- name: ClaimJobRun :one
-- One statement: the row is created on a job's first run; afterwards the
-- update happens (and a row comes back) only when the last run is at least
-- @min_gap_seconds old by the database's clock. Concurrent claims queue on the row
-- lock and the later ones see the new last_run, so exactly one wins.
INSERT INTO job_runs AS j (name, last_run, runs)
VALUES (sqlc.arg(name)::text, now(), 1)
ON CONFLICT (name) DO UPDATE SET last_run = excluded.last_run, runs = j.runs + 1
WHERE j.last_run <= excluded.last_run - make_interval(secs => sqlc.arg(min_gap_seconds)::float8)
RETURNING last_run;

-- name: ReleaseJobRun :exec
-- A failed run gives its period back, so the next timer of any replica
-- retries it instead of waiting a whole period.
UPDATE job_runs SET last_run = '-infinity'
WHERE name = sqlc.arg(name)::text AND last_run = sqlc.arg(claimed)::timestamptz;

-- name: JobRunCounts :many
SELECT name, runs FROM job_runs ORDER BY name;
