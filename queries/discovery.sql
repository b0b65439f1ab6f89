-- Discovery: explore by language, trending, a user's languages --------------------

-- name: ListPublicPastesBySyntax :many
SELECT sqlc.embed(p), coalesce(u.username, '')::text AS owner_name
FROM pastes p
LEFT JOIN users u ON u.id = p.owner_id
WHERE publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, u.disabled_at, sqlc.arg(now)::timestamptz)
  AND p.syntax = sqlc.arg(syntax)::text
  AND (p.created_at, p.id) < (sqlc.arg(before_created_at)::timestamptz, sqlc.arg(before_id)::text)
ORDER BY p.created_at DESC, p.id DESC
LIMIT sqlc.arg(max_rows);

-- name: RecentLanguages :many
-- The languages of the latest public pastes (a bounded sample, so the
-- explore page costs the same at any size), most used first.
SELECT r.syntax, count(*)::bigint AS pastes
FROM (
    SELECT p.syntax
    FROM pastes p
    LEFT JOIN users u ON u.id = p.owner_id
    WHERE publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, u.disabled_at, sqlc.arg(now)::timestamptz)
    ORDER BY p.created_at DESC, p.id DESC
    LIMIT sqlc.arg(sample)::int
) r
GROUP BY r.syntax
ORDER BY count(*) DESC, r.syntax
LIMIT sqlc.arg(max_rows)::int;

-- name: UserLanguages :many
-- The languages of a user's publicly readable pastes, most used first
-- (the owner is the user, whose disabled account shows no profile: NULL
-- for its disabled_at).
SELECT p.syntax, count(*)::bigint AS pastes
FROM pastes p
WHERE p.owner_id = sqlc.arg(owner_id)::bigint
  AND publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, NULL, sqlc.arg(now)::timestamptz)
GROUP BY p.syntax
ORDER BY count(*) DESC, p.syntax
LIMIT sqlc.arg(max_rows)::int;

-- Trending this week: what people did with a paste in the last seven
-- days, score = views + 3 × stars + 2 × (likes − dislikes), counting
-- distinct viewers per day (paste_views), stars given and votes cast
-- since sqlc.arg(since). Built by a scheduled task (store.Community.
-- RefreshTrending) into trending_pastes; the page reads that.

-- name: LockTrending :exec
-- One rebuild at a time across replicas; readers are not blocked.
SELECT pg_advisory_xact_lock(4707002);

-- name: ClearTrending :exec
DELETE FROM trending_pastes;

-- name: FillTrending :execrows
-- Ties: the newer paste first.
WITH activity AS (
    SELECT v.paste_id, count(*)::double precision AS views, 0::double precision AS stars, 0::double precision AS votes
    FROM paste_views v WHERE v.window_start >= sqlc.arg(since)::timestamptz GROUP BY v.paste_id
    UNION ALL
    SELECT s.paste_id, 0, count(*), 0
    FROM stars s WHERE s.created_at >= sqlc.arg(since)::timestamptz GROUP BY s.paste_id
    UNION ALL
    SELECT pv.paste_id, 0, 0, sum(pv.value)
    FROM paste_votes pv WHERE pv.created_at >= sqlc.arg(since)::timestamptz GROUP BY pv.paste_id
), scored AS (
    -- The best candidates only, before any paste row is read: a busy
    -- week has hundreds of thousands of active pastes.
    SELECT a.paste_id, (sum(a.views) + 3 * sum(a.stars) + 2 * sum(a.votes))::double precision AS score
    FROM activity a GROUP BY a.paste_id
    HAVING sum(a.views) + 3 * sum(a.stars) + 2 * sum(a.votes) > 0
    ORDER BY 2 DESC
    LIMIT sqlc.arg(candidates)::int
)
INSERT INTO trending_pastes (rank, paste_id, score, refreshed_at)
SELECT row_number() OVER (ORDER BY t.score DESC, t.created_at DESC, t.id DESC)::integer, t.id, t.score, sqlc.arg(now)::timestamptz
FROM (
    SELECT p.id, p.created_at, sc.score
    FROM scored sc
    JOIN pastes p ON p.id = sc.paste_id
    LEFT JOIN users u ON u.id = p.owner_id
    WHERE publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, u.disabled_at, sqlc.arg(now)::timestamptz)
    ORDER BY sc.score DESC, p.created_at DESC, p.id DESC
    LIMIT sqlc.arg(max_rows)
) t;

-- name: ListTrendingPastes :many
-- Read-time filter: the list may be up to a minute old, visibility and
-- expiry never are.
SELECT sqlc.embed(p), coalesce(u.username, '')::text AS owner_name, tp.score
FROM trending_pastes tp
JOIN pastes p ON p.id = tp.paste_id
LEFT JOIN users u ON u.id = p.owner_id
WHERE publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, u.disabled_at, sqlc.arg(now)::timestamptz)
ORDER BY tp.rank
LIMIT sqlc.arg(max_rows);
