-- name: InsertInvite :one
INSERT INTO invites (token_hash, created_by, note, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5)
RETURNING id;

-- name: ConsumeInvite :one
-- Marks a live invite used; the row lock makes a second, concurrent use
-- find it used and return no row.
UPDATE invites SET used_at = sqlc.arg(now)::timestamptz
WHERE token_hash = sqlc.arg(token_hash) AND used_at IS NULL AND revoked_at IS NULL
  AND expires_at > sqlc.arg(now)
RETURNING id;

-- name: SetInviteUser :exec
UPDATE invites SET used_by = $2 WHERE id = $1;

-- name: InviteUsable :one
SELECT EXISTS (
    SELECT 1 FROM invites
    WHERE token_hash = sqlc.arg(token_hash) AND used_at IS NULL AND revoked_at IS NULL
      AND expires_at > sqlc.arg(now)
) AS usable;

-- name: ListInvites :many
SELECT i.id, i.note, i.created_at, i.expires_at, i.used_at, i.revoked_at,
       cb.username AS created_by_name, ub.username AS used_by_name
FROM invites i
LEFT JOIN users cb ON cb.id = i.created_by
LEFT JOIN users ub ON ub.id = i.used_by
ORDER BY i.created_at DESC, i.id DESC
LIMIT $1;

-- name: RevokeInvite :execrows
UPDATE invites SET revoked_at = sqlc.arg(now)::timestamptz
WHERE id = sqlc.arg(id) AND used_at IS NULL AND revoked_at IS NULL;

-- name: UserIdentity :one
SELECT user_id FROM user_identities WHERE issuer = $1 AND subject = $2;

-- name: InsertUserIdentity :exec
INSERT INTO user_identities (issuer, subject, user_id, created_at, last_used_at)
VALUES ($1, $2, $3, $4, $4);

-- name: TouchUserIdentity :exec
UPDATE user_identities SET last_used_at = $3 WHERE issuer = $1 AND subject = $2;
