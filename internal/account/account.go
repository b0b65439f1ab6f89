package account

import (
	"context"
	"crypto/sha256"
	"errors"
	"regexp"
	"strings"
	"time"

	"pastel/internal/paste"
)

// User is an account.
type User struct {
	ID               int64
	Username         string
	Email            string
	PasswordHash     string
	IsAdmin          bool
	Disabled         bool
	CreatedAt        time.Time
	TokensValidAfter time.Time
}

// Viewer returns the paste viewer acting as u.
func (u User) Viewer() paste.Viewer {
	return paste.Viewer{UserID: u.ID, Username: u.Username, IsAdmin: u.IsAdmin}
}

// SessionInfo describes one browser session for the settings page. ID is a
// short public handle (a prefix of the stored hash), never the cookie value.
type SessionInfo struct {
	ID         string
	UserAgent  string
	IP         string
	CreatedAt  time.Time
	LastSeenAt time.Time
	Current    bool
}

// APIToken is a personal token for scripts; only its hash is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// RefreshRecord is a stored refresh token.
type RefreshRecord struct {
	JTI       string
	UserID    int64
	Family    string
	ExpiresAt time.Time
	Used      bool
	Revoked   bool
}

// Repository keeps accounts. Implementations return paste.ErrNotFound,
// paste.ErrConflict and wrap paste.ErrUnavailable as the paste repository
// does.
type Repository interface {
	InsertUser(ctx context.Context, u User) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	UserByUsername(ctx context.Context, username string) (User, error)
	// SetPassword stores a new hash and, in one transaction, ends every
	// token issued before validAfter, every refresh token, every personal
	// API token, and every session but keepSession.
	SetPassword(ctx context.Context, userID int64, hash string, validAfter time.Time, keepSession []byte) error
	UpdatePasswordHash(ctx context.Context, userID int64, hash string) error

	ListSessions(ctx context.Context, userID int64, now, idleAfter time.Time) ([]SessionInfo, [][]byte, error)
	DeleteSessionByID(ctx context.Context, userID int64, id string) (bool, error)
	DeleteSessionsExcept(ctx context.Context, userID int64, keep []byte) error

	InsertRefreshToken(ctx context.Context, r RefreshRecord, now time.Time) error
	// UseRefreshToken marks the token used and returns it as it was, inside
	// one locked read, so a token can be used once.
	UseRefreshToken(ctx context.Context, jti string, now time.Time) (RefreshRecord, error)
	RevokeRefreshFamily(ctx context.Context, family string, now time.Time) error
	RevokeUserRefreshTokens(ctx context.Context, userID int64, now time.Time) error
	RevokeAccessToken(ctx context.Context, jti string, expires time.Time) error
	AccessTokenRevoked(ctx context.Context, jti string) (bool, error)

	InsertAPIToken(ctx context.Context, t APIToken, hash []byte) (APIToken, error)
	UseAPIToken(ctx context.Context, hash []byte, now time.Time) (APIToken, error)
	ListAPITokens(ctx context.Context, userID int64) ([]APIToken, error)
	DeleteAPIToken(ctx context.Context, userID, id int64) (bool, error)

	// InsertUserWithInvite consumes the invite with hash inviteHash and
	// inserts u in one transaction: ErrInviteUnusable when the invite is
	// unknown, used, revoked or expired at now; a conflict leaves the
	// invite unused.
	InsertUserWithInvite(ctx context.Context, u User, inviteHash []byte, now time.Time) (User, error)
	InsertInvite(ctx context.Context, r InviteRecord) (int64, error)
	InviteUsable(ctx context.Context, hash []byte, now time.Time) (bool, error)
	ListInvites(ctx context.Context, limit int) ([]Invite, error)
	RevokeInvite(ctx context.Context, id int64, now time.Time) (bool, error)

	ExternalRepository
	TwoFactorRepository
	ResetRepository
}

// Username rules: 3 to 32 characters, letters, digits, _ and -, starting with
// a letter or digit; unique regardless of case.
var usernameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{2,31}$`)

var reserved = map[string]bool{
	"admin": true, "administrator": true, "root": true, "pastel": true, "api": true,
	"system": true, "support": true, "moderator": true, "anonymous": true, "me": true,
}

// CheckUsername returns what is wrong with a username, or "".
func CheckUsername(name string) string {
	switch {
	case !usernameRE.MatchString(name):
		return "must be 3 to 32 characters: letters, digits, _ and -, starting with a letter or digit"
	case reserved[strings.ToLower(name)]:
		return "is reserved"
	}
	return ""
}

// CheckEmail returns what is wrong with an optional e-mail address, or "".
func CheckEmail(email string) string {
	if email == "" {
		return ""
	}
	if msg := paste.CheckText(email, 254); msg != "" {
		return msg
	}
	at := strings.LastIndexByte(email, '@')
	if at < 1 || at == len(email)-1 || strings.ContainsAny(email, " <>\"") {
		return "must be an e-mail address"
	}
	return ""
}

// RateLimitError says a sign-in was refused for too many attempts.
type RateLimitError struct {
	RetryAfter time.Duration
}

// Error implements error.
func (e *RateLimitError) Error() string { return "too many attempts" }

// ErrBadCredentials is the one answer to an unknown user, a wrong password
// and a disabled account alike.
var ErrBadCredentials = errors.New("wrong username or password")

// SessionHash is how a browser session's cookie ID is stored and compared:
// a database leak does not give away live cookies.
func SessionHash(id string) []byte {
	sum := sha256.Sum256([]byte(id))
	return sum[:]
}

// SessionRecord is a stored browser session: the SHA-256 of its cookie ID
// (SessionHash), its encoded values and its times.
type SessionRecord struct {
	Hash       []byte
	UserID     int64 // 0: nobody signed in
	Data       []byte
	UserAgent  string
	IP         string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// SessionRows keeps browser sessions by the hash of their cookie ID. The
// web's gorilla/sessions store is built over it. Implementations return
// paste.ErrNotFound for an unknown hash.
type SessionRows interface {
	SessionByHash(ctx context.Context, hash []byte) (SessionRecord, error)
	InsertSession(ctx context.Context, r SessionRecord) error
	// UpdateSession replaces a session's values and owner and marks it
	// seen at now.
	UpdateSession(ctx context.Context, hash, data []byte, userID int64, now time.Time) error
	TouchSession(ctx context.Context, hash []byte, now time.Time) error
	DeleteSession(ctx context.Context, hash []byte) error
	// DeleteStaleSessions removes sessions past their absolute end at now
	// or last seen before idleAfter.
	DeleteStaleSessions(ctx context.Context, now, idleAfter time.Time) (int, error)
}

// SessionUserKey is the browser-session value holding the signed-in user's
// ID (an int64).
const SessionUserKey = "user_id"
