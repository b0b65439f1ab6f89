package web

import (
	"mime"
	"net/url"
	"strings"
	"testing"

	"pastel/internal/paste"
)

// FuzzSafeNext: whatever ?next= says, sign-in only ever redirects to a path
// on this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/settings", "//evil.example", "/\\evil", "https://evil.example/", "javascript:alert(1)", "/%2F%2Fevil", "/a?b=c#d", "\x00/", "/\t/evil", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") {
			t.Fatalf("safeNext(%q) = %q", next, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" || u.User != nil {
			t.Fatalf("safeNext(%q) = %q leaves the site", next, got)
		}
		// A browser resolves the Location against the site: it must stay there.
		base, _ := url.Parse("https://pastel.example/login")
		if r := base.ResolveReference(u); r.Host != "pastel.example" {
			t.Fatalf("safeNext(%q) = %q resolves to %s", next, got, r)
		}
	})
}

// FuzzContentDisposition: any title gives a header that parses back as an
// attachment with a file name and no header injection.
func FuzzContentDisposition(f *testing.F) {
	for _, s := range []string{"main.go", "a\"b.txt", "ünïcödé.md", "x\r\nSet-Cookie: a=b", "../../etc/passwd", "", "a;b=c.txt", strings.Repeat("a", 300) + ".go"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		h := contentDisposition(paste.Paste{ID: "Abc12345", Title: title}, "txt")
		if strings.ContainsAny(h, "\r\n\x00") {
			t.Fatalf("header injection: %q", h)
		}
		typ, params, err := mime.ParseMediaType(h)
		if err != nil || typ != "attachment" || params["filename"] == "" {
			t.Fatalf("%q → %q: %v %v", title, h, typ, err)
		}
		if strings.ContainsAny(params["filename"], "/\\") {
			t.Fatalf("file name with a path: %q", params["filename"])
		}
	})
}
