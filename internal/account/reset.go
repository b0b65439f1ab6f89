package account

import (
	"context"
	"errors"
	"time"

	"pastel/internal/auth"
	"pastel/internal/paste"
)

// ResetRepository keeps password reset links; Repository includes it.
type ResetRepository interface {
	InsertPasswordReset(ctx context.Context, userID int64, hash []byte, createdBy int64, now, expires time.Time) error
	// PasswordResetUser is the account a live link resets,
	// paste.ErrNotFound when the link is unknown, used or expired.
	PasswordResetUser(ctx context.Context, hash []byte, now time.Time) (int64, error)
	// ResetPassword uses the link and sets the new hash in one
	// transaction, ending every session, refresh token, personal API
	// token and access token issued before now; paste.ErrNotFound when the
	// link is not live.
	ResetPassword(ctx context.Context, hash []byte, newHash string, now time.Time) (int64, error)
	UsersByEmail(ctx context.Context, email string) ([]User, error)
}

// DefaultResetTTL is how long a reset link works.
const DefaultResetTTL = 24 * time.Hour

// ResetEmailTTL is how long a link sent by e-mail works.
const ResetEmailTTL = time.Hour

// CreateResetLink makes a one-use password reset link for the named
// account and returns its token (stored only as SHA-256). createdBy is
// the admin asking, 0 for the command line or an e-mail request.
func (s *Service) CreateResetLink(ctx context.Context, username string, createdBy int64, ttl time.Duration) (string, User, error) {
	u, err := s.UserByUsername(ctx, username)
	if err != nil {
		return "", User{}, err
	}
	token, err := s.resetLinkFor(ctx, u.ID, createdBy, ttl)
	return token, u, err
}

func (s *Service) resetLinkFor(ctx context.Context, userID, createdBy int64, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		ttl = DefaultResetTTL
	}
	token, hash := paste.NewSecret()
	now := s.opts.Now().UTC()
	return token, s.repo.InsertPasswordReset(ctx, userID, hash, createdBy, now, now.Add(ttl))
}

// ResetLinkUser returns the account a reset link is for, paste.ErrNotFound
// when the link does not work (unknown, used, expired, account disabled).
func (s *Service) ResetLinkUser(ctx context.Context, token string) (User, error) {
	if !validInviteToken(token) {
		return User{}, paste.ErrNotFound
	}
	id, err := s.repo.PasswordResetUser(ctx, paste.HashSecret(token), s.opts.Now())
	if err != nil {
		return User{}, err
	}
	return s.UserByID(ctx, id)
}

// ResetPassword sets a new password through a reset link, once. Every
// session, refresh token, personal API token and earlier access token of
// the account stops working.
func (s *Service) ResetPassword(ctx context.Context, token, newPassword string) (User, error) {
	if !validInviteToken(token) {
		return User{}, paste.ErrNotFound
	}
	if msg := auth.CheckPassword(newPassword); msg != "" {
		return User{}, paste.FieldError("new_password", msg)
	}
	hash, err := auth.HashPassword(newPassword, s.opts.PasswordParams)
	if err != nil {
		return User{}, err
	}
	id, err := s.repo.ResetPassword(ctx, paste.HashSecret(token), hash, s.opts.Now().UTC())
	if err != nil {
		return User{}, err
	}
	return s.repo.UserByID(ctx, id)
}

// Mailer sends a message to one address.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// ResetLinkSender makes the link for a token (BASE_URL/reset/TOKEN).
type ResetLinkSender func(token string) string

// RequestResetByEmail mails a reset link (valid ResetEmailTTL) to every
// active account with that e-mail address. It answers the same whether
// or not one exists: the caller learns nothing.
func (s *Service) RequestResetByEmail(ctx context.Context, m Mailer, link ResetLinkSender, email string) error {
	if CheckEmail(email) != "" || email == "" {
		return nil
	}
	users, err := s.repo.UsersByEmail(ctx, email)
	if err != nil {
		return err
	}
	var errs []error
	for _, u := range users {
		token, err := s.resetLinkFor(ctx, u.ID, 0, ResetEmailTTL)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		body := "Someone (hopefully you) asked to reset the password of the Pastel account " + u.Username + ".\r\n\r\n" +
			"Open this link within an hour to choose a new one; it works once:\r\n\r\n" + link(token) + "\r\n\r\n" +
			"If you did not ask, ignore this message: your password stays as it is.\r\n"
		if err := m.Send(ctx, u.Email, "Reset your Pastel password", body); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
