package auth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"pastel/internal/clock"
)

// ErrInvalidToken is returned, wrapped with detail, for every token that
// fails to parse or verify: bad signature or algorithm, wrong issuer,
// audience or type, expired, malformed. Surfaces answer 401 for it.
var ErrInvalidToken = errors.New("invalid token")

// Token types, carried in the custom "typ" claim.
const (
	TypeAccess  = "access"
	TypeRefresh = "refresh"
)

// Token option defaults.
const (
	DefaultAccessTTL  = 15 * time.Minute
	DefaultRefreshTTL = 30 * 24 * time.Hour
)

// MinSecretLen is the shortest HS256 secret NewTokens accepts, in bytes
// (the size of the HMAC-SHA256 output, as RFC 7518 section 3.2 requires).
const MinSecretLen = 32

// maxTokenLen bounds the input to the parser. Pastel's tokens are a few
// hundred bytes; anything far larger is rejected before any decoding.
const maxTokenLen = 4096

// TokenOptions configure NewTokens.
type TokenOptions struct {
	// Secret is the HS256 key, at least MinSecretLen bytes. NewTokens copies it.
	Secret []byte
	// Issuer is written to and required in the "iss" claim.
	Issuer string
	// Audience is written to and required in the "aud" claim.
	Audience string
	// AccessTTL is the access token lifetime; zero means DefaultAccessTTL.
	AccessTTL time.Duration
	// RefreshTTL is the refresh token lifetime; zero means DefaultRefreshTTL.
	RefreshTTL time.Duration
	// Leeway is the clock skew tolerated on exp, nbf and iat; zero means none,
	// which fits a deployment where the same clock issues and verifies.
	Leeway time.Duration
	// Now is the clock; nil means time.Now. Tests set it.
	Now clock.Clock
}

// Claims is what a verified token says.
type Claims struct {
	// UserID is the subject, always positive.
	UserID int64
	// ID is the token's unique ID ("jti"), used to revoke one token.
	ID string
	// Family is the refresh token family ("fam"), shared by every refresh
	// token rotated from one login; empty for access tokens.
	Family string
	// IssuedAt ("iat") lets the store reject tokens issued before a
	// per-user cut-off.
	IssuedAt time.Time
	// ExpiresAt is the "exp" claim.
	ExpiresAt time.Time
	// Type is TypeAccess or TypeRefresh.
	Type string
}

// wireClaims is the JSON payload of a token.
type wireClaims struct {
	jwt.RegisteredClaims
	Type   string `json:"typ"`
	Family string `json:"fam,omitempty"`
}

// Tokens issues and verifies Pastel's API tokens. It is safe for
// concurrent use.
type Tokens struct {
	secret     []byte
	issuer     string
	audience   string
	accessTTL  time.Duration
	refreshTTL time.Duration
	now        func() time.Time
	parser     *jwt.Parser
}

// NewTokens returns a Tokens for opts, or an error naming the bad option.
func NewTokens(opts TokenOptions) (*Tokens, error) {
	var errs []error
	if len(opts.Secret) < MinSecretLen {
		errs = append(errs, fmt.Errorf("secret must be at least %d bytes", MinSecretLen))
	}
	if opts.Issuer == "" {
		errs = append(errs, errors.New("issuer is required"))
	}
	if opts.Audience == "" {
		errs = append(errs, errors.New("audience is required"))
	}
	if opts.AccessTTL < 0 || opts.RefreshTTL < 0 || opts.Leeway < 0 {
		errs = append(errs, errors.New("durations must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("token options: %w", err)
	}
	t := &Tokens{
		secret:     append([]byte(nil), opts.Secret...),
		issuer:     opts.Issuer,
		audience:   opts.Audience,
		accessTTL:  opts.AccessTTL,
		refreshTTL: opts.RefreshTTL,
		now:        opts.Now,
	}
	if t.accessTTL == 0 {
		t.accessTTL = DefaultAccessTTL
	}
	if t.refreshTTL == 0 {
		t.refreshTTL = DefaultRefreshTTL
	}
	if t.now == nil {
		t.now = time.Now
	}
	t.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(t.issuer),
		jwt.WithAudience(t.audience),
		jwt.WithExpirationRequired(),
		jwt.WithNotBeforeRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(opts.Leeway),
		jwt.WithTimeFunc(t.now),
		jwt.WithStrictDecoding(),
	)
	return t, nil
}

// AccessTTL returns the access token lifetime (for "expires_in").
func (t *Tokens) AccessTTL() time.Duration { return t.accessTTL }

// RefreshTTL returns the refresh token lifetime.
func (t *Tokens) RefreshTTL() time.Duration { return t.refreshTTL }

// IssueAccess returns a signed access token for userID and its claims.
func (t *Tokens) IssueAccess(userID int64) (string, Claims, error) {
	return t.issue(userID, TypeAccess, "", t.accessTTL)
}

// IssueRefresh returns a signed refresh token for userID in family and its
// claims. An empty family starts a new one (a fresh login); rotation passes
// the family of the token being replaced.
func (t *Tokens) IssueRefresh(userID int64, family string) (string, Claims, error) {
	if family == "" {
		family = randomID()
	} else if len(family) > 128 {
		return "", Claims{}, errors.New("issue token: family too long")
	}
	return t.issue(userID, TypeRefresh, family, t.refreshTTL)
}

func init() {
	// Millisecond iat lets "tokens valid after" (set when a password
	// changes) reject every older token without also rejecting the one
	// issued a moment later in the same second.
	jwt.TimePrecision = time.Millisecond
}

func (t *Tokens) issue(userID int64, typ, family string, ttl time.Duration) (string, Claims, error) {
	if userID <= 0 {
		return "", Claims{}, fmt.Errorf("issue token: user ID %d is not positive", userID)
	}
	now := jwt.NewNumericDate(t.now())
	wc := wireClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.issuer,
			Subject:   strconv.FormatInt(userID, 10),
			Audience:  jwt.ClaimStrings{t.audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
			NotBefore: now,
			IssuedAt:  now,
			ID:        randomID(),
		},
		Type:   typ,
		Family: family,
	}
	// NewWithClaims sets the JOSE header to {"alg":"HS256","typ":"JWT"}.
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, wc).SignedString(t.secret)
	if err != nil {
		return "", Claims{}, fmt.Errorf("issue token: %w", err)
	}
	return signed, claimsOf(wc, userID), nil
}

// ParseAccess verifies an access token and returns its claims. Any failure,
// including a refresh token passed here, wraps ErrInvalidToken.
func (t *Tokens) ParseAccess(token string) (Claims, error) {
	return t.parse(token, TypeAccess)
}

// ParseRefresh verifies a refresh token and returns its claims. Any
// failure, including an access token passed here, wraps ErrInvalidToken.
// The caller still checks the store for revocation and family reuse.
func (t *Tokens) ParseRefresh(token string) (Claims, error) {
	return t.parse(token, TypeRefresh)
}

func (t *Tokens) parse(token, want string) (Claims, error) {
	if token == "" {
		return Claims{}, fmt.Errorf("%w: empty", ErrInvalidToken)
	}
	if len(token) > maxTokenLen {
		return Claims{}, fmt.Errorf("%w: too long", ErrInvalidToken)
	}
	var wc wireClaims
	parsed, err := t.parser.ParseWithClaims(token, &wc, t.key)
	if err != nil {
		// %v, not %w: callers match on ErrInvalidToken only, and the jwt
		// error types stay an implementation detail.
		return Claims{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	if typ, _ := parsed.Header["typ"].(string); typ != "JWT" {
		return Claims{}, fmt.Errorf("%w: header typ %q", ErrInvalidToken, typ)
	}
	if _, ok := parsed.Header["crit"]; ok {
		// RFC 7515 4.1.11: extensions we do not understand must be rejected.
		return Claims{}, fmt.Errorf("%w: crit header", ErrInvalidToken)
	}
	if wc.Type != want {
		return Claims{}, fmt.Errorf("%w: type %q, want %q", ErrInvalidToken, wc.Type, want)
	}
	userID, err := strconv.ParseInt(wc.Subject, 10, 64)
	if err != nil || userID <= 0 || strconv.FormatInt(userID, 10) != wc.Subject {
		return Claims{}, fmt.Errorf("%w: subject %q", ErrInvalidToken, wc.Subject)
	}
	if wc.ID == "" {
		return Claims{}, fmt.Errorf("%w: no jti", ErrInvalidToken)
	}
	switch {
	case want == TypeRefresh && wc.Family == "":
		return Claims{}, fmt.Errorf("%w: refresh token without family", ErrInvalidToken)
	case want == TypeAccess && wc.Family != "":
		return Claims{}, fmt.Errorf("%w: access token with family", ErrInvalidToken)
	}
	// The parser required exp and nbf and checked iat only if present
	// (jwt's WithIssuedAt does not require it); the store needs iat for its
	// per-user cut-off, and it must precede exp.
	if wc.IssuedAt == nil || wc.ExpiresAt == nil {
		return Claims{}, fmt.Errorf("%w: iat or exp missing", ErrInvalidToken)
	}
	if !wc.IssuedAt.Before(wc.ExpiresAt.Time) {
		return Claims{}, fmt.Errorf("%w: expires before issue", ErrInvalidToken)
	}
	return claimsOf(wc, userID), nil
}

// key is the jwt.Keyfunc. WithValidMethods already limits alg to HS256;
// checking the method type again means a future parser change can never
// hand the secret to another algorithm (the HS/RS confusion attack).
func (t *Tokens) key(tok *jwt.Token) (any, error) {
	if _, ok := tok.Method.(*jwt.SigningMethodHMAC); !ok || tok.Method.Alg() != jwt.SigningMethodHS256.Alg() {
		return nil, fmt.Errorf("unexpected signing method %v", tok.Header["alg"])
	}
	return t.secret, nil
}

func claimsOf(wc wireClaims, userID int64) Claims {
	return Claims{
		UserID:    userID,
		ID:        wc.ID,
		Family:    wc.Family,
		IssuedAt:  wc.IssuedAt.Time.Round(time.Millisecond).UTC(), // JSON numbers are floats: round, never truncate
		ExpiresAt: time.Unix(wc.ExpiresAt.Unix(), 0).UTC(),
		Type:      wc.Type,
	}
}

// randomID returns 128 random bits, base64url without padding.
func randomID() string {
	var b [16]byte
	// crypto/rand.Read never returns an error on supported platforms (Go 1.24+).
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
