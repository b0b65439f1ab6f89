-- name: InsertUser :one
INSERT INTO users (username, email, password_hash, created_at, tokens_valid_after)
VALUES ($1, $2, $3, $4, $4)
RETURNING *;

-- name: UserByID :one
SELECT * FROM users WHERE id = $1;

-- name: UserByUsername :one
SELECT * FROM users WHERE lower(username) = lower(sqlc.arg(username));

-- name: UpdatePassword :exec
UPDATE users SET password_hash = $2, tokens_valid_after = $3 WHERE id = $1;

-- name: UpdatePasswordHash :exec
-- A rehash on sign-in (new parameters); it does not end other sessions.
UPDATE users SET password_hash = $2 WHERE id = $1;

-- name: SetUserAdmin :execrows
UPDATE users SET is_admin = sqlc.arg(is_admin) WHERE lower(username) = lower(sqlc.arg(username));
