-- name: ClaimIdempotencyKey :execrows
-- Claims (scope, key) for a new request: inserts it, or takes over a row
-- that has expired or whose first request was abandoned. Zero rows: someone
-- else holds it.
INSERT INTO idempotency_keys (scope, key, fingerprint, response, locked_until, created_at, expires_at)
VALUES (sqlc.arg(scope), sqlc.arg(key), sqlc.arg(fingerprint), NULL, sqlc.arg(locked_until), sqlc.arg(now), sqlc.arg(expires_at))
ON CONFLICT (scope, key) DO UPDATE
SET fingerprint = EXCLUDED.fingerprint, response = NULL, locked_until = EXCLUDED.locked_until,
    created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
WHERE idempotency_keys.expires_at <= sqlc.arg(now)
   OR (idempotency_keys.response IS NULL AND idempotency_keys.locked_until <= sqlc.arg(now));

-- name: IdempotencyKey :one
SELECT fingerprint, response FROM idempotency_keys WHERE scope = $1 AND key = $2;

-- name: CompleteIdempotencyKey :exec
UPDATE idempotency_keys SET response = $3 WHERE scope = $1 AND key = $2 AND response IS NULL;

-- name: ReleaseIdempotencyKey :exec
DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND response IS NULL;

-- name: DeleteExpiredIdempotencyKeys :execrows
DELETE FROM idempotency_keys WHERE expires_at <= $1;
