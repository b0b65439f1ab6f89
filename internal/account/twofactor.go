package account

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"pastel/internal/paste"
)

// TOTP is an account's authenticator-app secret: pending until a code
// confirms it, then enabled. LastStep is the 30-second step of the last
// code accepted: no code is accepted twice.
type TOTP struct {
	Secret   string
	Enabled  bool
	LastStep int64
}

// TwoFactorRepository keeps TOTP secrets and recovery codes; Repository
// includes it.
type TwoFactorRepository interface {
	// UserTOTP returns the account's secret, paste.ErrNotFound when none.
	UserTOTP(ctx context.Context, userID int64) (TOTP, error)
	// SetPendingTOTP stores a secret to confirm; an enabled one stays.
	SetPendingTOTP(ctx context.Context, userID int64, secret string, now time.Time) error
	// EnableTOTP enables the pending secret, recording step as used, and
	// replaces the account's recovery codes, in one transaction; false
	// when nothing was pending.
	EnableTOTP(ctx context.Context, userID, step int64, codeHashes [][]byte, now time.Time) (bool, error)
	// UseTOTPStep records step as used when it is after the last one.
	UseTOTPStep(ctx context.Context, userID, step int64) (bool, error)
	UseRecoveryCode(ctx context.Context, userID int64, hash []byte, now time.Time) (bool, error)
	RecoveryCodesLeft(ctx context.Context, userID int64) (int, error)
	// DisableTOTP deletes the secret and the recovery codes.
	DisableTOTP(ctx context.Context, userID int64) error
}

// RecoveryCodeCount is how many recovery codes enabling makes.
const RecoveryCodeCount = 10

// totpOpts are the authenticator apps' defaults: 6 digits, SHA-1, 30 s.
var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// SecondFactorError is a sign-in that needs, or got a wrong, second
// factor; the API answers 401 with its code.
type SecondFactorError struct {
	Code    string
	Message string
}

// Error implements error.
func (e *SecondFactorError) Error() string { return e.Message }

// The second-factor answers.
var (
	ErrOTPRequired = &SecondFactorError{Code: "otp_required", Message: "this account uses two-factor sign-in: send the code from the authenticator app (or a recovery code) as otp"}
	ErrOTPWrong    = &SecondFactorError{Code: "invalid_otp", Message: "that is not a current code or an unused recovery code"}
)

// TwoFactorEnabled reports whether the account asks for a code at sign-in.
func (s *Service) TwoFactorEnabled(ctx context.Context, userID int64) (bool, error) {
	t, err := s.repo.UserTOTP(ctx, userID)
	if errors.Is(err, paste.ErrNotFound) {
		return false, nil
	}
	return t.Enabled, err
}

// BeginTOTP makes a new pending secret for the account and returns it
// with its otpauth:// URL (for the QR code). An enabled secret is kept:
// disable first.
func (s *Service) BeginTOTP(ctx context.Context, userID int64, issuer string) (secret, url string, err error) {
	u, err := s.repo.UserByID(ctx, userID)
	if err != nil {
		return "", "", err
	}
	if on, err := s.TwoFactorEnabled(ctx, userID); err != nil || on {
		if err == nil {
			err = paste.FieldError("code", "two-factor sign-in is already on")
		}
		return "", "", err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: u.Username})
	if err != nil {
		return "", "", err
	}
	if err := s.repo.SetPendingTOTP(ctx, userID, key.Secret(), s.opts.Now().UTC()); err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// PendingTOTP returns the pending secret's otpauth:// URL, ErrNotFound
// when none is pending.
func (s *Service) PendingTOTP(ctx context.Context, userID int64, issuer string) (string, string, error) {
	t, err := s.repo.UserTOTP(ctx, userID)
	if err != nil {
		return "", "", err
	}
	if t.Enabled {
		return "", "", paste.ErrNotFound
	}
	u, err := s.repo.UserByID(ctx, userID)
	if err != nil {
		return "", "", err
	}
	return t.Secret, otpauthURL(issuer, u.Username, t.Secret), nil
}

// otpauthURL is the key URI authenticator apps read from a QR code.
func otpauthURL(issuer, account, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	v.Set("period", "30")
	return (&url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: v.Encode()}).String()
}

// EnableTOTP confirms the pending secret with a current code and turns
// two-factor sign-in on. It returns the recovery codes, the only time
// they are shown.
func (s *Service) EnableTOTP(ctx context.Context, userID int64, code string) ([]string, error) {
	t, err := s.repo.UserTOTP(ctx, userID)
	if errors.Is(err, paste.ErrNotFound) || (err == nil && t.Enabled) {
		return nil, paste.FieldError("code", "start the set-up again")
	}
	if err != nil {
		return nil, err
	}
	step, ok := matchTOTP(t.Secret, code, s.opts.Now(), 0)
	if !ok {
		return nil, paste.FieldError("code", "is not the code the app shows now")
	}
	codes := make([]string, RecoveryCodeCount)
	hashes := make([][]byte, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		hashes[i] = paste.HashSecret(normalizeRecovery(codes[i]))
	}
	done, err := s.repo.EnableTOTP(ctx, userID, step, hashes, s.opts.Now().UTC())
	if err != nil {
		return nil, err
	}
	if !done {
		return nil, paste.FieldError("code", "start the set-up again")
	}
	return codes, nil
}

// DisableTOTP turns two-factor sign-in off; it takes a current code or a
// recovery code, counted like a sign-in's.
func (s *Service) DisableTOTP(ctx context.Context, userID int64, code, clientAddr string) error {
	if err := s.CheckSecondFactor(ctx, userID, code, clientAddr); err != nil {
		if errors.Is(err, ErrOTPWrong) || errors.Is(err, ErrOTPRequired) {
			return paste.FieldError("code", "is not a current code or an unused recovery code")
		}
		return err
	}
	return s.repo.DisableTOTP(ctx, userID)
}

// RecoveryCodesLeft counts the account's unused recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	return s.repo.RecoveryCodesLeft(ctx, userID)
}

// CheckSecondFactor accepts a current TOTP code (once) or an unused
// recovery code (used up) for an account with two-factor sign-in on; an
// account without it needs none. Wrong codes count against the account
// and the client address like wrong passwords (5 and 20 in 15 minutes by
// default, across replicas with the shared limiters); past a limit a
// RateLimitError says when to retry.
func (s *Service) CheckSecondFactor(ctx context.Context, userID int64, code, clientAddr string) error {
	t, err := s.repo.UserTOTP(ctx, userID)
	if errors.Is(err, paste.ErrNotFound) || (err == nil && !t.Enabled) {
		return nil
	}
	if err != nil {
		return err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return ErrOTPRequired
	}
	now := s.opts.Now()
	key := "2fa:" + strconv.FormatInt(userID, 10)
	for _, check := range []struct {
		l   Limiter
		key string
	}{{s.byAddress, clientAddr}, {s.byAccount, key}} {
		blocked, wait, err := check.l.Blocked(ctx, check.key, now)
		if err != nil {
			return err
		}
		if blocked {
			return &RateLimitError{RetryAfter: wait}
		}
	}
	if step, ok := matchTOTP(t.Secret, code, now, t.LastStep); ok {
		if used, err := s.repo.UseTOTPStep(ctx, userID, step); err != nil || used {
			if err == nil {
				err = s.byAccount.Reset(ctx, key)
			}
			return err
		}
	} else if len(code) > 6 {
		used, err := s.repo.UseRecoveryCode(ctx, userID, paste.HashSecret(normalizeRecovery(code)), now.UTC())
		if err != nil {
			return err
		}
		if used {
			return s.byAccount.Reset(ctx, key)
		}
	}
	if err := s.byAddress.Fail(ctx, clientAddr, now); err != nil {
		return err
	}
	if err := s.byAccount.Fail(ctx, key, now); err != nil {
		return err
	}
	return ErrOTPWrong
}

// matchTOTP finds the step (one either side of now, for clock drift)
// whose code is code and which comes after lastStep.
func matchTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	cur := now.Unix() / 30
	for _, step := range []int64{cur - 1, cur, cur + 1} {
		if step <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*30, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// newRecoveryCode is 10 random base32 characters shown as xxxxx-xxxxx.
func newRecoveryCode() string {
	var b [7]byte
	rand.Read(b[:])
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))[:10]
	return s[:5] + "-" + s[5:]
}

// normalizeRecovery forgives case, spaces and dashes in a typed code.
func normalizeRecovery(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, code)
}
