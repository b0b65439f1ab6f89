package paste

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Query
	}{
		{"", Query{}},
		{"fmt.Println user_id", Query{Terms: []Term{{Text: "fmt.Println"}, {Text: "user_id"}}}},
		{`"exact  phrase" word`, Query{Terms: []Term{{Text: "exact phrase", Phrase: true}, {Text: "word"}}}},
		{`go -java -"bad idea"`, Query{Terms: []Term{{Text: "go"}}, Excluded: []Term{{Text: "java"}, {Text: "bad idea", Phrase: true}}}},
		{`"unterminated phrase`, Query{Terms: []Term{{Text: "unterminated phrase", Phrase: true}}}},
		{`- -- "" "-"`, Query{}},
		{`"one"`, Query{Terms: []Term{{Text: "one"}}}},
		{"a\x00b\tc", Query{Terms: []Term{{Text: "a"}, {Text: "b"}, {Text: "c"}}}},
		{"visibility:=private", Query{Terms: []Term{{Text: "visibility:=private"}}}},
	} {
		if diff := cmp.Diff(tc.want, ParseQuery(tc.in)); diff != "" {
			t.Errorf("ParseQuery(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

// FuzzParseQuery: parsing never panics, terms are bounded, non-empty,
// valid UTF-8 without quotes in words or control characters, and the
// rendered query parses back to itself.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`"a b" -c d`, `"`, `-"`, "- -", "`x`", "a&&b||c", "\xff\xfe", `"x" "y`, strings.Repeat("w ", 40), "fmt.Println(\"hi\")"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		if n := len(q.Terms) + len(q.Excluded); n > MaxQueryTerms {
			t.Fatalf("%d terms", n)
		}
		for _, term := range append(append([]Term{}, q.Terms...), q.Excluded...) {
			if term.Text == "" || !utf8.ValidString(term.Text) || strings.ContainsAny(term.Text, "\"\x00\t\n") {
				t.Fatalf("bad term %q from %q", term.Text, s)
			}
			if !term.Phrase && strings.Contains(term.Text, " ") {
				t.Fatalf("word with a space %q", term.Text)
			}
		}
		if diff := cmp.Diff(q, ParseQuery(q.String())); diff != "" {
			t.Fatalf("round trip of %q via %q:\n%s", s, q.String(), diff)
		}
	})
}

func TestSnippetIsEscapedText(t *testing.T) {
	q := ParseQuery("script fmt.Println")
	s := MakeSnippet(`<script>alert(1)</script> then fmt.Println("<b>")`, q, 200)
	got := s.HTML()
	want := `&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; then <mark>fmt.Println</mark>(&#34;&lt;b&gt;&#34;)`
	if got != want {
		t.Fatalf("HTML() = %s\nwant     %s", got, want)
	}
	// Engine marks are honoured, but nothing else in the text is markup.
	m := SnippetFromMarked("a \uE000<i>b</i>\uE001 c\uE000")
	if got := m.HTML(); got != "a <mark>&lt;i&gt;b&lt;/i&gt;</mark> c" {
		t.Fatalf("SnippetFromMarked: %s", got)
	}
}

func TestSearchTextStripsWhatTextCannotHold(t *testing.T) {
	if got := SearchText([]byte("a\x00b\uE000c")); got != "abc" {
		t.Errorf("got %q", got)
	}
	if got := SearchText([]byte{0xff, 0xfe, 0xfd, 'a'}); got != "" {
		t.Errorf("binary body indexed as %q", got)
	}
	big := strings.Repeat("é", MaxSearchTextKB<<10)
	if got := SearchText([]byte(big)); len(got) > MaxSearchTextKB<<10 || !utf8.ValidString(got) {
		t.Errorf("cap: %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}

// TestSnippetShortWordsMarkWholeWords: a one- or two-letter query word marks
// that word, not every letter inside other words; longer words still mark
// inside identifiers (HTTPHeader in parseHTTPHeader).
func TestSnippetShortWordsMarkWholeWords(t *testing.T) {
	tests := []struct{ q, text, want string }{
		{"a", "banana a cat, (a)", "banana <mark>a</mark> cat, (<mark>a</mark>)"},
		{"go", "going to go: Go!", "going to <mark>go</mark>: <mark>Go</mark>!"},
		{"é", "café é", "café <mark>é</mark>"},
		{"a alpha", "alpha a", "<mark>alpha</mark> <mark>a</mark>"},
		{"HTTPHeader", "parseHTTPHeader()", "parse<mark>HTTPHeader</mark>()"},
		{"x", "no match here", "no match here"},
	}
	for _, tt := range tests {
		if got := MakeSnippet(tt.text, ParseQuery(tt.q), 200).HTML(); got != tt.want {
			t.Errorf("%q in %q:\n got %s\nwant %s", tt.q, tt.text, got, tt.want)
		}
	}
	// Engines that match prefixes mark "a" in "apple"; that mark goes.
	if got := SnippetFromMarked("\uE000a\uE001pple \uE000a\uE001 \uE000apple\uE001").HTML(); got != "apple <mark>a</mark> <mark>apple</mark>" {
		t.Errorf("SnippetFromMarked short prefix marks: %s", got)
	}
	// The excerpt starts near the whole word, not at the first letter a.
	long := "a" + strings.Repeat("b", 1000) + " a end"
	if got := MakeSnippet(long, ParseQuery("a"), 40).HTML(); !strings.Contains(got, "<mark>a</mark> end") {
		t.Errorf("excerpt %s: want it around the word", got)
	}
}
