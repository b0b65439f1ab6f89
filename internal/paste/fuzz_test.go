package paste

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzCheckText: what CheckText accepts is valid UTF-8 without NUL or
// control characters, within the length limit.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"title", "a\x00b", "\xff", "tab\t", "é🎉", "\u202e", strings.Repeat("x", 201)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckText(s, MaxTitleRunes) != "" {
			return
		}
		if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxTitleRunes {
			t.Fatalf("accepted %q", s)
		}
		for _, r := range s {
			if r == 0 || unicode.IsControl(r) {
				t.Fatalf("accepted control character in %q", s)
			}
		}
	})
}

// FuzzDecodeCursor: cursors never panic and what decodes re-encodes to a
// cursor that decodes the same.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(Cursor{ID: "Abc12345"}.Encode())
	f.Add("!!!")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := DecodeCursor(s)
		if err != nil || c == nil {
			return
		}
		again, err := DecodeCursor(c.Encode())
		if err != nil || *again != *c {
			t.Fatalf("cursor %q does not round-trip", s)
		}
	})
}
