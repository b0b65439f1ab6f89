package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"pastel/internal/auth"
	"pastel/internal/paste"
)

// Registration says who may create an account (REGISTRATION).
type Registration string

// The registration policies.
const (
	// RegistrationOpen: anyone may sign up.
	RegistrationOpen Registration = "open"
	// RegistrationInvite: sign-up needs an admin's invite link.
	RegistrationInvite Registration = "invite"
	// RegistrationClosed: nobody may sign up; admins still make invites
	// for when the policy changes, but they are not taken.
	RegistrationClosed Registration = "closed"
)

// ParseRegistration reads a REGISTRATION value.
func ParseRegistration(s string) (Registration, bool) {
	switch r := Registration(s); r {
	case RegistrationOpen, RegistrationInvite, RegistrationClosed:
		return r, true
	}
	return "", false
}

// RefusedError is a sign-up the site's policy refuses (403), with a code
// scripts can tell apart.
type RefusedError struct {
	Code    string
	Message string
}

// Error implements error.
func (e *RefusedError) Error() string { return e.Message }

// The refusals of the registration policy.
var (
	ErrRegistrationClosed = &RefusedError{Code: "registration_closed", Message: "this site does not take new accounts"}
	ErrInviteRequired     = &RefusedError{Code: "invite_required", Message: "new accounts need an invite link from an admin"}
)

// ErrInviteUnusable is what a repository returns when the invite presented
// is unknown, used, revoked or expired; the service turns it into a field
// error.
var ErrInviteUnusable = errors.New("invite not usable")

// inviteField is the message for an invite that cannot be used.
const inviteField = "is not valid: it may have been used, revoked or have expired"

// DefaultInviteTTL is how long an invite lasts unless its maker says.
const DefaultInviteTTL = 7 * 24 * time.Hour

// MaxInviteTTL bounds an invite's life.
const MaxInviteTTL = 90 * 24 * time.Hour

// Invite is an admin's one-use registration link; only its hash is kept.
type Invite struct {
	ID            int64
	Note          string
	CreatedByName string // "" when made on the command line or the maker is gone
	CreatedAt     time.Time
	ExpiresAt     time.Time
	UsedAt        *time.Time
	UsedByName    string
	RevokedAt     *time.Time
}

// State is "used", "revoked", "expired" or "open" at now.
func (i Invite) State(now time.Time) string {
	switch {
	case i.UsedAt != nil:
		return "used"
	case i.RevokedAt != nil:
		return "revoked"
	case !now.Before(i.ExpiresAt):
		return "expired"
	}
	return "open"
}

// InviteRecord is a new invite as stored.
type InviteRecord struct {
	Hash      []byte
	CreatedBy int64 // 0: the command line
	Note      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SignUp is what a new account is made from.
type SignUp struct {
	Username string
	Email    string
	Password string
	Invite   string // the invite link's token, under REGISTRATION=invite
}

// Registration returns the site's registration policy.
func (s *Service) Registration() Registration { return s.opts.Registration }

// admits checks the registration policy for a new account and returns the
// hash of the invite to consume with it (nil when none is needed).
func (s *Service) admits(invite string) ([]byte, error) {
	switch s.opts.Registration {
	case RegistrationClosed:
		return nil, ErrRegistrationClosed
	case RegistrationInvite:
		if invite == "" {
			return nil, ErrInviteRequired
		}
		if !validInviteToken(invite) {
			return nil, paste.FieldError("invite", inviteField)
		}
		return paste.HashSecret(invite), nil
	}
	return nil, nil
}

// validInviteToken rejects what paste.NewSecret could not have made
// without a query.
func validInviteToken(t string) bool {
	if len(t) < 16 || len(t) > 64 {
		return false
	}
	for _, r := range t {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// SignUp creates an account when the registration policy allows it. Under
// REGISTRATION=invite the invite is consumed in the transaction that
// inserts the account: a refused account leaves it unused, and two
// sign-ups with one invite make one account.
func (s *Service) SignUp(ctx context.Context, in SignUp) (User, error) {
	inviteHash, err := s.admits(in.Invite)
	if err != nil {
		return User{}, err
	}
	var verr paste.ValidationError
	if msg := CheckUsername(in.Username); msg != "" {
		verr.Add("username", msg)
	}
	if msg := CheckEmail(in.Email); msg != "" {
		verr.Add("email", msg)
	}
	if msg := auth.CheckPassword(in.Password); msg != "" {
		verr.Add("password", msg)
	}
	if err := verr.Err(); err != nil {
		return User{}, err
	}
	hash, err := auth.HashPassword(in.Password, s.opts.PasswordParams)
	if err != nil {
		return User{}, err
	}
	return s.insertUser(ctx, User{Username: in.Username, Email: in.Email, PasswordHash: hash}, inviteHash)
}

// insertUser stores a new account, consuming the invite whose hash is
// given (none when nil).
func (s *Service) insertUser(ctx context.Context, u User, inviteHash []byte) (User, error) {
	now := s.opts.Now().UTC().Truncate(time.Microsecond)
	u.CreatedAt = now
	var err error
	if inviteHash != nil {
		u, err = s.repo.InsertUserWithInvite(ctx, u, inviteHash, now)
	} else {
		u, err = s.repo.InsertUser(ctx, u)
	}
	switch {
	case errors.Is(err, ErrInviteUnusable):
		return User{}, paste.FieldError("invite", inviteField)
	case errors.Is(err, paste.ErrConflict):
		return User{}, paste.FieldError("username", "is taken")
	}
	return u, err
}

// InviteUsable reports whether an invite token may still make an account.
func (s *Service) InviteUsable(ctx context.Context, token string) (bool, error) {
	if !validInviteToken(token) {
		return false, nil
	}
	return s.repo.InviteUsable(ctx, paste.HashSecret(token), s.opts.Now())
}

// CreateInvite makes a one-use invite lasting ttl (0: DefaultInviteTTL)
// and returns its token, the only time it exists outside the link.
// createdBy is the admin making it; 0 for the command line.
func (s *Service) CreateInvite(ctx context.Context, createdBy int64, ttl time.Duration, note string) (string, Invite, error) {
	if ttl == 0 {
		ttl = DefaultInviteTTL
	}
	if ttl < time.Minute || ttl > MaxInviteTTL {
		return "", Invite{}, paste.FieldError("expires_in", fmt.Sprintf("must be between a minute and %d days", int(MaxInviteTTL/(24*time.Hour))))
	}
	note = strings.TrimSpace(note)
	if msg := paste.CheckText(note, 200); msg != "" {
		return "", Invite{}, paste.FieldError("note", msg)
	}
	token, hash := paste.NewSecret()
	now := s.opts.Now().UTC().Truncate(time.Microsecond)
	rec := InviteRecord{Hash: hash, CreatedBy: createdBy, Note: note, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	id, err := s.repo.InsertInvite(ctx, rec)
	if err != nil {
		return "", Invite{}, err
	}
	return token, Invite{ID: id, Note: note, CreatedAt: now, ExpiresAt: rec.ExpiresAt}, nil
}

// Invites lists the newest invites, used and revoked ones included.
func (s *Service) Invites(ctx context.Context, limit int) ([]Invite, error) {
	return s.repo.ListInvites(ctx, limit)
}

// RevokeInvite ends an invite that was not used yet.
func (s *Service) RevokeInvite(ctx context.Context, id int64) error {
	found, err := s.repo.RevokeInvite(ctx, id, s.opts.Now())
	if err == nil && !found {
		return paste.ErrNotFound
	}
	return err
}
