-- name: ClaimIdempotencyKey :execrows
-- Claims (scope, key_id) for a new request: inserts it, or takes over a row
-- that has expired or whose first request was abandoned. Zero rows: someone
-- else holds it. key_id, fingerprint and sealed_response are opaque (see
-- migration 0010).
INSERT INTO idempotency_keys (scope, key_id, fingerprint, sealed_response, locked_until, created_at, expires_at)
VALUES (sqlc.arg(scope), sqlc.arg(key_id), sqlc.arg(fingerprint), NULL, sqlc.arg(locked_until), sqlc.arg(now), sqlc.arg(expires_at))
ON CONFLICT (scope, key_id) DO UPDATE
SET fingerprint = EXCLUDED.fingerprint, sealed_response = NULL, locked_until = EXCLUDED.locked_until,
    created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
WHERE idempotency_keys.expires_at <= sqlc.arg(now)
   OR (idempotency_keys.sealed_response IS NULL AND idempotency_keys.locked_until <= sqlc.arg(now));

-- name: IdempotencyKey :one
SELECT fingerprint, sealed_response FROM idempotency_keys WHERE scope = $1 AND key_id = $2;

-- name: CompleteIdempotencyKey :exec
UPDATE idempotency_keys SET sealed_response = $3 WHERE scope = $1 AND key_id = $2 AND sealed_response IS NULL;

-- name: ReleaseIdempotencyKey :exec
DELETE FROM idempotency_keys WHERE scope = $1 AND key_id = $2 AND sealed_response IS NULL;

-- name: DeleteExpiredIdempotencyKeys :execrows
DELETE FROM idempotency_keys WHERE expires_at <= $1;
