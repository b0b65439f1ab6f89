package auth

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed" // the common password list
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the Argon2id cost parameters and output sizes.
type PasswordParams struct {
	Memory  uint32 // memory in KiB
	Time    uint32 // number of passes
	Threads uint8  // degree of parallelism
	SaltLen uint32 // salt length in bytes
	KeyLen  uint32 // derived key length in bytes
}

// DefaultPasswordParams are the parameters every production hash uses: the
// OWASP minimum for Argon2id (19 MiB, two passes, one lane) with a 16-byte
// salt and a 32-byte key. Tests that need faster hashing pass their own
// PasswordParams to HashPassword explicitly; nothing lowers these globally.
var DefaultPasswordParams = PasswordParams{
	Memory:  19 * 1024,
	Time:    2,
	Threads: 1,
	SaltLen: 16,
	KeyLen:  32,
}

// Password length limits, in characters (runes). Argon2 has no input
// length limit, so every character counts; the upper bound only caps work.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 1024
)

// ErrMalformedHash means an encoded password hash is not a PHC string this
// package can verify.
var ErrMalformedHash = errors.New("malformed password hash")

// Bounds on parameters read back from an encoded hash. They keep a corrupt
// or hostile stored value from asking for absurd memory or time, and keep
// VerifyPassword panic-free (argon2 panics on zero passes or lanes).
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 64
	minSaltLen   = 8
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 128
)

const phcPrefix = "$argon2id$v=19$"

var b64 = base64.RawStdEncoding

// validate reports whether p can be used to hash; it rejects values argon2
// would panic on and sizes outside the supported range.
func (p PasswordParams) validate() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("time %d out of range", p.Time)
	case p.Threads < 1:
		return errors.New("threads must be at least 1")
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemoryKiB:
		return fmt.Errorf("memory %d KiB out of range", p.Memory)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("salt length %d out of range", p.SaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("key length %d out of range", p.KeyLen)
	}
	return nil
}

// HashPassword derives an Argon2id key from password with a fresh random
// salt and returns it as a PHC string:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<base64 salt>$<base64 key>
//
// Production callers pass DefaultPasswordParams.
func HashPassword(password string, p PasswordParams) (string, error) {
	if err := p.validate(); err != nil {
		return "", fmt.Errorf("password params: %w", err)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encodeHash(p, salt, key), nil
}

// encodeHash formats a PHC argon2id string.
func encodeHash(p PasswordParams, salt, key []byte) string {
	return fmt.Sprintf("%sm=%d,t=%d,p=%d$%s$%s", phcPrefix, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether password matches the PHC string encoded,
// comparing keys in constant time. needsRehash is true when the password
// matches but encoded was made with parameters other than
// DefaultPasswordParams; the caller should then store a fresh hash. A
// malformed encoding returns an error wrapping ErrMalformedHash.
func VerifyPassword(password, encoded string) (ok bool, needsRehash bool, err error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false, nil
	}
	return true, p != DefaultPasswordParams, nil
}

// decodeHash parses a PHC argon2id string. It is strict: one version, the
// parameters in m,t,p order without extras, canonical decimal numbers and
// unpadded standard base64.
func decodeHash(encoded string) (PasswordParams, []byte, []byte, error) {
	var p PasswordParams
	rest, ok := strings.CutPrefix(encoded, phcPrefix)
	if !ok {
		return p, nil, nil, fmt.Errorf("%w: not an argon2id v=19 hash", ErrMalformedHash)
	}
	fields := strings.Split(rest, "$")
	if len(fields) != 3 {
		return p, nil, nil, fmt.Errorf("%w: want params, salt and key", ErrMalformedHash)
	}
	params := strings.Split(fields[0], ",")
	if len(params) != 3 {
		return p, nil, nil, fmt.Errorf("%w: want m, t and p", ErrMalformedHash)
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(params[i], name+"=")
		if !ok {
			return p, nil, nil, fmt.Errorf("%w: parameter %d is not %s", ErrMalformedHash, i+1, name)
		}
		n, err := parseDecimal(v)
		if err != nil {
			return p, nil, nil, fmt.Errorf("%w: %s: %v", ErrMalformedHash, name, err)
		}
		vals[i] = n
	}
	if vals[0] > maxMemoryKiB || vals[1] > maxTime || vals[2] > 255 {
		return p, nil, nil, fmt.Errorf("%w: parameters out of range", ErrMalformedHash)
	}
	salt, err := decodeB64(fields[1])
	if err != nil {
		return p, nil, nil, fmt.Errorf("%w: salt: %v", ErrMalformedHash, err)
	}
	key, err := decodeB64(fields[2])
	if err != nil {
		return p, nil, nil, fmt.Errorf("%w: key: %v", ErrMalformedHash, err)
	}
	p = PasswordParams{
		Memory:  uint32(vals[0]),
		Time:    uint32(vals[1]),
		Threads: uint8(vals[2]),
		SaltLen: uint32(len(salt)),
		KeyLen:  uint32(len(key)),
	}
	if err := p.validate(); err != nil {
		return p, nil, nil, fmt.Errorf("%w: %v", ErrMalformedHash, err)
	}
	return p, salt, key, nil
}

// decodeB64 decodes unpadded standard base64 and insists on the canonical
// spelling; the decoder alone would skip embedded newlines.
func decodeB64(s string) ([]byte, error) {
	b, err := b64.Strict().DecodeString(s)
	if err != nil {
		return nil, err
	}
	if b64.EncodeToString(b) != s {
		return nil, errors.New("not canonical base64")
	}
	return b, nil
}

// parseDecimal accepts only canonical unsigned decimals (no sign, no
// leading zeros), so every hash has exactly one spelling.
func parseDecimal(s string) (uint64, error) {
	if s == "" || len(s) > 10 || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("bad number %q", s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("bad number %q", s)
		}
	}
	return strconv.ParseUint(s, 10, 64)
}

// DummyVerify does the work of verifying password against a hash made with
// DefaultPasswordParams and discards the result. Call it when the user is
// unknown so that a failed login takes as long as a wrong password.
func DummyVerify(password string) {
	// Same code path as a real verify, against a hash no password matches
	// in practice: an all-zero key under an all-zero salt.
	p := DefaultPasswordParams
	encoded := encodeHash(p, make([]byte, p.SaltLen), make([]byte, p.KeyLen))
	_, _, _ = VerifyPassword(password, encoded)
}

// CheckPassword returns a human-readable problem with pw as a new password,
// or "" when it is acceptable. Length is counted in characters over the
// whole string; nothing is truncated.
func CheckPassword(pw string) string {
	if !utf8.ValidString(pw) {
		return "must be valid UTF-8 text"
	}
	if strings.IndexByte(pw, 0) >= 0 {
		return "must not contain NUL characters"
	}
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return fmt.Sprintf("must be at least %d characters", MinPasswordLen)
	case n > MaxPasswordLen:
		return fmt.Sprintf("must be at most %d characters", MaxPasswordLen)
	}
	return commonPassword(pw)
}

// PasteHashing returns the hashing of paste passwords (Argon2id with
// params) in the shape the paste domain takes: hash, and verify, which is
// false for a wrong password and a malformed hash alike.
func PasteHashing(params PasswordParams) (hash func(string) (string, error), verify func(password, hash string) bool) {
	hash = func(pw string) (string, error) { return HashPassword(pw, params) }
	verify = func(pw, h string) bool {
		ok, _, err := VerifyPassword(pw, h)
		return ok && err == nil
	}
	return hash, verify
}

// commonPasswords are the 10,000 most common passwords, lower case, one a
// line: the first 10,000 entries of zxcvbn's password frequency list
// (data/passwords.txt of github.com/dropbox/zxcvbn, as shipped in
// github.com/trustelem/zxcvbn v1.0.1; MIT licence), which zxcvbn counted
// from Mark Burnett's ten million leaked passwords (released into the
// public domain).
//
//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 10000)
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			m[line] = struct{}{}
		}
	}
	return m
})

// commonPassword says why pw is too guessable, or "": one of the most
// common passwords in any case, or one with only digits, punctuation or
// spaces added at its end (Password2024!).
func commonPassword(pw string) string {
	lower := strings.ToLower(pw)
	common := commonPasswords()
	if _, ok := common[lower]; ok {
		return "is one of the most common passwords: choose another"
	}
	base := strings.TrimRightFunc(lower, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == ' ' })
	if _, ok := common[base]; ok && utf8.RuneCountInString(base) >= 4 {
		return "is a common password with a few characters added: choose another"
	}
	return ""
}
