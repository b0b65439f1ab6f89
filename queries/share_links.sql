-- name: InsertShareLink :one
INSERT INTO share_links (paste_id, token_hash, created_at, expires_at, max_uses, token_hint)
VALUES ($1, $2, $3, sqlc.narg(expires_at), sqlc.narg(max_uses), sqlc.arg(token_hint))
RETURNING *;

-- name: UseShareLink :one
-- A link past its expiry or its uses answers nothing; a use that counts
-- (cost 1: a read, not a HEAD) takes one of them in the same statement.
UPDATE share_links SET last_used_at = sqlc.arg(now)::timestamptz, uses = uses + sqlc.arg(cost)::integer
WHERE token_hash = $1
  AND (expires_at IS NULL OR expires_at > sqlc.arg(now)::timestamptz)
  AND (max_uses IS NULL OR uses < max_uses)
RETURNING paste_id;

-- name: ListShareLinks :many
SELECT * FROM share_links WHERE paste_id = $1 ORDER BY created_at DESC, id DESC;

-- name: DeleteShareLink :execrows
DELETE FROM share_links WHERE paste_id = $1 AND id = $2;

-- name: DeleteShareLinkByHash :execrows
DELETE FROM share_links WHERE paste_id = $1 AND token_hash = $2;
