package account

import (
	"context"

	"pastel/internal/auth"
	"pastel/internal/paste"
)

// CheckPassword confirms an active account's password before a grave step
// (deleting the account): a wrong password is a validation error on the
// "password" field.
func (s *Service) CheckPassword(ctx context.Context, userID int64, password string) error {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if u.PasswordHash == "" {
		// Made through OpenID Connect, no password set yet.
		return paste.FieldError("password", "This account has no password yet: set one in Settings first.")
	}
	ok, _, err := auth.VerifyPassword(password, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return paste.FieldError("password", "That is not your password.")
	}
	return nil
}
