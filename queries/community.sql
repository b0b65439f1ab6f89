-- Comments -----------------------------------------------------------------

-- name: InsertComment :one
INSERT INTO comments (paste_id, parent_id, root_id, depth, author_id, body, created_at, updated_at,
                      line_start, line_end, line_revision)
VALUES (sqlc.arg(paste_id), sqlc.narg(parent_id), sqlc.narg(root_id), sqlc.arg(depth),
        sqlc.arg(author_id), sqlc.arg(body), sqlc.arg(created_at), sqlc.arg(created_at),
        sqlc.narg(line_start), sqlc.narg(line_end), sqlc.narg(line_revision))
RETURNING *;

-- name: CommentByID :one
SELECT sqlc.embed(c), coalesce(u.username, '')::text AS author_name,
       (u.disabled_at IS NOT NULL)::boolean AS author_disabled
FROM comments c
LEFT JOIN users u ON u.id = c.author_id
WHERE c.id = $1;

-- name: LockComment :one
-- Votes, edits and deletes of one comment serialise on its row.
SELECT * FROM comments WHERE id = $1 FOR NO KEY UPDATE;

-- name: UpdateCommentBody :one
UPDATE comments SET body = sqlc.arg(body), updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id) AND deleted_at IS NULL
RETURNING *;

-- name: CommentHasReplies :one
SELECT EXISTS (SELECT 1 FROM comments WHERE parent_id = $1)::boolean;

-- name: SoftDeleteComment :exec
-- A comment with replies stays as a placeholder so the thread reads on.
UPDATE comments SET body = '', deleted_at = sqlc.arg(now) WHERE id = sqlc.arg(id);

-- name: HardDeleteComment :exec
DELETE FROM comments WHERE id = $1;

-- name: ListTopComments :many
SELECT sqlc.embed(c), coalesce(u.username, '')::text AS author_name,
       (u.disabled_at IS NOT NULL)::boolean AS author_disabled, coalesce(v.value, 0)::smallint AS my_vote
FROM comments c
LEFT JOIN users u ON u.id = c.author_id
LEFT JOIN comment_votes v ON v.comment_id = c.id AND v.user_id = sqlc.arg(viewer_id)::bigint
WHERE c.paste_id = sqlc.arg(paste_id) AND c.parent_id IS NULL
  AND (c.created_at, c.id) > (sqlc.arg(after_created_at)::timestamptz, sqlc.arg(after_id)::bigint)
ORDER BY c.created_at, c.id
LIMIT sqlc.arg(max_rows);

-- name: ListTopCommentsNewest :many
SELECT sqlc.embed(c), coalesce(u.username, '')::text AS author_name,
       (u.disabled_at IS NOT NULL)::boolean AS author_disabled, coalesce(v.value, 0)::smallint AS my_vote
FROM comments c
LEFT JOIN users u ON u.id = c.author_id
LEFT JOIN comment_votes v ON v.comment_id = c.id AND v.user_id = sqlc.arg(viewer_id)::bigint
WHERE c.paste_id = sqlc.arg(paste_id) AND c.parent_id IS NULL
  AND (c.created_at, c.id) < (sqlc.arg(before_created_at)::timestamptz, sqlc.arg(before_id)::bigint)
ORDER BY c.created_at DESC, c.id DESC
LIMIT sqlc.arg(max_rows);

-- name: ListReplySkeleton :many
-- The shape of a page of threads, without bodies: enough to put the
-- replies in reading order and pick the ones a page shows.
SELECT c.id, c.parent_id, c.root_id
FROM comments c
WHERE c.root_id = ANY(sqlc.arg(root_ids)::bigint[])
ORDER BY c.created_at, c.id;

-- name: CommentsByIDs :many
SELECT sqlc.embed(c), coalesce(u.username, '')::text AS author_name,
       (u.disabled_at IS NOT NULL)::boolean AS author_disabled, coalesce(v.value, 0)::smallint AS my_vote
FROM comments c
LEFT JOIN users u ON u.id = c.author_id
LEFT JOIN comment_votes v ON v.comment_id = c.id AND v.user_id = sqlc.arg(viewer_id)::bigint
WHERE c.id = ANY(sqlc.arg(ids)::bigint[]);

-- name: CountComments :one
SELECT count(*) FROM comments WHERE paste_id = $1 AND deleted_at IS NULL;

-- Votes ----------------------------------------------------------------------

-- name: LockPaste :one
-- Votes and stars on one paste serialise on its row, which their counter
-- update locks anyway; FOR NO KEY UPDATE does not block foreign-key checks.
SELECT id FROM pastes WHERE id = $1 FOR NO KEY UPDATE;

-- name: PasteVoteValue :one
SELECT value FROM paste_votes WHERE paste_id = $1 AND user_id = $2;

-- name: UpsertPasteVote :exec
INSERT INTO paste_votes (paste_id, user_id, value, created_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT (paste_id, user_id) DO UPDATE SET value = EXCLUDED.value, created_at = EXCLUDED.created_at;

-- name: DeletePasteVote :exec
DELETE FROM paste_votes WHERE paste_id = $1 AND user_id = $2;

-- name: AddPasteVotes :one
UPDATE pastes SET likes = likes + sqlc.arg(likes)::bigint, dislikes = dislikes + sqlc.arg(dislikes)::bigint
WHERE id = sqlc.arg(id)
RETURNING likes, dislikes;

-- name: PasteVoteCounts :one
SELECT likes, dislikes FROM pastes WHERE id = $1;

-- name: CommentVoteValue :one
SELECT value FROM comment_votes WHERE comment_id = $1 AND user_id = $2;

-- name: UpsertCommentVote :exec
INSERT INTO comment_votes (comment_id, user_id, value, created_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT (comment_id, user_id) DO UPDATE SET value = EXCLUDED.value, created_at = EXCLUDED.created_at;

-- name: DeleteCommentVote :exec
DELETE FROM comment_votes WHERE comment_id = $1 AND user_id = $2;

-- name: AddCommentVotes :one
UPDATE comments SET likes = likes + sqlc.arg(likes)::bigint, dislikes = dislikes + sqlc.arg(dislikes)::bigint
WHERE id = sqlc.arg(id)
RETURNING likes, dislikes;

-- Stars ----------------------------------------------------------------------

-- name: InsertStar :execrows
-- starred_id keeps the ID the paste had when starred: it does not follow a
-- new ID (ListStars).
INSERT INTO stars (user_id, paste_id, created_at, starred_id) VALUES ($1, $2, $3, $2)
ON CONFLICT (user_id, paste_id) DO NOTHING;

-- name: DeleteStar :execrows
DELETE FROM stars WHERE user_id = $1 AND paste_id = $2;

-- name: AddPasteStars :one
UPDATE pastes SET stars = stars + sqlc.arg(delta)::bigint WHERE id = sqlc.arg(id)
RETURNING stars;

-- name: PasteStars :one
SELECT stars FROM pastes WHERE id = $1;

-- name: IsStarred :one
SELECT EXISTS (SELECT 1 FROM stars WHERE user_id = $1 AND paste_id = $2)::boolean;

-- name: ListStars :many
-- A starred paste its owner made private, or that expired, drops out; so
-- does one that stopped being public under a new ID the starrer never had
-- (a public paste made unlisted). Its owner always sees it.
SELECT sqlc.embed(p), coalesce(u.username, '')::text AS owner_name, s.created_at AS starred_at
FROM stars s
JOIN pastes p ON p.id = s.paste_id
LEFT JOIN users u ON u.id = p.owner_id
WHERE s.user_id = sqlc.arg(user_id)
  AND paste_live(p.expires_at, u.disabled_at, sqlc.arg(now)::timestamptz)
  AND (publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, u.disabled_at, sqlc.arg(now)::timestamptz)
       OR (p.visibility = 'unlisted' AND p.id = s.starred_id AND NOT p.burn_after_reading)
       OR p.owner_id = s.user_id)
  AND (s.created_at, s.paste_id) < (sqlc.arg(before_created_at)::timestamptz, sqlc.arg(before_id)::text)
ORDER BY s.created_at DESC, s.paste_id DESC
LIMIT sqlc.arg(max_rows);

-- name: UserStarStats :one
-- received: stars on the user's publicly readable pastes (the owner is the
-- user, whose disabled account shows no profile: NULL for its disabled_at).
SELECT
    (SELECT coalesce(sum(p.stars), 0) FROM pastes p
     WHERE p.owner_id = sqlc.arg(user_id)::bigint
       AND publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, NULL, sqlc.arg(now)::timestamptz))::bigint AS received,
    (SELECT count(*) FROM stars s WHERE s.user_id = sqlc.arg(user_id)::bigint)::bigint AS given;

-- Views ----------------------------------------------------------------------

-- name: RecordViews :exec
-- One statement per batch: rows already counted in their window are
-- skipped, and each paste's counter moves once by the number of new ones.
WITH batch AS (
    -- Set-returning functions in one select list advance together.
    SELECT unnest(sqlc.arg(paste_ids)::text[]) AS paste_id,
           unnest(sqlc.arg(visitor_hashes)::bytea[]) AS visitor_hash,
           unnest(sqlc.arg(window_starts)::timestamptz[]) AS window_start
), fresh AS (
    INSERT INTO paste_views (paste_id, visitor_hash, window_start)
    SELECT paste_id, visitor_hash, window_start FROM batch
    ON CONFLICT DO NOTHING
    RETURNING paste_id
)
UPDATE pastes p SET views = p.views + c.n
FROM (SELECT f.paste_id, count(*) AS n FROM fresh f GROUP BY f.paste_id) c
WHERE p.id = c.paste_id;

-- name: PruneViews :execrows
DELETE FROM paste_views WHERE window_start < sqlc.arg(before)::timestamptz;

-- Popular ----------------------------------------------------------------------

-- name: LockPopular :exec
-- One rebuild at a time across replicas; readers are not blocked.
SELECT pg_advisory_xact_lock(4707001);

-- name: ClearPopular :exec
DELETE FROM popular_pastes;

-- name: FillPopular :execrows
-- The score is documented on store.Community.RefreshPopular.
INSERT INTO popular_pastes (rank, paste_id, score, refreshed_at)
SELECT row_number() OVER (ORDER BY s.score DESC, s.id DESC)::integer, s.id, s.score, sqlc.arg(now)::timestamptz
FROM (
    SELECT p.id,
        (p.likes - p.dislikes + 2 * p.stars + coalesce(c.n, 0) + ln(1 + p.views::double precision))
        / power(greatest(extract(epoch FROM (sqlc.arg(now)::timestamptz - p.created_at)) / 3600.0, 0)::double precision + 2, 1.5)
        AS score
    FROM pastes p
    LEFT JOIN (
        SELECT cm.paste_id, count(*) AS n FROM comments cm WHERE cm.deleted_at IS NULL GROUP BY cm.paste_id
    ) c ON c.paste_id = p.id
    LEFT JOIN users u ON u.id = p.owner_id
    WHERE publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, u.disabled_at, sqlc.arg(now)::timestamptz)
      AND (p.likes - p.dislikes + 2 * p.stars + coalesce(c.n, 0) + ln(1 + p.views::double precision)) > 0
    ORDER BY score DESC, p.id DESC
    LIMIT sqlc.arg(max_rows)
) s;

-- name: ListPopularPastes :many
-- Read-time filter: the cache may be up to a minute old, visibility and
-- expiry never are.
SELECT sqlc.embed(p), coalesce(u.username, '')::text AS owner_name, pp.rank
FROM popular_pastes pp
JOIN pastes p ON p.id = pp.paste_id
LEFT JOIN users u ON u.id = p.owner_id
WHERE pp.rank > sqlc.arg(after_rank)::integer
  AND publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, u.disabled_at, sqlc.arg(now)::timestamptz)
ORDER BY pp.rank
LIMIT sqlc.arg(max_rows);
