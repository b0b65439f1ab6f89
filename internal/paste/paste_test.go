package paste

import (
	"strings"
	"testing"
	"time"
)

func TestNewIDShapes(t *testing.T) {
	seen := map[ID]bool{}
	for i := 0; i < 2000; i++ {
		pub, unl := NewID(Public), NewID(Unlisted)
		if len(pub) != ShortIDLen || len(unl) != SecretIDLen || len(NewID(Private)) != SecretIDLen {
			t.Fatalf("lengths %d %d", len(pub), len(unl))
		}
		if !ValidID(string(pub)) || !ValidID(string(unl)) {
			t.Fatalf("generated invalid id %q %q", pub, unl)
		}
		if seen[unl] {
			t.Fatal("secret id repeated")
		}
		seen[unl] = true
	}
	for _, bad := range []string{"", "short", "has/slash", "12345678901234567890123", "../../..", "abcdefg!", "ÄÖÜabcde"} {
		if ValidID(bad) {
			t.Errorf("ValidID(%q) = true", bad)
		}
	}
}

func TestSecretMatches(t *testing.T) {
	tok, hash := NewSecret()
	if !SecretMatches(tok, hash) || SecretMatches(tok+"x", hash) || SecretMatches("", hash) || SecretMatches(tok, nil) {
		t.Fatal("secret comparison wrong")
	}
}

func TestExpiries(t *testing.T) {
	for _, code := range []string{"10m", "1h", "1d", "1w", "2w", "1M", "6M", "1y", "never", ""} {
		if _, ok := LookupExpiry(code); !ok {
			t.Errorf("%q refused", code)
		}
	}
	for _, code := range []string{"1m", "5y", "forever", "1D"} {
		if _, ok := LookupExpiry(code); ok {
			t.Errorf("%q accepted", code)
		}
	}
	p := Paste{ExpiresAt: time.Unix(100, 0)}
	if p.Expired(time.Unix(99, 0)) || !p.Expired(time.Unix(100, 0)) || (Paste{}).Expired(time.Now()) {
		t.Fatal("Expired boundary wrong: a paste is gone at its expiry instant")
	}
}

func TestCursorRoundTrip(t *testing.T) {
	c := Cursor{CreatedAt: time.Date(2026, 5, 6, 7, 8, 9, 123456000, time.UTC), ID: "Abc12345"}
	got, err := DecodeCursor(c.Encode())
	if err != nil || *got != c {
		t.Fatalf("round trip %v %v", got, err)
	}
	for _, bad := range []string{"!!!", "bm90aGluZw", "MTIzOg"} {
		if _, err := DecodeCursor(bad); err == nil {
			t.Errorf("cursor %q accepted", bad)
		}
	}
}

func TestCheckText(t *testing.T) {
	cases := map[string]bool{
		"fine title":                         true,
		"emoji 🎉 and accents é":              true,
		"nul\x00":                            false,
		"tab\there":                          false,
		"newline\n":                          false,
		"esc\x1b[31m":                        false,
		"\xff\xfe":                           false,
		"bidi \u202e":                        false,
		strings.Repeat("a", MaxTitleRunes):   true,
		strings.Repeat("a", MaxTitleRunes+1): false,
	}
	for in, ok := range cases {
		if got := CheckText(in, MaxTitleRunes) == ""; got != ok {
			t.Errorf("CheckText(%q) ok=%v, want %v", in, got, ok)
		}
	}
	for in, ok := range map[string]bool{"": true, "https://a.example/x?y": true, "http://a": true, "javascript:alert(1)": false, "ftp://x": false, "//evil": false, "data:text/html,x": false} {
		if got := CheckSourceURL(in) == ""; got != ok {
			t.Errorf("CheckSourceURL(%q) ok=%v, want %v", in, got, ok)
		}
	}
}

func TestValidationErrorMessage(t *testing.T) {
	var v ValidationError
	if v.Err() != nil {
		t.Fatal("empty error not nil")
	}
	v.Add("b", "second")
	v.Add("a", "first")
	v.Add("a", "ignored")
	if v.Err() == nil || v.Error() != "invalid input: a: first; b: second" {
		t.Fatalf("got %q", v.Error())
	}
}
