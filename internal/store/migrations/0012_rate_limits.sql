-- Abuse budgets (writes, registrations) counted here so that every replica
-- spends from the same count. One row per budget and caller, keyed by a
-- SHA-256 of both (no client address is kept in clear): a sliding window of
-- the hits of the current window and of the one before it. A row whose
-- expires_at has passed counts nothing and is swept.
--
-- UNLOGGED: the counts are written on every write request and are worth
-- nothing after a crash (PostgreSQL empties the table then), so they skip the
-- WAL.
CREATE UNLOGGED TABLE rate_limits (
    key_hash     bytea PRIMARY KEY,
    window_start timestamptz NOT NULL,
    hits         integer NOT NULL,
    prev_hits    integer NOT NULL,
    allowed      boolean NOT NULL,
    expires_at   timestamptz NOT NULL
);

CREATE INDEX rate_limits_expires_at ON rate_limits (expires_at);
