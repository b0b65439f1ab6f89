package account

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"pastel/internal/paste"
)

// Identity is an account's link to an OpenID Connect provider: the
// provider's issuer and the subject it names. Accounts are found by it,
// never by e-mail.
type Identity struct {
	Issuer  string
	Subject string
}

// ExternalProfile is what a provider says about who signed in.
type ExternalProfile struct {
	PreferredUsername string
	Name              string
	Email             string // kept only when the provider says it is verified
}

// ErrExternalDisabled is a provider sign-in to an account an admin
// disabled.
var ErrExternalDisabled = &RefusedError{Code: "account_disabled", Message: "this account is disabled"}

// ExternalRepository keeps provider identities; Repository includes it.
type ExternalRepository interface {
	// UserByIdentity returns the account linked to id, paste.ErrNotFound
	// when none is, and marks the link used at now.
	UserByIdentity(ctx context.Context, id Identity, now time.Time) (User, error)
	// InsertUserWithIdentity inserts u linked to id, consuming the invite
	// with hash inviteHash when it is not nil, in one transaction;
	// paste.ErrConflict when the username or the identity is taken.
	InsertUserWithIdentity(ctx context.Context, u User, id Identity, inviteHash []byte, now time.Time) (User, error)
}

// SignInExternal returns the account linked to id, creating one on the
// first sign-in when the registration policy allows it (open, or invite
// with a usable invite). The new account's username comes from the
// provider's preferred_username (or name, or e-mail's local part), made
// valid and free; it has no password until its owner sets one.
func (s *Service) SignInExternal(ctx context.Context, id Identity, p ExternalProfile, invite string) (User, bool, error) {
	if id.Issuer == "" || id.Subject == "" {
		return User{}, false, errors.New("external identity without issuer or subject")
	}
	now := s.opts.Now().UTC().Truncate(time.Microsecond)
	u, err := s.repo.UserByIdentity(ctx, id, now)
	if err == nil {
		if u.Disabled {
			return User{}, false, ErrExternalDisabled
		}
		return u, false, nil
	}
	if !errors.Is(err, paste.ErrNotFound) {
		return User{}, false, err
	}
	inviteHash, err := s.admits(invite)
	if err != nil {
		return User{}, false, err
	}
	email := p.Email
	if CheckEmail(email) != "" {
		email = ""
	}
	for _, name := range usernameCandidates(p) {
		if CheckUsername(name) != "" {
			continue
		}
		u, err := s.repo.InsertUserWithIdentity(ctx, User{Username: name, Email: email, CreatedAt: now}, id, inviteHash, now)
		switch {
		case err == nil:
			return u, true, nil
		case errors.Is(err, ErrInviteUnusable):
			return User{}, false, paste.FieldError("invite", inviteField)
		case errors.Is(err, paste.ErrConflict):
			// The name is taken, or a second sign-in of the same person
			// linked the identity first: then that account is theirs.
			if u, err := s.repo.UserByIdentity(ctx, id, now); err == nil {
				return u, false, nil
			}
			continue
		default:
			return User{}, false, err
		}
	}
	return User{}, false, errors.New("no free username for a new external account")
}

// usernameCandidates proposes usernames for a new account: the provider's
// preferred name made valid, then with -2 … -20, then user-N names.
func usernameCandidates(p ExternalProfile) []string {
	base := ""
	for _, src := range []string{p.PreferredUsername, p.Name, localPart(p.Email)} {
		if b := cleanUsername(src); len(b) >= 3 {
			base = b
			break
		}
	}
	var out []string
	if base != "" {
		out = append(out, base)
		for i := 2; i <= 20; i++ {
			suffix := "-" + strconv.Itoa(i)
			out = append(out, trimTo(base, 32-len(suffix))+suffix)
		}
	}
	for range 10 {
		secret, _ := paste.NewSecret()
		out = append(out, "user-"+strings.ToLower(secret[:8]))
	}
	return out
}

func localPart(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return ""
	}
	return email[:at]
}

// cleanUsername keeps the letters, digits, _ and - of s (spaces and dots
// become -), starting with a letter or digit, at most 32 characters.
func cleanUsername(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '_' || r == '-':
			if b.Len() > 0 {
				b.WriteRune(r)
			}
		case r == ' ' || r == '.':
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteRune('-')
			}
		}
	}
	return trimTo(b.String(), 32)
}

func trimTo(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.TrimRight(s, "-_")
}
