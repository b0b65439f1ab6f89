-- API: the first response to each Idempotency-Key, per caller, kept 24 hours.

CREATE TABLE idempotency_keys (
    scope        text        NOT NULL,          -- "user:<id>" or "addr:<client address>"
    key          text        NOT NULL,          -- the client's Idempotency-Key
    fingerprint  bytea       NOT NULL,          -- SHA-256 of method, path, query, type and body
    response     bytea,                         -- the stored response; NULL while the first request runs
    locked_until timestamptz NOT NULL,          -- a running claim older than this is abandoned
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);
