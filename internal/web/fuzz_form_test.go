package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
	"pastel/internal/render"
)

// FuzzDecodePasteForm sends arbitrary field values through the new-paste
// form's decoding, urlencoded and multipart: every value arrives as sent
// (the body with CRLF as LF), the form shows a source address only when it
// is http or https, and nothing panics.
func FuzzDecodePasteForm(f *testing.F) {
	syntaxes := render.NewSyntaxes()
	// The form asks the service only for the expiry policy.
	svc := paste.NewService(nil, nil, syntaxes, paste.Options{MaxBytes: 1 << 20})
	a := &App{deps: Deps{Syntaxes: syntaxes, Pastes: svc}, opts: Options{MaxPasteBytes: 1 << 20}}
	var form struct {
		in paste.CreateInput
		sa string
	}
	app := fiber.New()
	app.Post("/", func(c *fiber.Ctx) error {
		pf, in := a.decodePasteForm(c)
		form.in, form.sa = in, pf.SourceURL
		return nil
	})
	for _, s := range [][4]string{
		{"main.go", "package main\r\n", "go", ""},
		{"", "", "", "javascript:alert(1)"},
		{"<script>", "a\r\r\nb\n\r", "auto", "https://example.com/x"},
		{"\x00", "\xff\xfe", "\u202e", "HTTPS://EXAMPLE.COM"},
		{"a=b&c=d", "%00%zz", "+ +", "//evil.example"},
		{strings.Repeat("t", 300), "--boundary\r\n", "markdown", "http://[::1]/"},
	} {
		f.Add(s[0], s[1], s[2], s[3], false)
		f.Add(s[0], s[1], s[2], s[3], true)
	}
	f.Fuzz(func(t *testing.T, title, content, syntax, source string, multi bool) {
		var req *http.Request
		fields := [][2]string{{"title", title}, {"content", content}, {"syntax", syntax}, {"source_url", source}}
		if multi {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			for _, kv := range fields {
				w.WriteField(kv[0], kv[1])
			}
			w.Close()
			req = httptest.NewRequest("POST", "/", &buf)
			req.Header.Set("Content-Type", w.FormDataContentType())
		} else {
			vals := url.Values{}
			for _, kv := range fields {
				vals.Set(kv[0], kv[1])
			}
			req = httptest.NewRequest("POST", "/", strings.NewReader(vals.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatalf("the form did not decode: %v", err)
		}
		resp.Body.Close()
		in := form.in
		if in.Title != title || in.Syntax != syntax || in.SourceURL != source {
			t.Fatalf("fields changed: title %q→%q syntax %q→%q source %q→%q", title, in.Title, syntax, in.Syntax, source, in.SourceURL)
		}
		if want := strings.ReplaceAll(content, "\r\n", "\n"); string(in.Content) != want {
			t.Fatalf("content %q→%q", content, in.Content)
		}
		if sa := strings.ToLower(form.sa); sa != "" && !strings.HasPrefix(sa, "http://") && !strings.HasPrefix(sa, "https://") {
			t.Fatalf("the form would link %q", sa)
		}
	})
}
