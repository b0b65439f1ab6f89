-- name: InsertPaste :exec
INSERT INTO pastes (
    id, owner_id, title, syntax, visibility, size, blob_key, source_url,
    burn_after_reading, delete_token_hash, revision, created_at, updated_at, expires_at, preview,
    tags, forked_from, encrypted
) VALUES (
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18
);

-- name: PasteByID :one
-- owner_disabled: the owner's account is disabled or being deleted, which
-- hides the paste from everyone (paste.Service.canRead).
SELECT sqlc.embed(p), coalesce(u.username, '')::text AS owner_name,
       (u.disabled_at IS NOT NULL)::boolean AS owner_disabled
FROM pastes p
LEFT JOIN users u ON u.id = p.owner_id
WHERE p.id = $1;

-- name: DeletePaste :one
DELETE FROM pastes WHERE id = $1
RETURNING *;

-- name: DeleteBurnPaste :one
-- Deleting the row takes its lock: concurrent readers wait, then find nothing.
DELETE FROM pastes WHERE id = $1 AND burn_after_reading
RETURNING *;

-- name: ListPublicPastes :many
SELECT sqlc.embed(p), coalesce(u.username, '')::text AS owner_name
FROM pastes p
LEFT JOIN users u ON u.id = p.owner_id
WHERE publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, u.disabled_at, sqlc.arg(now)::timestamptz)
  AND (p.created_at, p.id) < (sqlc.arg(before_created_at)::timestamptz, sqlc.arg(before_id)::text)
ORDER BY p.created_at DESC, p.id DESC
LIMIT sqlc.arg(max_rows);

-- name: ListOwnerPastes :many
SELECT sqlc.embed(p), coalesce(u.username, '')::text AS owner_name
FROM pastes p
LEFT JOIN users u ON u.id = p.owner_id
WHERE p.owner_id = sqlc.arg(owner_id)::bigint
  AND paste_live(p.expires_at, u.disabled_at, sqlc.arg(now)::timestamptz)
  AND (sqlc.arg(include_all)::boolean
       OR publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, u.disabled_at, sqlc.arg(now)::timestamptz))
  AND (p.created_at, p.id) < (sqlc.arg(before_created_at)::timestamptz, sqlc.arg(before_id)::text)
ORDER BY p.created_at DESC, p.id DESC
LIMIT sqlc.arg(max_rows);

-- name: DeleteExpiredPastes :many
-- SKIP LOCKED lets several replicas sweep at once without waiting on each other.
DELETE FROM pastes
WHERE id IN (
    SELECT e.id FROM pastes e
    WHERE e.expires_at <= sqlc.arg(now)::timestamptz
    ORDER BY e.expires_at
    LIMIT sqlc.arg(max_rows)
    FOR UPDATE SKIP LOCKED
)
RETURNING blob_key;

-- name: ReferencedBlobKeys :many
SELECT blob_key FROM pastes WHERE blob_key = ANY(sqlc.arg(keys)::text[]);

-- name: UpdatePaste :one
-- Optimistic: the row changes only if it is still at the revision the
-- caller read, so concurrent edits cannot silently overwrite each other.
UPDATE pastes SET
    id = sqlc.arg(new_id),
    title = sqlc.arg(title),
    syntax = sqlc.arg(syntax),
    visibility = sqlc.arg(visibility),
    size = sqlc.arg(size),
    blob_key = sqlc.arg(blob_key),
    burn_after_reading = sqlc.arg(burn_after_reading),
    revision = revision + 1,
    updated_at = sqlc.arg(updated_at),
    expires_at = sqlc.narg(expires_at),
    preview = coalesce(sqlc.narg(preview)::text, preview),
    tags = sqlc.arg(tags)::text[]
WHERE id = sqlc.arg(id) AND revision = sqlc.arg(revision)
RETURNING *;

-- name: CopyPastes :copyfrom
-- Many new pastes at once (store's insert batcher); the search_queue
-- trigger fires for each row as for INSERT.
INSERT INTO pastes (
    id, owner_id, title, syntax, visibility, size, blob_key, source_url,
    burn_after_reading, delete_token_hash, revision, created_at, updated_at, expires_at, preview,
    tags, forked_from, encrypted
) VALUES (
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18
);

-- name: SetPasteLocks :exec
-- A password and a views cap are written beside the insert, in its
-- transaction (issue 16), so the insert queries stay as they are.
UPDATE pastes SET
    password_hash = sqlc.narg(password_hash),
    max_views = sqlc.narg(max_views),
    views_left = sqlc.narg(max_views)
WHERE id = sqlc.arg(id);

-- name: ConsumePasteView :one
-- One read of a paste that reads consume: the row lock serialises
-- concurrent readers, each sees the count the one before left, and none
-- passes 0 (a burn paste without a count has one view).
UPDATE pastes SET views_left = coalesce(views_left, 1) - 1
WHERE id = $1 AND burn_after_reading AND coalesce(views_left, 1) > 0
RETURNING *;

-- name: SetPastePassword :exec
-- An edit's new password (NULL: none), in the edit's transaction.
UPDATE pastes SET password_hash = sqlc.narg(password_hash) WHERE id = sqlc.arg(id);
