package web_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"pastel/internal/paste"
)

// xssCorpus is sent through every field; none of it may become markup.
var xssCorpus = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`'><svg/onload=alert(1)>`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`<a href="javascript:alert(1)">x</a>`,
	`[click](javascript:alert(1))`,
	`[click](JaVaScRiPt:alert(1))`,
	`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`<a hx-get="/api/v1/pastes" hx-trigger="load">x</a>`,
	`<div hx-post="/" hx-trigger="load">x</div>`,
	`![x](x" onerror="alert(1))`,
	`<details open ontoggle=alert(1)>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<style>body{display:none}</style>`,
	`<form action="https://evil.example"><button>go</button></form>`,
	`<object data="javascript:alert(1)">`,
	`<base href="https://evil.example/">`,
	`<meta http-equiv="refresh" content="0;url=https://evil.example">`,
	"\u202egnp.exe",
	"zero\u200bwidth",
}

// checkInert fails when a page carries markup an attacker could have made.
func checkInert(t *testing.T, where string, doc *goquery.Document) {
	t.Helper()
	// Pastel's own two: the preferences script in <head> (theme before
	// paint) and the bundle; both from /static/, with the nonce, no code.
	if n := doc.Find("script").Length(); n > 2 {
		t.Fatalf("%s: %d script elements", where, n)
	}
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		src, _ := s.Attr("src")
		if _, ok := s.Attr("nonce"); !ok || strings.TrimSpace(s.Text()) != "" || !strings.HasPrefix(src, "/static/") {
			t.Fatalf("%s: a script without nonce, with inline code or from elsewhere (%q)", where, src)
		}
	})
	for _, tag := range []string{"iframe", "object", "embed", "svg", "math", "style", "base", "img[onerror]", "details", "meta[http-equiv]"} {
		// The paste page's Share menu is Pastel's own <details>.
		if doc.Find(tag).Not(`[data-testid="share-menu"]`).Length() > 0 {
			t.Fatalf("%s: found <%s>", where, tag)
		}
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			name := strings.ToLower(a.Key)
			val := strings.ToLower(strings.TrimSpace(a.Val))
			if strings.HasPrefix(name, "on") || name == "style" {
				t.Fatalf("%s: attribute %s=%q", where, a.Key, a.Val)
			}
			if strings.HasPrefix(name, "hx-") && name != "hx-post" && name != "hx-target" && name != "hx-swap" && name != "hx-headers" && name != "hx-get" && name != "hx-trigger" && name != "hx-select" && name != "hx-push-url" && name != "hx-indicator" && name != "hx-confirm" && name != "hx-disabled-elt" {
				t.Fatalf("%s: unexpected htmx attribute %s", where, a.Key)
			}
			if (name == "href" || name == "src" || name == "action" || name == "formaction") &&
				(strings.HasPrefix(val, "javascript:") || strings.HasPrefix(val, "data:") || strings.HasPrefix(val, "vbscript:")) {
				t.Fatalf("%s: %s=%q", where, a.Key, a.Val)
			}
		}
	})
	// htmx attributes may only come from Pastel's own templates, never inside
	// the paste body.
	if doc.Find(`[data-testid="code"] [hx-get], [data-testid="code"] [hx-post], .markdown [hx-get], .markdown [hx-post], .markdown [hx-trigger]`).Length() > 0 {
		t.Fatalf("%s: htmx attribute inside user content", where)
	}
}

func TestXSSCorpusIsInertEverywhere(t *testing.T) {
	e := newEnv(t)
	for _, payload := range xssCorpus {
		for _, syntax := range []string{"text", "html", "markdown", "auto"} {
			p := e.create(paste.CreateInput{Title: strings.ReplaceAll(payload, "\u202e", ""), Content: []byte(payload + "\n" + payload), Syntax: syntax})
			id := string(p.ID)
			resp, body := e.get("/" + id)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("page for %q (%s) = %d", payload, syntax, resp.StatusCode)
			}
			checkInert(t, "page "+syntax+" "+payload, parse(t, body))
			if syntax == "markdown" {
				_, body = e.get("/" + id + "?view=source")
				checkInert(t, "source "+payload, parse(t, body))
			}
			resp, body = e.get("/raw/" + id)
			if resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" || !strings.HasPrefix(string(body), payload) {
				t.Fatalf("raw for %q: %s", payload, resp.Header.Get("Content-Type"))
			}
		}
	}
	_, body := e.get("/explore")
	checkInert(t, "explore", parse(t, body))
	// A hostile syntax name never reaches a page: it is refused.
	if _, err := e.svc.Create(t.Context(), paste.Anonymous, paste.CreateInput{Content: []byte("x"), Syntax: `"><script>alert(1)</script>`}); err == nil {
		t.Fatal("hostile syntax accepted")
	}
}

func TestTitleEscapedInPage(t *testing.T) {
	e := newEnv(t)
	title := `<script>alert(1)</script>`
	p := e.create(paste.CreateInput{Title: title, Content: []byte("x")})
	_, body := e.get("/" + string(p.ID))
	doc := parse(t, body)
	if !strings.Contains(doc.Find("title").Text(), title) || !strings.Contains(doc.Find("main").Text(), title) {
		t.Fatal("title not shown as text")
	}
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	e := newEnv(t, withMaxBytes(64))
	p := e.create(paste.CreateInput{Content: []byte("x")})
	big := httptest.NewRequest("POST", "/api/v1/pastes", strings.NewReader(strings.Repeat("x", 100)))
	big.Header.Set("Content-Type", "text/plain")
	reqs := map[string]*http.Request{
		"form":          httptest.NewRequest("GET", "/", nil),
		"paste":         httptest.NewRequest("GET", "/"+string(p.ID), nil),
		"raw":           httptest.NewRequest("GET", "/raw/"+string(p.ID), nil),
		"download":      httptest.NewRequest("GET", "/dl/"+string(p.ID), nil),
		"explore":       httptest.NewRequest("GET", "/explore", nil),
		"404 page":      httptest.NewRequest("GET", "/Zzzzzzzz", nil),
		"404 api":       httptest.NewRequest("GET", "/api/v1/pastes/Zzzzzzzz", nil),
		"413 api":       big,
		"403 csrf":      httptest.NewRequest("POST", "/", strings.NewReader("content=x")),
		"static":        httptest.NewRequest("GET", e.app.StaticPath("app.css"), nil),
		"static 404":    httptest.NewRequest("GET", "/static/nope.css", nil),
		"healthz":       httptest.NewRequest("GET", "/healthz", nil),
		"api json":      httptest.NewRequest("GET", "/api/v1/pastes", nil),
		"method 405ish": httptest.NewRequest("PUT", "/", nil),
	}
	for name, req := range reqs {
		t.Run(name, func(t *testing.T) {
			resp, _ := e.do(req)
			h := resp.Header
			for k, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "same-origin",
			} {
				if h.Get(k) != want {
					t.Errorf("%s (%d): %s = %q, want %q", name, resp.StatusCode, k, h.Get(k), want)
				}
			}
			csp := h.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s (%d): CSP %q", name, resp.StatusCode, csp)
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s: CSP allows unsafe sources: %q", name, csp)
			}
		})
	}
}

// TestOversizedBodyRefusedBeforeReading declares a body past the server's
// limit over a real connection and sends only its first 8 KiB: the 413
// comes from the Content-Length, through the same error handler and with
// the same headers, so nothing past that was read or buffered.
func TestOversizedBodyRefusedBeforeReading(t *testing.T) {
	e := newEnv(t, withMaxBytes(64), served())
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "POST /api/v1/pastes HTTP/1.1\r\nHost: %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n",
		strings.TrimPrefix(e.base, "http://"), 512<<20)
	// Bodies are streamed: the server reads at most its first 8 KiB
	// before the handlers see the request. Send that much and no more.
	conn.Write(bytes.Repeat([]byte("x"), 8<<10))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer before the body was sent: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", resp.StatusCode)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("413 without security headers: %v", resp.Header)
	}
}
