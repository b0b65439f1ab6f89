package paste

import "testing"

// TestSniffContentType: only the bytes decide; text stays text whatever it
// starts with, images are told by their signatures, SVG is text.
func TestSniffContentType(t *testing.T) {
	cases := map[string]struct {
		in   string
		want string
	}{
		"go":        {"package main\n", ""},
		"ansi log":  {"\x1b[31merror\x1b[0m: failed\n", ""},
		"svg":       {`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, ""},
		"latin-1":   {"caf\xe9 cr\xe8me\n", ""},
		"png":       {"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"},
		"gif":       {"GIF89a\x01\x00\x01\x00\x00\x00", "image/gif"},
		"nul bytes": {"abc\x00def", "application/octet-stream"},
		"zip":       {"PK\x03\x04\x14\x00\x00\x00\x08\x00", "application/zip"},
		"jpeg":      {"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"},
		"webp":      {"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"},
		"pdf":       {"%PDF-1.7\n\x00\x01", "application/pdf"},
		"controls":  {"\x01\x02\x03\x04\xff\xfe", "application/octet-stream"},
	}
	for name, tc := range cases {
		if got := sniffContentType([]byte(tc.in)); got != tc.want {
			t.Errorf("%s: %q, want %q", name, got, tc.want)
		}
	}
}

// TestCheckFileName: safe names pass; slashes, dots, controls, bidi and
// zero-width tricks do not.
func TestCheckFileName(t *testing.T) {
	for _, ok := range []string{"main.go", "README", "a b.txt", "données.csv", ".env", "x.tar.gz"} {
		if msg := CheckFileName(ok); msg != "" {
			t.Errorf("%q: %s", ok, msg)
		}
	}
	for _, bad := range []string{"", ".", "..", "a/b", `a\b`, "a\x00b", "a\nb", "gpj.\u202eexe", "a\u200bb", "a\u2066b", " lead", "trail ", string(make([]byte, 101))} {
		if CheckFileName(bad) == "" {
			t.Errorf("%q passed", bad)
		}
	}
	if got := FileAnchor("Main.go"); got != "file-main-go" {
		t.Errorf("anchor %q", got)
	}
	if got := FileAnchors([]File{{Name: "a.go"}, {Name: "a-go"}}); got[0] != "file-a-go" || got[1] != "file-a-go-2" {
		t.Errorf("anchors %v", got)
	}
}
