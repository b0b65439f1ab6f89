package paste

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPreviewOf(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"one", "one"},
		{"a\nb\nc\nd", "a\nb\nc"},
		{"a\r\nb\r\n", "a\nb"},
		{"x  \n\n\n\n", "x"},
		{strings.Repeat("é", 400), strings.Repeat("é", 150)}, // 300 bytes, cut between characters
		{strings.Repeat("ab", 200) + "\nnext", strings.Repeat("ab", 150)},
	} {
		got := PreviewOf(tc.in)
		if got != tc.want {
			t.Errorf("PreviewOf(%.30q) = %.40q, want %.40q", tc.in, got, tc.want)
		}
		if len(got) > PreviewBytes || !utf8.ValidString(got) {
			t.Errorf("PreviewOf(%.30q) is %d bytes, valid UTF-8 %v", tc.in, len(got), utf8.ValidString(got))
		}
	}
	// A three-byte character across the cut is dropped whole.
	if got := PreviewOf("a" + strings.Repeat("€", 200)); len(got) != 298 || !utf8.ValidString(got) {
		t.Errorf("cut in a character: %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}

func TestListPreviewNeverForPrivateOrBurn(t *testing.T) {
	for _, tc := range []struct {
		p    Paste
		want string
	}{
		{Paste{Visibility: Public, Preview: "x"}, "x"},
		{Paste{Visibility: Unlisted, Preview: "x"}, "x"},
		{Paste{Visibility: Private, Preview: "x"}, ""},
		{Paste{Visibility: Public, BurnAfterReading: true, Preview: "x"}, ""},
	} {
		if got := tc.p.ListPreview(); got != tc.want {
			t.Errorf("%s burn=%v: ListPreview = %q, want %q", tc.p.Visibility, tc.p.BurnAfterReading, got, tc.want)
		}
	}
}
