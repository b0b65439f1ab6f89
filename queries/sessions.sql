-- name: InsertSession :exec
INSERT INTO sessions (id_hash, user_id, data, user_agent, ip, created_at, last_seen_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $6, $7);

-- name: SessionByHash :one
SELECT * FROM sessions WHERE id_hash = $1;

-- name: UpdateSession :exec
UPDATE sessions SET data = $2, user_id = $3, last_seen_at = $4 WHERE id_hash = $1;

-- name: TouchSession :exec
UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1;

-- name: DeleteSession :exec
DELETE FROM sessions WHERE id_hash = $1;

-- name: ListUserSessions :many
SELECT * FROM sessions
WHERE user_id = $1 AND expires_at > sqlc.arg(now)::timestamptz AND last_seen_at > sqlc.arg(idle_after)::timestamptz
ORDER BY last_seen_at DESC;

-- name: DeleteUserSessionsExcept :exec
DELETE FROM sessions WHERE user_id = $1 AND id_hash <> sqlc.arg(keep)::bytea;

-- name: DeleteUserSessionByPrefix :execrows
-- Sessions are listed by a short prefix of their hash, never by the cookie ID.
DELETE FROM sessions WHERE user_id = $1 AND encode(id_hash, 'hex') LIKE sqlc.arg(prefix)::text || '%';

-- name: DeleteStaleSessions :execrows
DELETE FROM sessions WHERE expires_at <= sqlc.arg(now)::timestamptz OR last_seen_at <= sqlc.arg(idle_after)::timestamptz;
