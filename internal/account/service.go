package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"pastel/internal/auth"
	"pastel/internal/clock"
	"pastel/internal/paste"
)

// Options configures the Service.
type Options struct {
	Tokens         *auth.Tokens
	PasswordParams auth.PasswordParams // zero: auth.DefaultPasswordParams
	Now            clock.Clock
	Logger         *slog.Logger
	SessionIdle    time.Duration // a session unused this long ends (default 7 days)
	// Sign-in limits: failures per account and per client address within
	// Window (defaults 5, 20, 15 minutes). Successful sign-ins never count.
	AccountFailures int
	AddressFailures int
	Window          time.Duration
	// AccountLimiter and AddressLimiter count those failures; nil: kept in
	// this process (NewMemoryLimiter with the limits above). A limiter
	// shared by every replica can take their place.
	AccountLimiter Limiter
	AddressLimiter Limiter
	// Registration is who may sign up (REGISTRATION); "": open.
	Registration Registration
}

// Service is the account domain's entry point.
type Service struct {
	repo      Repository
	opts      Options
	byAccount Limiter
	byAddress Limiter
}

// NewService returns a Service.
func NewService(repo Repository, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.PasswordParams == (auth.PasswordParams{}) {
		opts.PasswordParams = auth.DefaultPasswordParams
	}
	if opts.SessionIdle == 0 {
		opts.SessionIdle = 7 * 24 * time.Hour
	}
	if opts.AccountFailures == 0 {
		opts.AccountFailures = 5
	}
	if opts.AddressFailures == 0 {
		opts.AddressFailures = 20
	}
	if opts.Window == 0 {
		opts.Window = 15 * time.Minute
	}
	if opts.Registration == "" {
		opts.Registration = RegistrationOpen
	}
	if opts.AccountLimiter == nil {
		opts.AccountLimiter = NewMemoryLimiter(opts.AccountFailures, opts.Window)
	}
	if opts.AddressLimiter == nil {
		opts.AddressLimiter = NewMemoryLimiter(opts.AddressFailures, opts.Window)
	}
	return &Service{repo: repo, opts: opts, byAccount: opts.AccountLimiter, byAddress: opts.AddressLimiter}
}

// Register creates an account under the registration policy, without an
// invite (see SignUp).
func (s *Service) Register(ctx context.Context, username, email, password string) (User, error) {
	return s.SignUp(ctx, SignUp{Username: username, Email: email, Password: password})
}

// Authenticate checks a username and password. Unknown users, wrong
// passwords and disabled accounts get the same error after the same work.
// Failures are limited per account and per client address; successes
// never count, and one resets the account's failures. Past a limit a
// RateLimitError says when to retry.
func (s *Service) Authenticate(ctx context.Context, username, password, clientAddr string) (User, error) {
	now := s.opts.Now()
	accountKey := strings.ToLower(username)
	for _, check := range []struct {
		l   Limiter
		key string
	}{{s.byAddress, clientAddr}, {s.byAccount, accountKey}} {
		blocked, wait, err := check.l.Blocked(ctx, check.key, now)
		if err != nil {
			return User{}, err
		}
		if blocked {
			return User{}, &RateLimitError{RetryAfter: wait}
		}
	}
	u, err := s.repo.UserByUsername(ctx, username)
	// An account made through OpenID Connect has no password until its
	// owner sets one: no password opens it.
	if errors.Is(err, paste.ErrNotFound) || (err == nil && (u.Disabled || u.PasswordHash == "")) {
		auth.DummyVerify(password)
		return User{}, s.failed(ctx, clientAddr, accountKey, now)
	}
	if err != nil {
		return User{}, err
	}
	ok, rehash, err := auth.VerifyPassword(password, u.PasswordHash)
	if err != nil {
		return User{}, fmt.Errorf("stored hash of user %d: %w", u.ID, err)
	}
	if !ok {
		return User{}, s.failed(ctx, clientAddr, accountKey, now)
	}
	if err := s.byAccount.Reset(ctx, accountKey); err != nil {
		return User{}, err
	}
	if rehash {
		if h, err := auth.HashPassword(password, s.opts.PasswordParams); err == nil {
			if err := s.repo.UpdatePasswordHash(ctx, u.ID, h); err != nil {
				s.opts.Logger.Warn("password rehash deferred", "user_id", u.ID, "err", err)
			}
		}
	}
	return u, nil
}

// failed counts a failed sign-in against the address and the account and
// returns ErrBadCredentials (or the limiter's error).
func (s *Service) failed(ctx context.Context, clientAddr, accountKey string, now time.Time) error {
	if err := s.byAddress.Fail(ctx, clientAddr, now); err != nil {
		return err
	}
	if err := s.byAccount.Fail(ctx, accountKey, now); err != nil {
		return err
	}
	return ErrBadCredentials
}

// UserByID returns an active account.
func (s *Service) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := s.repo.UserByID(ctx, id)
	if err == nil && u.Disabled {
		return User{}, paste.ErrNotFound
	}
	return u, err
}

// UserByUsername returns an active account by name, any case.
func (s *Service) UserByUsername(ctx context.Context, name string) (User, error) {
	if !usernameRE.MatchString(name) {
		return User{}, paste.ErrNotFound // cannot exist: no query needed
	}
	u, err := s.repo.UserByUsername(ctx, name)
	if err == nil && u.Disabled {
		return User{}, paste.ErrNotFound
	}
	return u, err
}

// ChangePassword checks the old password, stores the new one and ends every
// other session, every refresh token, every access token issued before now
// and every personal API token (the user makes new ones). keepSession is
// the hash of the session making the change.
func (s *Service) ChangePassword(ctx context.Context, userID int64, oldPassword, newPassword string, keepSession []byte) error {
	u, err := s.repo.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	// An account made through OpenID Connect sets its first password
	// without an old one.
	if u.PasswordHash != "" {
		ok, _, err := auth.VerifyPassword(oldPassword, u.PasswordHash)
		if err != nil {
			return err
		}
		if !ok {
			return paste.FieldError("old_password", "That is not your current password.")
		}
	}
	if msg := auth.CheckPassword(newPassword); msg != "" {
		return paste.FieldError("new_password", msg)
	}
	hash, err := auth.HashPassword(newPassword, s.opts.PasswordParams)
	if err != nil {
		return err
	}
	return s.repo.SetPassword(ctx, userID, hash, s.opts.Now().UTC(), keepSession)
}

// Sessions lists the account's live browser sessions; current is the hash
// of the session asking, marked Current.
func (s *Service) Sessions(ctx context.Context, userID int64, current []byte) ([]SessionInfo, error) {
	now := s.opts.Now()
	infos, hashes, err := s.repo.ListSessions(ctx, userID, now, now.Add(-s.opts.SessionIdle))
	if err != nil {
		return nil, err
	}
	for i := range infos {
		infos[i].Current = string(hashes[i]) == string(current)
	}
	return infos, nil
}

// EndSession signs out one of the account's sessions by its public ID.
func (s *Service) EndSession(ctx context.Context, userID int64, id string) error {
	if len(id) < 16 || strings.Trim(id, "0123456789abcdef") != "" {
		return paste.ErrNotFound
	}
	found, err := s.repo.DeleteSessionByID(ctx, userID, id)
	if err == nil && !found {
		return paste.ErrNotFound
	}
	return err
}

// EndOtherSessions signs out every session of the account but keep.
func (s *Service) EndOtherSessions(ctx context.Context, userID int64, keep []byte) error {
	return s.repo.DeleteSessionsExcept(ctx, userID, keep)
}

// TokenPair is what POST /auth/token and /auth/refresh answer.
type TokenPair struct {
	AccessToken  string
	RefreshToken string
	ExpiresIn    time.Duration
}

// IssueTokens returns a new access and refresh token for u, starting a new
// refresh family when family is "".
func (s *Service) IssueTokens(ctx context.Context, userID int64, family string) (TokenPair, error) {
	access, _, err := s.opts.Tokens.IssueAccess(userID)
	if err != nil {
		return TokenPair{}, err
	}
	refresh, rc, err := s.opts.Tokens.IssueRefresh(userID, family)
	if err != nil {
		return TokenPair{}, err
	}
	err = s.repo.InsertRefreshToken(ctx, RefreshRecord{JTI: rc.ID, UserID: userID, Family: rc.Family, ExpiresAt: rc.ExpiresAt}, s.opts.Now())
	if err != nil {
		return TokenPair{}, err
	}
	return TokenPair{AccessToken: access, RefreshToken: refresh, ExpiresIn: s.opts.Tokens.AccessTTL()}, nil
}

// ErrInvalidToken is any presented credential that does not hold: bad,
// expired, revoked, reused, or for a disabled account.
var ErrInvalidToken = errors.New("invalid token")

// Refresh rotates a refresh token: the old one stops working and a new pair
// is issued. Presenting a token that was already used revokes its whole
// family, since one of the two holders is a thief.
func (s *Service) Refresh(ctx context.Context, token string) (TokenPair, error) {
	claims, err := s.opts.Tokens.ParseRefresh(token)
	if err != nil {
		return TokenPair{}, ErrInvalidToken
	}
	now := s.opts.Now()
	rec, err := s.repo.UseRefreshToken(ctx, claims.ID, now)
	if errors.Is(err, paste.ErrNotFound) {
		return TokenPair{}, ErrInvalidToken
	}
	if err != nil {
		return TokenPair{}, err
	}
	if rec.Used || rec.Revoked {
		if rec.Used && !rec.Revoked {
			s.opts.Logger.Warn("refresh token reused: family revoked", "user_id", rec.UserID)
		}
		if err := s.repo.RevokeRefreshFamily(ctx, rec.Family, now); err != nil {
			return TokenPair{}, err
		}
		return TokenPair{}, ErrInvalidToken
	}
	u, err := s.repo.UserByID(ctx, rec.UserID)
	if err != nil || u.Disabled || issuedBefore(claims.IssuedAt, u.TokensValidAfter) {
		return TokenPair{}, ErrInvalidToken
	}
	return s.IssueTokens(ctx, u.ID, rec.Family)
}

// APITokenPrefix starts every personal API token, so a bearer value can be
// told apart from a JWT without parsing it.
const APITokenPrefix = "pst_"

// Bearer resolves an Authorization bearer value (a JWT access token or a
// personal API token) to a viewer, plus the access token's claims (zero for
// API tokens). Anything not valid right now is ErrInvalidToken.
func (s *Service) Bearer(ctx context.Context, token string) (paste.Viewer, auth.Claims, error) {
	if strings.HasPrefix(token, APITokenPrefix) {
		t, err := s.repo.UseAPIToken(ctx, paste.HashSecret(token), s.opts.Now())
		if errors.Is(err, paste.ErrNotFound) {
			return paste.Viewer{}, auth.Claims{}, ErrInvalidToken
		}
		if err != nil {
			return paste.Viewer{}, auth.Claims{}, err
		}
		u, err := s.activeUser(ctx, t.UserID)
		if err != nil {
			return paste.Viewer{}, auth.Claims{}, err
		}
		if !apiTokenLive(t, u) {
			// Made before a password change or a disable: it never works
			// again, even once the account is enabled. Drop the row.
			if _, err := s.repo.DeleteAPIToken(ctx, u.ID, t.ID); err != nil {
				s.opts.Logger.Warn("dead API token kept", "user_id", u.ID, "err", err)
			}
			return paste.Viewer{}, auth.Claims{}, ErrInvalidToken
		}
		return u.Viewer(), auth.Claims{}, nil
	}
	claims, err := s.opts.Tokens.ParseAccess(token)
	if err != nil {
		return paste.Viewer{}, auth.Claims{}, ErrInvalidToken
	}
	revoked, err := s.repo.AccessTokenRevoked(ctx, claims.ID)
	if err != nil {
		return paste.Viewer{}, auth.Claims{}, err
	}
	if revoked {
		return paste.Viewer{}, auth.Claims{}, ErrInvalidToken
	}
	u, err := s.activeUser(ctx, claims.UserID)
	if err != nil {
		return paste.Viewer{}, auth.Claims{}, err
	}
	if issuedBefore(claims.IssuedAt, u.TokensValidAfter) {
		return paste.Viewer{}, auth.Claims{}, ErrInvalidToken
	}
	return u.Viewer(), claims, nil
}

func (s *Service) activeUser(ctx context.Context, id int64) (User, error) {
	u, err := s.repo.UserByID(ctx, id)
	if errors.Is(err, paste.ErrNotFound) || (err == nil && u.Disabled) {
		return User{}, ErrInvalidToken
	}
	return u, err
}

// Revoke ends the caller's refresh tokens and the access token presented.
func (s *Service) Revoke(ctx context.Context, userID int64, access auth.Claims) error {
	now := s.opts.Now()
	if err := s.repo.RevokeUserRefreshTokens(ctx, userID, now); err != nil {
		return err
	}
	if access.ID != "" {
		return s.repo.RevokeAccessToken(ctx, access.ID, access.ExpiresAt)
	}
	return nil
}

// CreateAPIToken makes a named personal token and returns it, the only time
// it is shown.
func (s *Service) CreateAPIToken(ctx context.Context, userID int64, name string) (string, APIToken, error) {
	name = strings.TrimSpace(name)
	if msg := paste.CheckText(name, 64); msg != "" || name == "" {
		if name == "" {
			msg = "must not be empty"
		}
		return "", APIToken{}, paste.FieldError("name", msg)
	}
	secret, _ := paste.NewSecret()
	token := APITokenPrefix + secret
	t, err := s.repo.InsertAPIToken(ctx, APIToken{
		UserID: userID, Name: name, Prefix: token[:len(APITokenPrefix)+4],
		CreatedAt: s.opts.Now().UTC().Truncate(time.Microsecond),
	}, paste.HashSecret(token))
	return token, t, err
}

// APITokens lists the account's personal tokens that still work.
func (s *Service) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	u, err := s.repo.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	all, err := s.repo.ListAPITokens(ctx, userID)
	if err != nil {
		return nil, err
	}
	live := all[:0]
	for _, t := range all {
		if apiTokenLive(t, u) {
			live = append(live, t)
		}
	}
	return live, nil
}

// apiTokenLive reports whether personal token t of u may still be used:
// it was made at or after the account's token cut-off, which a password
// change and a disable move to their moment. Enabling the account leaves
// the cut-off where it is, so tokens ended by a disable stay ended.
func apiTokenLive(t APIToken, u User) bool {
	return !t.CreatedAt.Before(u.TokensValidAfter.Truncate(time.Microsecond))
}

// RevokeAPIToken deletes one of the account's personal tokens.
func (s *Service) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	found, err := s.repo.DeleteAPIToken(ctx, userID, id)
	if err == nil && !found {
		return paste.ErrNotFound
	}
	return err
}

// ParseID parses a decimal ID from a URL, ErrNotFound when malformed.
func ParseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, paste.ErrNotFound
	}
	return id, nil
}

// issuedBefore reports whether a token issued at iat predates validAfter.
// Token times travel as JSON floats in milliseconds and the JWT library
// truncates them when parsing, so iat may read up to 1 ms early: allow
// that much, no more.
func issuedBefore(iat, validAfter time.Time) bool {
	return iat.Add(time.Millisecond).Before(validAfter.Truncate(time.Millisecond))
}
