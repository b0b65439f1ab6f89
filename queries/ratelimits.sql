-- name: SpendRateLimit :one
-- One atomic statement per request: roll the row's window forward to
-- @window_start when it is older (the current window's hits become the
-- previous window's when they are adjacent, else both start from zero),
-- estimate the hits of the last full window as prev_hits weighted by
-- @prev_weight (the part of the previous window still inside it) plus hits,
-- and add @cost when that estimate plus @need stays within @max_hits.
-- A window_start later than ours (another replica's clock runs ahead) counts
-- as the current window, so a clock behind never resets a count.
INSERT INTO rate_limits AS r (key_hash, window_start, hits, prev_hits, allowed, expires_at)
VALUES (
    sqlc.arg(key_hash), sqlc.arg(window_start),
    CASE WHEN sqlc.arg(need)::integer <= sqlc.arg(max_hits)::integer THEN sqlc.arg(cost)::integer ELSE 0 END,
    0, sqlc.arg(need)::integer <= sqlc.arg(max_hits)::integer, sqlc.arg(expires_at)
)
ON CONFLICT (key_hash) DO UPDATE SET
    window_start = greatest(r.window_start, excluded.window_start),
    prev_hits = CASE
        WHEN r.window_start >= excluded.window_start THEN r.prev_hits
        WHEN r.window_start = sqlc.arg(prev_window_start)::timestamptz THEN r.hits
        ELSE 0 END,
    hits = CASE WHEN r.window_start >= excluded.window_start THEN r.hits ELSE 0 END
        + CASE WHEN (CASE
                WHEN r.window_start >= excluded.window_start THEN r.prev_hits
                WHEN r.window_start = sqlc.arg(prev_window_start)::timestamptz THEN r.hits
                ELSE 0 END) * sqlc.arg(prev_weight)::float8
            + CASE WHEN r.window_start >= excluded.window_start THEN r.hits ELSE 0 END
            + sqlc.arg(need)::integer <= sqlc.arg(max_hits)::integer
          THEN sqlc.arg(cost)::integer ELSE 0 END,
    allowed = (CASE
            WHEN r.window_start >= excluded.window_start THEN r.prev_hits
            WHEN r.window_start = sqlc.arg(prev_window_start)::timestamptz THEN r.hits
            ELSE 0 END) * sqlc.arg(prev_weight)::float8
        + CASE WHEN r.window_start >= excluded.window_start THEN r.hits ELSE 0 END
        + sqlc.arg(need)::integer <= sqlc.arg(max_hits)::integer,
    expires_at = greatest(r.expires_at, excluded.expires_at)
RETURNING window_start, hits, prev_hits, allowed;

-- name: DeleteStaleRateLimits :execrows
DELETE FROM rate_limits WHERE expires_at <= sqlc.arg(now)::timestamptz;
