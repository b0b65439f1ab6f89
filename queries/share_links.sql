-- name: InsertShareLink :one
INSERT INTO share_links (paste_id, token_hash, created_at) VALUES ($1, $2, $3)
RETURNING *;

-- name: UseShareLink :one
UPDATE share_links SET last_used_at = sqlc.arg(now)::timestamptz WHERE token_hash = $1
RETURNING paste_id;

-- name: ListShareLinks :many
SELECT * FROM share_links WHERE paste_id = $1 ORDER BY created_at DESC, id DESC;

-- name: DeleteShareLink :execrows
DELETE FROM share_links WHERE paste_id = $1 AND id = $2;

-- name: DeleteShareLinkByHash :execrows
DELETE FROM share_links WHERE paste_id = $1 AND token_hash = $2;
