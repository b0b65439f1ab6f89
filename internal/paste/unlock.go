package paste

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"
	"unicode/utf8"
)

// Password pastes and views caps (issue 16). A paste may carry a password
// (stored as an Argon2id hash): every read by anyone but its owner, on
// every surface, passes Get, which then needs the password sent with the
// request (WithPassword) or an unlock a browser session keeps
// (WithUnlocks, UnlockToken). Guesses are counted per paste and per
// client address in limiters shared by every replica. A password paste
// keeps no preview and no searchable body: lists and search show its
// title alone.

var (
	// ErrPasswordRequired means the paste needs its password and the
	// request brought none that opens it.
	ErrPasswordRequired = errors.New("password required")
	// ErrWrongPassword is ErrPasswordRequired for a password that did not
	// match.
	ErrWrongPassword = fmt.Errorf("wrong password: %w", ErrPasswordRequired)
)

// GuessLimitError means a paste's or a client address's password guesses
// are spent for now.
type GuessLimitError struct {
	RetryAfter time.Duration
}

// Error implements error.
func (e *GuessLimitError) Error() string { return "too many password guesses" }

// GuessLimiter is a budget of password guesses shared by every replica.
type GuessLimiter interface {
	// AllowGuess spends one guess of key and reports whether it was within
	// the budget and, when not, how long until one is. It fails (closed)
	// when the count cannot be kept.
	AllowGuess(ctx context.Context, key string) (ok bool, retryAfter time.Duration, err error)
}

// Passwords is what password pastes need: the hashing (internal/auth's
// Argon2id) and the guess budgets. Zero: password pastes are refused.
type Passwords struct {
	Hash       func(password string) (string, error)
	Verify     func(password, hash string) bool
	PerPaste   GuessLimiter
	PerAddress GuessLimiter
}

// MaxPasswordBytes bounds a paste password (Argon2 reads all of it).
const MaxPasswordBytes = 256

// MaxViewsCap is the largest views cap a paste may be given.
const MaxViewsCap = 1_000_000

type passwordKey struct{}

type unlocksKey struct{}

// passwordOffer is a request's password and the pastes it has opened in
// this request, so a request that reads a paste twice spends one guess.
type passwordOffer struct {
	password string
	mu       sync.Mutex
	opened   map[ID]string // paste → the hash the password matched
}

// WithPassword returns ctx carrying the paste password a request sent
// (the X-Paste-Password header, the password form).
func WithPassword(ctx context.Context, password string) context.Context {
	return context.WithValue(ctx, passwordKey{}, &passwordOffer{password: password})
}

// WithUnlocks returns ctx carrying the unlocks of the request's browser
// session: unlocked returns the token kept for a paste ("" when none).
// It is called only for password pastes.
func WithUnlocks(ctx context.Context, unlocked func(ID) string) context.Context {
	return context.WithValue(ctx, unlocksKey{}, unlocked)
}

// UnlockToken is what a browser session keeps once it has given p's
// password: scoped to p, never the password, and void once the password
// changes (it is derived from the stored hash, which only the server has).
func UnlockToken(p Paste) string {
	sum := sha256.Sum256([]byte("pastel-unlock\x00" + string(p.ID) + "\x00" + p.PasswordHash))
	return hex.EncodeToString(sum[:16])
}

// Locked reports whether v needs p's password to read it: p has one and v
// is neither its owner nor an admin (who moderate what is reported).
func (v Viewer) Locked(p Paste) bool {
	return p.PasswordHash != "" && !v.Owns(p) && !v.IsAdmin
}

// unlock lets v read p when p has no password, v owns it, the session
// unlocked it or the request brought its password; guesses spend the
// budgets first, right or wrong.
func (s *Service) unlock(ctx context.Context, v Viewer, p Paste) error {
	if !v.Locked(p) {
		return nil
	}
	if f, _ := ctx.Value(unlocksKey{}).(func(ID) string); f != nil {
		if tok := f(p.ID); tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(UnlockToken(p))) == 1 {
			return nil
		}
	}
	offer, _ := ctx.Value(passwordKey{}).(*passwordOffer)
	if offer == nil || offer.password == "" {
		return ErrPasswordRequired
	}
	offer.mu.Lock()
	defer offer.mu.Unlock()
	if offer.opened[p.ID] == p.PasswordHash {
		return nil // this request gave it already
	}
	pw := offer.password
	g := s.opts.Passwords
	for _, b := range []struct {
		l   GuessLimiter
		key string
	}{{g.PerPaste, string(p.ID)}, {g.PerAddress, ClientAddr(ctx)}} {
		if b.l == nil {
			continue
		}
		ok, wait, err := b.l.AllowGuess(ctx, b.key)
		if err != nil {
			return err
		}
		if !ok {
			return &GuessLimitError{RetryAfter: wait}
		}
	}
	if len(pw) > MaxPasswordBytes || g.Verify == nil || !g.Verify(pw, p.PasswordHash) {
		return ErrWrongPassword
	}
	if offer.opened == nil {
		offer.opened = map[ID]string{}
	}
	offer.opened[p.ID] = p.PasswordHash
	return nil
}

// Unlock checks password against paste id for the web's password form and
// returns the token the browser session keeps (UnlockToken); "" for a
// paste that needs none.
func (s *Service) Unlock(ctx context.Context, v Viewer, id ID, password string) (string, error) {
	p, err := s.Get(WithPassword(ctx, password), v, id)
	if err != nil || !v.Locked(p) {
		return "", err
	}
	return UnlockToken(p), nil
}

// prepareLocks checks a create's password and views cap and sets them on
// p (the password as given: lock hashes it once everything else passed).
func (s *Service) prepareLocks(in CreateInput, p *Paste, verr *ValidationError) {
	if in.Password != "" {
		switch {
		case s.opts.Passwords.Hash == nil:
			verr.Add("password", "password pastes are not available on this server")
		case len(in.Password) > MaxPasswordBytes || !utf8.ValidString(in.Password):
			verr.Add("password", fmt.Sprintf("must be valid text of at most %d bytes", MaxPasswordBytes))
		}
	}
	switch {
	case in.MaxViews < 0 || in.MaxViews > MaxViewsCap:
		verr.Add("max_views", fmt.Sprintf("must be between 1 and %d", MaxViewsCap))
	case in.BurnAfterReading && in.MaxViews > 1:
		verr.Add("max_views", "burn_after_reading is max_views 1: give one of them")
	case in.MaxViews > 0:
		p.MaxViews, p.ViewsLeft, p.BurnAfterReading = int32(in.MaxViews), int32(in.MaxViews), true
	case in.BurnAfterReading:
		p.MaxViews, p.ViewsLeft = 1, 1
	}
}

// lock hashes a create's password onto p.
func (s *Service) lock(in CreateInput, p *Paste) error {
	if in.Password == "" {
		return nil
	}
	h, err := s.opts.Passwords.Hash(in.Password)
	if err != nil {
		return fmt.Errorf("hash paste password: %w", err)
	}
	p.PasswordHash = h
	return nil
}

// checkEditPassword checks an edit's new password.
func (s *Service) checkEditPassword(in UpdateInput, verr *ValidationError) {
	if in.Password == nil || *in.Password == "" {
		return
	}
	s.prepareLocks(CreateInput{Password: *in.Password}, &Paste{}, verr)
}

// editPassword sets an edit's password on p: a new hash, or none. A
// password removed leaves the paste listed by title alone until its text
// is next edited (its text is not read back to index it again).
func (s *Service) editPassword(in UpdateInput, p *Paste) error {
	if in.Password == nil {
		return nil
	}
	p.PasswordHash = ""
	return s.lock(CreateInput{Password: *in.Password}, p)
}

// searchTextOf is the text a paste is indexed and previewed by: none for
// a password paste, whose title alone is listed.
func searchTextOf(p Paste, content []byte) string {
	if p.PasswordHash != "" {
		return ""
	}
	return SearchText(content)
}
