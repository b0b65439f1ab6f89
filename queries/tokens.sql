-- name: InsertRefreshToken :exec
INSERT INTO refresh_tokens (jti, user_id, family, created_at, expires_at) VALUES ($1, $2, $3, $4, $5);

-- name: RefreshTokenForUpdate :one
-- Locks the row so two concurrent refreshes with one token cannot both pass.
SELECT * FROM refresh_tokens WHERE jti = $1 FOR UPDATE;

-- name: MarkRefreshTokenUsed :exec
UPDATE refresh_tokens SET used_at = sqlc.arg(now)::timestamptz WHERE jti = $1;

-- name: RevokeRefreshFamily :exec
UPDATE refresh_tokens SET revoked_at = sqlc.arg(now)::timestamptz WHERE family = $1 AND revoked_at IS NULL;

-- name: RevokeUserRefreshTokens :exec
UPDATE refresh_tokens SET revoked_at = sqlc.arg(now)::timestamptz WHERE user_id = $1 AND revoked_at IS NULL;

-- name: InsertRevokedToken :exec
INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING;

-- name: TokenRevoked :one
SELECT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = $1);

-- name: DeleteExpiredTokenRows :exec
WITH a AS (DELETE FROM revoked_tokens WHERE revoked_tokens.expires_at <= sqlc.arg(now)::timestamptz)
DELETE FROM refresh_tokens WHERE refresh_tokens.expires_at <= sqlc.arg(now)::timestamptz;

-- name: InsertAPIToken :one
INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)
RETURNING *;

-- name: UseAPIToken :one
UPDATE api_tokens SET last_used_at = sqlc.arg(now)::timestamptz WHERE token_hash = $1
RETURNING *;

-- name: ListAPITokens :many
SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC;

-- name: DeleteAPIToken :execrows
DELETE FROM api_tokens WHERE user_id = $1 AND id = $2;
