-- name: UserTOTP :one
SELECT * FROM user_totp WHERE user_id = $1;

-- name: SetPendingTOTP :exec
-- A new secret to confirm; an enabled one is not replaced.
INSERT INTO user_totp (user_id, secret, created_at) VALUES ($1, $2, $3)
ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = EXCLUDED.created_at, last_step = 0
WHERE user_totp.enabled_at IS NULL;

-- name: EnableTOTP :execrows
UPDATE user_totp SET enabled_at = sqlc.arg(now)::timestamptz, last_step = sqlc.arg(step)
WHERE user_id = sqlc.arg(user_id) AND enabled_at IS NULL;

-- name: UseTOTPStep :execrows
-- A code's step is accepted once, and only after the last one accepted.
UPDATE user_totp SET last_step = sqlc.arg(step)
WHERE user_id = sqlc.arg(user_id) AND enabled_at IS NOT NULL AND last_step < sqlc.arg(step);

-- name: DeleteTOTP :exec
DELETE FROM user_totp WHERE user_id = $1;

-- name: DeleteRecoveryCodes :exec
DELETE FROM recovery_codes WHERE user_id = $1;

-- name: InsertRecoveryCode :exec
INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2);

-- name: UseRecoveryCode :execrows
UPDATE recovery_codes SET used_at = sqlc.arg(now)::timestamptz
WHERE user_id = sqlc.arg(user_id) AND code_hash = sqlc.arg(code_hash) AND used_at IS NULL;

-- name: CountRecoveryCodes :one
SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL;

-- name: InsertPasswordReset :one
INSERT INTO password_resets (user_id, token_hash, created_by, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5)
RETURNING id;

-- name: PasswordResetUser :one
SELECT r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id
WHERE r.token_hash = sqlc.arg(token_hash) AND r.used_at IS NULL AND r.expires_at > sqlc.arg(now)
  AND u.disabled_at IS NULL;

-- name: UsePasswordReset :one
UPDATE password_resets SET used_at = sqlc.arg(now)::timestamptz
WHERE token_hash = sqlc.arg(token_hash) AND used_at IS NULL AND expires_at > sqlc.arg(now)
RETURNING user_id;

-- name: UsersByEmail :many
SELECT * FROM users
WHERE lower(email) = lower(sqlc.arg(email)) AND disabled_at IS NULL AND deleted_at IS NULL
ORDER BY id
LIMIT 5;
