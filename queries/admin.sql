-- Accounts: disable, delete ----------------------------------------------------

-- name: UserByNameAny :one
-- Any account not being deleted, disabled or not (admin routes).
SELECT * FROM users WHERE lower(username) = lower(sqlc.arg(username)) AND deleted_at IS NULL;

-- name: SetUserDisabled :one
-- Disabling also ends every token issued before now; enabling leaves that
-- alone, so the user signs in again.
UPDATE users SET
    disabled_at = CASE WHEN sqlc.arg(disabled)::boolean THEN coalesce(disabled_at, sqlc.arg(now)::timestamptz) ELSE NULL END,
    tokens_valid_after = CASE WHEN sqlc.arg(disabled)::boolean THEN sqlc.arg(now)::timestamptz ELSE tokens_valid_after END
WHERE id = sqlc.arg(id) AND deleted_at IS NULL
RETURNING id;

-- name: MarkUserDeleted :execrows
UPDATE users SET
    deleted_at = sqlc.arg(now)::timestamptz,
    disabled_at = coalesce(disabled_at, sqlc.arg(now)::timestamptz),
    tokens_valid_after = sqlc.arg(now)::timestamptz,
    email = NULL
WHERE id = sqlc.arg(id) AND deleted_at IS NULL;

-- name: DeleteUserSessions :exec
DELETE FROM sessions WHERE user_id = sqlc.arg(user_id)::bigint;

-- name: DeleteUserRefreshTokens :exec
DELETE FROM refresh_tokens WHERE user_id = sqlc.arg(user_id)::bigint;

-- name: DeleteUserAPITokens :exec
DELETE FROM api_tokens WHERE user_id = sqlc.arg(user_id)::bigint;

-- name: InsertAccountDeletion :exec
INSERT INTO account_deletions (user_id, requested_by, created_at, next_attempt_at)
VALUES (sqlc.arg(user_id), sqlc.arg(requested_by), sqlc.arg(now), sqlc.arg(now))
ON CONFLICT (user_id) DO NOTHING;

-- name: ClaimAccountDeletion :one
-- Takes the oldest due job for this worker: its next attempt moves to
-- lease_until, so no other worker (of this replica or another) takes it
-- while it runs. SKIP LOCKED: two workers claiming at once take different
-- jobs, never one twice, and neither waits for the other; a job whose
-- worker died is due again when its lease ends.
UPDATE account_deletions d SET next_attempt_at = sqlc.arg(lease_until)::timestamptz
WHERE d.user_id = (
    SELECT a.user_id FROM account_deletions a
    WHERE a.next_attempt_at <= sqlc.arg(now)::timestamptz
    ORDER BY a.next_attempt_at, a.user_id
    LIMIT 1
    FOR UPDATE SKIP LOCKED
)
RETURNING d.user_id;

-- name: RescheduleAccountDeletion :exec
-- Renews a claimed job's lease while it runs, or gives it back unfinished
-- (due at once) when its worker stops.
UPDATE account_deletions SET next_attempt_at = sqlc.arg(due_at)::timestamptz
WHERE user_id = sqlc.arg(user_id)::bigint;

-- name: RetryAccountDeletion :exec
UPDATE account_deletions SET attempts = attempts + 1, next_attempt_at = sqlc.arg(next_attempt_at)::timestamptz,
    last_error = sqlc.arg(last_error)::text
WHERE user_id = sqlc.arg(user_id)::bigint;

-- name: TryLockAccountDeletion :one
-- Held for the job's transaction-scoped steps, so two replicas do not run
-- one deletion's final step together.
SELECT pg_try_advisory_xact_lock(hashtextextended('pastel-account-deletion:' || sqlc.arg(user_id)::bigint::text, 0))::boolean AS locked;

-- name: OwnedPasteBlobs :many
SELECT id, blob_key FROM pastes WHERE owner_id = sqlc.arg(owner_id)::bigint ORDER BY id LIMIT sqlc.arg(max_rows)::int;

-- name: DeleteOwnedPastes :exec
DELETE FROM pastes WHERE owner_id = sqlc.arg(owner_id)::bigint AND id = ANY(sqlc.arg(ids)::text[]);

-- name: UserCommentIDs :many
-- The deepest first, so replies go before the comments they answer.
SELECT id FROM comments WHERE author_id = sqlc.arg(author_id)::bigint ORDER BY depth DESC, id;

-- name: AnonymiseComment :exec
-- A placeholder that keeps its replies readable; nothing of the author stays.
UPDATE comments SET body = '', author_id = NULL, deleted_at = coalesce(deleted_at, sqlc.arg(now)::timestamptz)
WHERE id = sqlc.arg(id);

-- name: UnvotePastesOf :exec
UPDATE pastes p SET likes = p.likes - (v.value = 1)::int, dislikes = p.dislikes - (v.value = -1)::int
FROM paste_votes v WHERE v.paste_id = p.id AND v.user_id = sqlc.arg(user_id)::bigint;

-- name: DeletePasteVotesOf :exec
DELETE FROM paste_votes WHERE user_id = sqlc.arg(user_id)::bigint;

-- name: UnvoteCommentsOf :exec
UPDATE comments c SET likes = c.likes - (v.value = 1)::int, dislikes = c.dislikes - (v.value = -1)::int
FROM comment_votes v WHERE v.comment_id = c.id AND v.user_id = sqlc.arg(user_id)::bigint;

-- name: DeleteCommentVotesOf :exec
DELETE FROM comment_votes WHERE user_id = sqlc.arg(user_id)::bigint;

-- name: UnstarPastesOf :exec
UPDATE pastes p SET stars = p.stars - 1
FROM stars s WHERE s.paste_id = p.id AND s.user_id = sqlc.arg(user_id)::bigint;

-- name: DeleteStarsOf :exec
DELETE FROM stars WHERE user_id = sqlc.arg(user_id)::bigint;

-- name: DeleteViewsBy :exec
DELETE FROM paste_views WHERE visitor_hash = ANY(sqlc.arg(hashes)::bytea[]);

-- name: DeleteIdempotencyKeysOf :exec
DELETE FROM idempotency_keys WHERE scope = sqlc.arg(scope)::text;

-- name: DeleteDeletedUser :execrows
DELETE FROM users WHERE id = sqlc.arg(id)::bigint AND deleted_at IS NOT NULL;

-- name: DeleteAccountDeletion :exec
DELETE FROM account_deletions WHERE user_id = sqlc.arg(user_id)::bigint;

-- name: ListUsersByJoined :many
SELECT u.id, u.username, u.email, u.is_admin, u.disabled_at, u.created_at,
       (SELECT count(*) FROM pastes p WHERE p.owner_id = u.id)::bigint AS pastes
FROM users u
WHERE u.deleted_at IS NULL
  AND (sqlc.arg(pattern)::text = '' OR u.username ILIKE sqlc.arg(pattern)::text OR u.email ILIKE sqlc.arg(pattern)::text)
ORDER BY u.created_at DESC, u.id DESC
LIMIT sqlc.arg(max_rows)::int OFFSET sqlc.arg(skip)::int;

-- name: ListUsersByPastes :many
SELECT u.id, u.username, u.email, u.is_admin, u.disabled_at, u.created_at, coalesce(c.n, 0)::bigint AS pastes
FROM users u
LEFT JOIN (SELECT p.owner_id, count(*) AS n FROM pastes p WHERE p.owner_id IS NOT NULL GROUP BY p.owner_id) c ON c.owner_id = u.id
WHERE u.deleted_at IS NULL
  AND (sqlc.arg(pattern)::text = '' OR u.username ILIKE sqlc.arg(pattern)::text OR u.email ILIKE sqlc.arg(pattern)::text)
ORDER BY coalesce(c.n, 0) DESC, u.id DESC
LIMIT sqlc.arg(max_rows)::int OFFSET sqlc.arg(skip)::int;

-- Reports ------------------------------------------------------------------------

-- name: InsertReport :one
INSERT INTO reports (reporter_id, paste_id, comment_id, reason, details, created_at)
VALUES (sqlc.arg(reporter_id), sqlc.narg(paste_id), sqlc.narg(comment_id), sqlc.arg(reason), sqlc.arg(details), sqlc.arg(created_at))
RETURNING id;

-- name: ListReports :many
-- With what was reported, as it is now: the paste's title and the start of
-- its text (from the search copy), or the comment's body.
SELECT r.id, r.paste_id, r.comment_id, r.reason, r.details, r.status, r.created_at, r.resolved_at,
       coalesce(ru.username, '')::text AS reporter_name,
       coalesce(p.id, c.paste_id, '')::text AS item_paste_id,
       coalesce(p.title, '')::text AS paste_title,
       coalesce(left(ps.body, 600), left(c.body, 600), '')::text AS excerpt,
       coalesce(pu.username, cu.username, '')::text AS author_name
FROM reports r
LEFT JOIN users ru ON ru.id = r.reporter_id
LEFT JOIN pastes p ON p.id = r.paste_id
LEFT JOIN paste_search ps ON ps.paste_id = r.paste_id
LEFT JOIN users pu ON pu.id = p.owner_id
LEFT JOIN comments c ON c.id = r.comment_id
LEFT JOIN users cu ON cu.id = c.author_id
WHERE r.status = sqlc.arg(status)::text
  AND (r.created_at, r.id) > (sqlc.arg(after_created_at)::timestamptz, sqlc.arg(after_id)::bigint)
ORDER BY r.created_at, r.id
LIMIT sqlc.arg(max_rows)::int;

-- name: ReportByID :one
SELECT id, paste_id, comment_id, status FROM reports WHERE id = sqlc.arg(id);

-- name: DismissReport :execrows
UPDATE reports SET status = 'dismissed', resolved_at = sqlc.arg(now)::timestamptz, resolved_by = sqlc.arg(admin_id)::bigint
WHERE id = sqlc.arg(id) AND status = 'open';

-- Admin log ---------------------------------------------------------------------

-- name: InsertAdminAction :exec
INSERT INTO admin_actions (admin_id, admin_name, action, target, details, created_at)
VALUES (sqlc.arg(admin_id), sqlc.arg(admin_name), sqlc.arg(action), sqlc.arg(target), sqlc.arg(details), sqlc.arg(created_at));

-- name: ListAdminActions :many
SELECT * FROM admin_actions
WHERE (created_at, id) < (sqlc.arg(before_created_at)::timestamptz, sqlc.arg(before_id)::bigint)
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg(max_rows)::int;

-- name: CloseCommentReports :exec
-- The comment was deleted but stays as a placeholder: its reports are done.
UPDATE reports SET status = 'removed', resolved_at = sqlc.arg(now)::timestamptz, resolved_by = sqlc.arg(admin_id)::bigint
WHERE comment_id = sqlc.arg(comment_id)::bigint AND status = 'open';

-- Every paste (admins) ---------------------------------------------------------

-- name: ListAllPastes :many
-- Every paste whatever its visibility, owner or state, newest first; each
-- filter matches everything when empty. pattern is an ILIKE pattern for the
-- title, paste_id an exact ID.
SELECT sqlc.embed(p), coalesce(u.username, '')::text AS owner_name,
       (u.disabled_at IS NOT NULL)::boolean AS owner_disabled
FROM pastes p
LEFT JOIN users u ON u.id = p.owner_id
WHERE (sqlc.arg(pattern)::text = '' OR p.title ILIKE sqlc.arg(pattern)::text OR p.id = sqlc.arg(paste_id)::text)
  AND (sqlc.arg(owner)::text = '' OR lower(u.username) = lower(sqlc.arg(owner)::text))
  AND (sqlc.arg(visibility)::text = '' OR p.visibility = sqlc.arg(visibility)::text)
  AND (p.created_at, p.id) < (sqlc.arg(before_created_at)::timestamptz, sqlc.arg(before_id)::text)
ORDER BY p.created_at DESC, p.id DESC
LIMIT sqlc.arg(max_rows);
