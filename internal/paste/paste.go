package paste

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"time"
)

// ID identifies a paste. Public pastes get short IDs; unlisted and private
// pastes get IDs long enough to be unguessable, since for unlisted pastes the
// ID is the only secret.
type ID string

// Visibility says who may find and read a paste.
type Visibility string

// The visibilities a paste can have.
const (
	Public   Visibility = "public"
	Unlisted Visibility = "unlisted"
	Private  Visibility = "private"
)

// Valid reports whether v is one of the known visibilities.
func (v Visibility) Valid() bool {
	return v == Public || v == Unlisted || v == Private
}

// Paste is a paste's metadata. The body lives in the blob store under BlobKey.
type Paste struct {
	ID               ID
	OwnerID          int64 // 0 for anonymous pastes
	OwnerName        string
	Title            string
	Syntax           string
	Visibility       Visibility
	Size             int64
	CreatedAt        time.Time
	UpdatedAt        time.Time
	ExpiresAt        time.Time // zero: never
	BurnAfterReading bool
	Revision         int32
	BlobKey          string
	SourceURL        string
	DeleteTokenHash  []byte
	Likes            int64
	Dislikes         int64
	Stars            int64
	Views            int64
	// Preview is the start of the body (PreviewOf), kept with the paste so
	// lists need no body; show it through ListPreview.
	Preview string
	// OwnerDisabled is set when the owner's account is disabled or being
	// deleted: the paste is then hidden from everyone (canRead).
	OwnerDisabled bool
	// Encrypted: the body is a ciphertext envelope made in the browser
	// (CheckEnvelope); the server never renders, indexes or previews it.
	Encrypted bool
	// Tags are the paste's tags, lower case, sorted (CheckTags).
	Tags []string
	// ForkedFrom is the paste this one was forked from, "" if none (or
	// deleted since); show it only through Service.ForkedFrom, which
	// knows who may see it. Forks counts this paste's existing forks.
	ForkedFrom ID
	Forks      int64
	// Files are the newest revision's files, first file first; loaded
	// with the paste where a page or the API needs them (see files.go).
	// Empty when not loaded: FilesOf then gives the one file the row
	// describes.
	Files []File
	// BodyKeys are every body key the paste's revisions name; set only on
	// a paste the repository has just deleted, for removing its bodies.
	BodyKeys []string
	// PasswordHash is the Argon2id hash of the paste's password, "" when
	// it has none: reads by anyone but the owner then need the password
	// (see unlock.go).
	PasswordHash string
	// MaxViews is the views cap asked for at creation (0: none; a capped
	// paste is BurnAfterReading, whose reads consume it); ViewsLeft is
	// what is left of it (1 for a burn paste without a cap).
	MaxViews  int32
	ViewsLeft int32
}

// Expired reports whether p has expired at now.
func (p Paste) Expired(now time.Time) bool {
	return !p.ExpiresAt.IsZero() && !now.Before(p.ExpiresAt)
}

// IsAnonymous reports whether p has no owner.
func (p Paste) IsAnonymous() bool { return p.OwnerID == 0 }

// Viewer is who is asking: a signed-in user, or anonymous (UserID 0).
// Shared is set when the request came through a share link, naming the one
// paste that link opens.
type Viewer struct {
	UserID   int64
	Username string
	IsAdmin  bool
	Shared   ID
}

// ShareLink is a revocable link to a private paste; only its hash is
// stored.
type ShareLink struct {
	ID         int64
	PasteID    ID
	CreatedAt  time.Time
	LastUsedAt *time.Time
	// ExpiresAt is when the link stops working (zero: never); MaxUses how
	// many reads it serves (0: no cap), Uses how many it has served.
	ExpiresAt time.Time
	MaxUses   int32
	Uses      int32
	// TokenHint is the end of the token, to tell links apart in lists;
	// set only when the link is made (the token is not kept).
	TokenHint string
}

// Anonymous is the viewer with no account.
var Anonymous = Viewer{}

// SignedIn reports whether the viewer has an account.
func (v Viewer) SignedIn() bool { return v.UserID != 0 }

// Owns reports whether v owns p.
func (v Viewer) Owns(p Paste) bool { return v.UserID != 0 && v.UserID == p.OwnerID }

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Lengths of generated IDs: 8 base62 characters (~47 bits) for public pastes,
// 22 (~131 bits) for everything whose ID must not be guessable.
const (
	ShortIDLen  = 8
	SecretIDLen = 22
)

// randomBase62 returns n unbiased base62 characters from crypto/rand.
func randomBase62(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, n*2)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			panic("crypto/rand: " + err.Error()) // never fails on supported platforms
		}
		for _, b := range buf {
			// 248 = 4*62: rejecting larger bytes keeps the draw uniform.
			if b < 248 && len(out) < n {
				out = append(out, base62[b%62])
			}
		}
	}
	return string(out)
}

// NewID returns a fresh ID for a paste of visibility v.
func NewID(v Visibility) ID {
	if v == Public {
		return ID(randomBase62(ShortIDLen))
	}
	return ID(randomBase62(SecretIDLen))
}

// ValidID reports whether s has the shape of a paste ID, so that malformed
// IDs are rejected before any lookup.
func ValidID(s string) bool {
	if len(s) != ShortIDLen && len(s) != SecretIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// NewSecret returns a random 128-bit-plus token (22 base62 characters) and
// the SHA-256 hash under which it is stored.
func NewSecret() (token string, hash []byte) {
	token = randomBase62(SecretIDLen)
	return token, HashSecret(token)
}

// HashSecret hashes a token for storage and lookup.
func HashSecret(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// SecretMatches compares token with a stored hash in constant time.
func SecretMatches(token string, hash []byte) bool {
	if token == "" || len(hash) == 0 {
		return false
	}
	return subtle.ConstantTimeCompare(HashSecret(token), hash) == 1
}

// newBlobKey returns a fresh object key. Keys are made only by the server,
// never from user input.
func newBlobKey() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	h := hex.EncodeToString(b[:])
	return "pastes/" + h[:2] + "/" + h
}
