-- Sign-in failures are counted in rate_limits with the write budgets (the
-- same sliding window, keyed by a SHA-256 of the budget name and the key);
-- only forgetting a key's failures after a good sign-in is particular.

-- name: DeleteRateLimit :exec
DELETE FROM rate_limits WHERE key_hash = sqlc.arg(key_hash);
