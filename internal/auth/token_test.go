package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"pastel/internal/clock"
)

var (
	testSecret = []byte("0123456789abcdef0123456789abcdef-test-secret")
	testNow    = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

const (
	testIssuer   = "https://pastel.test"
	testAudience = "pastel-api"
)

func newTestTokens(t testing.TB, mod func(*TokenOptions)) (*Tokens, *clock.Fake) {
	t.Helper()
	c := clock.NewFake(testNow)
	opts := TokenOptions{Secret: testSecret, Issuer: testIssuer, Audience: testAudience, Now: c.Now}
	if mod != nil {
		mod(&opts)
	}
	tk, err := NewTokens(opts)
	if err != nil {
		t.Fatalf("NewTokens: %v", err)
	}
	return tk, c
}

// craft builds a compact JWS from raw header and payload values, signed by
// sign (nil leaves the signature empty).
func craft(t testing.TB, header, payload any, sign func(input string) []byte) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(header) + "." + enc(payload)
	var sig []byte
	if sign != nil {
		sig = sign(input)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func signHS256(key []byte) func(string) []byte {
	return func(input string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(input))
		return m.Sum(nil)
	}
}

// validPayload is the payload of a well-formed access token at testNow.
func validPayload() map[string]any {
	return map[string]any{
		"iss": testIssuer,
		"aud": []string{testAudience},
		"sub": "42",
		"exp": testNow.Add(10 * time.Minute).Unix(),
		"iat": testNow.Unix(),
		"nbf": testNow.Unix(),
		"jti": "abc",
		"typ": TypeAccess,
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	for i := 0; i < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == nil {
			delete(m, k)
		} else {
			m[k] = kv[i+1]
		}
	}
	return m
}

var hs256Header = map[string]any{"alg": "HS256", "typ": "JWT"}

func TestNewTokensOptions(t *testing.T) {
	tests := []struct {
		name string
		opts TokenOptions
		ok   bool
	}{
		{"valid", TokenOptions{Secret: testSecret, Issuer: "i", Audience: "a"}, true},
		{"short secret", TokenOptions{Secret: []byte("short"), Issuer: "i", Audience: "a"}, false},
		{"no issuer", TokenOptions{Secret: testSecret, Audience: "a"}, false},
		{"no audience", TokenOptions{Secret: testSecret, Issuer: "i"}, false},
		{"negative ttl", TokenOptions{Secret: testSecret, Issuer: "i", Audience: "a", AccessTTL: -time.Second}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk, err := NewTokens(tt.opts)
			if (err == nil) != tt.ok {
				t.Fatalf("NewTokens err = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && (tk.AccessTTL() != DefaultAccessTTL || tk.RefreshTTL() != DefaultRefreshTTL) {
				t.Errorf("TTLs = %v, %v; want defaults", tk.AccessTTL(), tk.RefreshTTL())
			}
		})
	}
}

func TestNewTokensCopiesSecret(t *testing.T) {
	secret := append([]byte(nil), testSecret...)
	tk, err := NewTokens(TokenOptions{Secret: secret, Issuer: testIssuer, Audience: testAudience, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := tk.IssueAccess(1)
	if err != nil {
		t.Fatal(err)
	}
	secret[0] ^= 0xff
	if _, err := tk.ParseAccess(tok); err != nil {
		t.Fatalf("changing the caller's slice broke verification: %v", err)
	}
}

func TestRoundTrip(t *testing.T) {
	tk, _ := newTestTokens(t, nil)
	ignoreRandom := cmpopts.IgnoreFields(Claims{}, "ID", "Family")

	t.Run("access", func(t *testing.T) {
		tok, issued, err := tk.IssueAccess(42)
		if err != nil {
			t.Fatal(err)
		}
		want := Claims{UserID: 42, IssuedAt: testNow, ExpiresAt: testNow.Add(DefaultAccessTTL), Type: TypeAccess}
		if diff := cmp.Diff(want, issued, ignoreRandom); diff != "" {
			t.Errorf("issued claims (-want +got):\n%s", diff)
		}
		if issued.Family != "" {
			t.Errorf("access token has family %q", issued.Family)
		}
		got, err := tk.ParseAccess(tok)
		if err != nil {
			t.Fatalf("ParseAccess: %v", err)
		}
		if diff := cmp.Diff(issued, got); diff != "" {
			t.Errorf("parsed claims (-issued +parsed):\n%s", diff)
		}
		assertJTI(t, got.ID)
		assertHeader(t, tok)
	})

	t.Run("refresh new family", func(t *testing.T) {
		tok, issued, err := tk.IssueRefresh(7, "")
		if err != nil {
			t.Fatal(err)
		}
		want := Claims{UserID: 7, IssuedAt: testNow, ExpiresAt: testNow.Add(DefaultRefreshTTL), Type: TypeRefresh}
		if diff := cmp.Diff(want, issued, ignoreRandom); diff != "" {
			t.Errorf("issued claims (-want +got):\n%s", diff)
		}
		assertJTI(t, issued.Family) // a new family is also 128 random bits
		got, err := tk.ParseRefresh(tok)
		if err != nil {
			t.Fatalf("ParseRefresh: %v", err)
		}
		if diff := cmp.Diff(issued, got); diff != "" {
			t.Errorf("parsed claims (-issued +parsed):\n%s", diff)
		}
		assertHeader(t, tok)

		// Rotation keeps the family and changes the jti.
		tok2, rotated, err := tk.IssueRefresh(7, got.Family)
		if err != nil {
			t.Fatal(err)
		}
		got2, err := tk.ParseRefresh(tok2)
		if err != nil {
			t.Fatal(err)
		}
		if got2.Family != got.Family || got2.ID == got.ID || rotated.ID != got2.ID {
			t.Errorf("rotation: family %q->%q, jti %q->%q", got.Family, got2.Family, got.ID, got2.ID)
		}
	})

	t.Run("max user ID", func(t *testing.T) {
		tok, _, err := tk.IssueAccess(1<<63 - 1)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tk.ParseAccess(tok)
		if err != nil || got.UserID != 1<<63-1 {
			t.Fatalf("ParseAccess = %d, %v", got.UserID, err)
		}
	})
}

func TestIssueRejects(t *testing.T) {
	tk, _ := newTestTokens(t, nil)
	for _, id := range []int64{0, -1} {
		if _, _, err := tk.IssueAccess(id); err == nil {
			t.Errorf("IssueAccess(%d) succeeded", id)
		}
		if _, _, err := tk.IssueRefresh(id, ""); err == nil {
			t.Errorf("IssueRefresh(%d) succeeded", id)
		}
	}
	if _, _, err := tk.IssueRefresh(1, strings.Repeat("f", 129)); err == nil {
		t.Error("IssueRefresh with a 129-byte family succeeded")
	}
}

func TestJTIUnique(t *testing.T) {
	tk, _ := newTestTokens(t, nil)
	seen := map[string]bool{}
	for range 200 {
		_, c, err := tk.IssueAccess(1)
		if err != nil {
			t.Fatal(err)
		}
		if seen[c.ID] {
			t.Fatalf("duplicate jti %q", c.ID)
		}
		seen[c.ID] = true
	}
}

func assertJTI(t *testing.T, id string) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil || len(b) != 16 {
		t.Errorf("id %q is not 128 bits of base64url: %d bytes, %v", id, len(b), err)
	}
}

func assertHeader(t *testing.T, tok string) {
	t.Helper()
	h, _, _ := strings.Cut(tok, ".")
	b, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"alg": "HS256", "typ": "JWT"}, got); diff != "" {
		t.Errorf("JOSE header (-want +got):\n%s", diff)
	}
}

// flip returns tok with one byte of segment seg (0 header, 1 payload,
// 2 signature) changed to another base64url character, away from the
// segment's last character, whose low bits may be padding.
func flip(tok string, seg int) string {
	parts := strings.Split(tok, ".")
	b := []byte(parts[seg])
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	parts[seg] = string(b)
	return strings.Join(parts, ".")
}

// swapPayload decodes tok's payload, applies with(kv...), and re-encodes it
// under the original header and signature.
func swapPayload(t *testing.T, tok string, kv ...any) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	b, err = json.Marshal(with(m, kv...))
	if err != nil {
		t.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}

func TestParseRejects(t *testing.T) {
	tk, clk := newTestTokens(t, nil)
	access, _, err := tk.IssueAccess(42)
	if err != nil {
		t.Fatal(err)
	}
	refresh, _, err := tk.IssueRefresh(42, "")
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signWith := func(m jwt.SigningMethod, key any) string {
		s, err := jwt.NewWithClaims(m, jwt.MapClaims(validPayload())).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	hs := signHS256(testSecret)

	// Sanity: the hand-crafted valid token is accepted, so each case below
	// fails for the one reason it names.
	if _, err := tk.ParseAccess(craft(t, hs256Header, validPayload(), hs)); err != nil {
		t.Fatalf("crafted baseline rejected: %v", err)
	}

	tests := []struct {
		name   string
		token  string
		parse  func(string) (Claims, error)
		before func() // runs before parsing; the clock is reset after
	}{
		{name: "empty", token: ""},
		{name: "garbage", token: "not a token"},
		{name: "two dots garbage", token: "a.b.c"},
		{name: "four segments", token: access + ".x"},
		{name: "huge", token: strings.Repeat("A", 1<<20)},
		{name: "huge with dots", token: strings.Repeat("A", 1<<19) + "." + strings.Repeat("B", 1<<19) + ".C"},
		{name: "alg none unsigned", token: craft(t, map[string]any{"alg": "none", "typ": "JWT"}, validPayload(), nil)},
		{name: "alg none with HS256 signature", token: craft(t, map[string]any{"alg": "none", "typ": "JWT"}, validPayload(), hs)},
		{name: "alg None", token: craft(t, map[string]any{"alg": "None", "typ": "JWT"}, validPayload(), nil)},
		{name: "alg missing", token: craft(t, map[string]any{"typ": "JWT"}, validPayload(), hs)},
		{name: "tampered header", token: flip(access, 0)},
		{name: "tampered payload", token: flip(access, 1)},
		{name: "tampered signature", token: flip(access, 2)},
		// A well-formed payload naming another user, under the original
		// signature: only the signature check can catch it.
		{name: "payload swapped", token: swapPayload(t, access, "sub", "43")},
		{name: "payload type swapped", token: swapPayload(t, refresh, "typ", TypeAccess, "fam", nil)},
		{name: "signature stripped", token: access[:strings.LastIndex(access, ".")+1]},
		{name: "wrong secret", token: craft(t, hs256Header, validPayload(), signHS256([]byte("another secret of at least 32 bytes!!")))},
		{name: "HS384 with secret", token: signWith(jwt.SigningMethodHS384, testSecret)},
		{name: "HS512 with secret", token: signWith(jwt.SigningMethodHS512, testSecret)},
		// The classic confusion: header says RS256, HMAC-signed with the
		// server's key material, hoping the verifier uses it as an RSA key.
		{name: "RS256 header HMAC signed", token: craft(t, map[string]any{"alg": "RS256", "typ": "JWT"}, validPayload(), hs)},
		{name: "RS256 real signature", token: signWith(jwt.SigningMethodRS256, rsaKey)},
		{name: "ES256 real signature", token: signWith(jwt.SigningMethodES256, ecKey)},
		{name: "header typ missing", token: craft(t, map[string]any{"alg": "HS256"}, validPayload(), hs)},
		{name: "header typ other", token: craft(t, map[string]any{"alg": "HS256", "typ": "at+jwt"}, validPayload(), hs)},
		{name: "crit header", token: craft(t, map[string]any{"alg": "HS256", "typ": "JWT", "crit": []string{"x"}, "x": 1}, validPayload(), hs)},
		{name: "wrong audience", token: craft(t, hs256Header, with(validPayload(), "aud", []string{"other"}), hs)},
		{name: "audience missing", token: craft(t, hs256Header, with(validPayload(), "aud", nil), hs)},
		{name: "wrong issuer", token: craft(t, hs256Header, with(validPayload(), "iss", "https://evil.test"), hs)},
		{name: "issuer missing", token: craft(t, hs256Header, with(validPayload(), "iss", nil), hs)},
		{name: "exp missing", token: craft(t, hs256Header, with(validPayload(), "exp", nil), hs)},
		{name: "exp string", token: craft(t, hs256Header, with(validPayload(), "exp", "soon"), hs)},
		{name: "exp in the past", token: craft(t, hs256Header, with(validPayload(), "exp", testNow.Add(-time.Second).Unix()), hs)},
		{name: "nbf in the future", token: craft(t, hs256Header, with(validPayload(), "nbf", testNow.Add(time.Minute).Unix()), hs)},
		{name: "nbf missing", token: craft(t, hs256Header, with(validPayload(), "nbf", nil), hs)},
		{name: "iat in the future", token: craft(t, hs256Header, with(validPayload(), "iat", testNow.Add(time.Minute).Unix()), hs)},
		{name: "iat missing", token: craft(t, hs256Header, with(validPayload(), "iat", nil), hs)},
		{name: "iat after exp", token: craft(t, hs256Header, with(validPayload(), "iat", testNow.Unix(), "exp", testNow.Unix()), hs)},
		{name: "typ missing", token: craft(t, hs256Header, with(validPayload(), "typ", nil), hs)},
		{name: "typ other", token: craft(t, hs256Header, with(validPayload(), "typ", "id"), hs)},
		{name: "access with family", token: craft(t, hs256Header, with(validPayload(), "fam", "f"), hs)},
		{name: "sub missing", token: craft(t, hs256Header, with(validPayload(), "sub", nil), hs)},
		{name: "sub zero", token: craft(t, hs256Header, with(validPayload(), "sub", "0"), hs)},
		{name: "sub negative", token: craft(t, hs256Header, with(validPayload(), "sub", "-5"), hs)},
		{name: "sub plus sign", token: craft(t, hs256Header, with(validPayload(), "sub", "+5"), hs)},
		{name: "sub leading zero", token: craft(t, hs256Header, with(validPayload(), "sub", "05"), hs)},
		{name: "sub name", token: craft(t, hs256Header, with(validPayload(), "sub", "alice"), hs)},
		{name: "sub overflow", token: craft(t, hs256Header, with(validPayload(), "sub", "9223372036854775808"), hs)},
		{name: "sub number", token: craft(t, hs256Header, with(validPayload(), "sub", 42), hs)},
		{name: "jti missing", token: craft(t, hs256Header, with(validPayload(), "jti", nil), hs)},
		{name: "payload not an object", token: craft(t, hs256Header, []int{1, 2}, hs)},
		{name: "refresh given to ParseAccess", token: refresh},
		{name: "access given to ParseRefresh", token: access, parse: tk.ParseRefresh},
		{name: "refresh without family", token: craft(t, hs256Header, with(validPayload(), "typ", TypeRefresh), hs), parse: tk.ParseRefresh},
		{name: "access expired", token: access, before: func() { clk.Set(testNow.Add(DefaultAccessTTL)) }},
		{name: "refresh expired", token: refresh, parse: tk.ParseRefresh, before: func() { clk.Set(testNow.Add(DefaultRefreshTTL + time.Second)) }},
		{name: "access before issue", token: access, before: func() { clk.Set(testNow.Add(-time.Second)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parse := tt.parse
			if parse == nil {
				parse = tk.ParseAccess
			}
			if tt.before != nil {
				tt.before()
				defer clk.Set(testNow)
			}
			got, err := parse(tt.token)
			t.Logf("err: %.200v", err)
			if !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("err = %v, want ErrInvalidToken", err)
			}
			if diff := cmp.Diff(Claims{}, got); diff != "" {
				t.Errorf("claims returned with error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseOtherIssuerOrAudienceConfig(t *testing.T) {
	tk, _ := newTestTokens(t, nil)
	tok, _, err := tk.IssueAccess(1)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		mod  func(*TokenOptions)
	}{
		{"other issuer", func(o *TokenOptions) { o.Issuer = "https://other.test" }},
		{"other audience", func(o *TokenOptions) { o.Audience = "other" }},
		{"other secret", func(o *TokenOptions) { o.Secret = []byte("a completely different secret of 32+ bytes") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other, _ := newTestTokens(t, tt.mod)
			if _, err := other.ParseAccess(tok); !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("err = %v, want ErrInvalidToken", err)
			}
		})
	}
}

func TestLeeway(t *testing.T) {
	tk, clk := newTestTokens(t, func(o *TokenOptions) { o.Leeway = 30 * time.Second })
	tok, _, err := tk.IssueAccess(1)
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(testNow.Add(DefaultAccessTTL + 29*time.Second))
	if _, err := tk.ParseAccess(tok); err != nil {
		t.Errorf("within leeway: %v", err)
	}
	clk.Set(testNow.Add(DefaultAccessTTL + 30*time.Second))
	if _, err := tk.ParseAccess(tok); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("past leeway: err = %v, want ErrInvalidToken", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	tk, _ := newTestTokens(t, nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 50 {
				tok, issued, err := tk.IssueAccess(int64(i + 1))
				if err != nil {
					t.Error(err)
					return
				}
				got, err := tk.ParseAccess(tok)
				if err != nil || got != issued {
					t.Errorf("ParseAccess = %+v, %v; want %+v", got, err, issued)
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkParseAccess(b *testing.B) {
	tk, _ := newTestTokens(b, nil)
	tok, _, err := tk.IssueAccess(1)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := tk.ParseAccess(tok); err != nil {
			b.Fatal(err)
		}
	}
}
