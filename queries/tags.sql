-- Tags and forks (issue 15) ------------------------------------------------

-- name: ListPublicPastesByTag :many
-- Newest first along paste_tags_tag_recent_idx; publicly_readable on the
-- paste row decides what shows, so a paste made private, burned, expired
-- or whose owner is disabled never lists.
SELECT sqlc.embed(p), coalesce(u.username, '')::text AS owner_name
FROM paste_tags t
JOIN pastes p ON p.id = t.paste_id
LEFT JOIN users u ON u.id = p.owner_id
WHERE t.tag = sqlc.arg(tag)::text
  AND publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, u.disabled_at, sqlc.arg(now)::timestamptz)
  AND (t.created_at, t.paste_id) < (sqlc.arg(before_created_at)::timestamptz, sqlc.arg(before_id)::text)
ORDER BY t.created_at DESC, t.paste_id DESC
LIMIT sqlc.arg(max_rows);

-- name: UserTags :many
-- The tags of a user's publicly readable pastes, most used first (a
-- disabled owner shows no profile: NULL for its disabled_at).
SELECT t.tag, count(*)::bigint AS pastes
FROM pastes p
JOIN paste_tags t ON t.paste_id = p.id
WHERE p.owner_id = sqlc.arg(owner_id)::bigint
  AND publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, NULL, sqlc.arg(now)::timestamptz)
GROUP BY t.tag
ORDER BY count(*) DESC, t.tag
LIMIT sqlc.arg(max_rows)::int;
