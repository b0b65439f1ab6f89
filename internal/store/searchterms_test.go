package store

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestIndexTerms(t *testing.T) {
	long := strings.Repeat("abc_", 20) // 80 bytes: longer than maxIndexWordBytes
	tests := []struct {
		name, in, want string
	}{
		{"ordinary words stay", "func parseHTTPHeader(h string) error", "func parseHTTPHeader(h string) error"},
		{"short compounds stay", "see file.go, fmt.Println and user_id at https://example.org/a?b=1 or me@example.org",
			"see file.go, fmt.Println and user_id at https://example.org/a?b=1 or me@example.org"},
		{"no tag or comment starts", "<!-- hidden --><a href=\"x\">link</a>", " !-- hidden --> a href=\"x\">link /a>"},
		{"separators are spaces", "a\tb\r\nc\u00a0d\u2028e\x01f", "a b  c d e f"},
		{"long words keep their letters and digits", long + " tail", strings.Repeat("abc ", 20) + " tail"},
		{"long words keep non-ASCII letters and marks", strings.Repeat("e\u0301t/", 20), strings.Repeat("e\u0301t ", 20)},
		{"invalid UTF-8 is a space", "a\xffb", "a b"},
		{"a long pure word stays whole", strings.Repeat("x", 100), strings.Repeat("x", 100)},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := indexTerms(tt.in); got != tt.want {
				t.Errorf("indexTerms(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// checkIndexTerms asserts what makes the terms cheap to parse: no '<', no
// separator other than ' ', every word longer than maxIndexWordBytes made
// of letters, digits and marks only, and no longer than the input.
func checkIndexTerms(t *testing.T, in, got string) {
	t.Helper()
	if len(got) > len(in) {
		t.Fatalf("terms of %d bytes from %d", len(got), len(in))
	}
	if !utf8.ValidString(got) {
		t.Fatalf("terms not UTF-8: %q", got)
	}
	for _, w := range strings.Split(got, " ") {
		for _, r := range w {
			if r == '<' || unicode.IsSpace(r) || unicode.IsControl(r) {
				t.Fatalf("word %q holds %q", w, r)
			}
			if len(w) > maxIndexWordBytes && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
				t.Fatalf("long word %q holds %q", w, r)
			}
		}
	}
}

func FuzzIndexTerms(f *testing.F) {
	for _, s := range []string{"", "<!--<!--", "./././", "~/~/", "abc_abc_abc_", "a1_a1_", "https://x.org/a_b/c.go?x=1",
		"me@example.org", "foo-bar-baz", "é\u0301\u00a0<a b=c>", "\xff\xfe", strings.Repeat("a_", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := indexTerms(in)
		checkIndexTerms(t, in, got)
		if again := indexTerms(got); again != got {
			t.Fatalf("not idempotent: %q then %q", got, again)
		}
		// A word short enough reaches the index as typed.
		for _, w := range strings.Fields(in) {
			if len(w) <= maxIndexWordBytes && utf8.ValidString(w) && !strings.ContainsFunc(w, func(r rune) bool {
				return r == '<' || unicode.IsControl(r) || unicode.IsSpace(r)
			}) && !strings.Contains(got, w) {
				t.Fatalf("word %q lost from %q", w, got)
			}
		}
	})
}
