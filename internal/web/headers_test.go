package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"pastel/internal/blob"
	"pastel/internal/paste"
	"pastel/internal/readcache"
)

// flakyBlobs is a blob store that can be made unavailable, for 503 pages.
type flakyBlobs struct {
	paste.Blobs
	down atomic.Bool
}

func (b *flakyBlobs) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if b.down.Load() {
		return nil, fmt.Errorf("open %s: %w", key, paste.ErrUnavailable)
	}
	return b.Blobs.Open(ctx, key)
}

func (b *flakyBlobs) Ping(ctx context.Context) error {
	if b.down.Load() {
		return fmt.Errorf("ping: %w", paste.ErrUnavailable)
	}
	return b.Blobs.Ping(ctx)
}

// wantSecurityHeaders checks the full set every answer carries. raw is the
// sandboxed CSP of raw views and downloads; https adds HSTS.
func wantSecurityHeaders(t *testing.T, where string, resp *http.Response, body []byte, https bool) {
	t.Helper()
	h := resp.Header
	for k, want := range map[string]string{
		"X-Content-Type-Options":       "nosniff",
		"X-Frame-Options":              "DENY",
		"Referrer-Policy":              "same-origin",
		"Cross-Origin-Opener-Policy":   "same-origin",
		"Cross-Origin-Resource-Policy": "same-origin",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s (%d): %s = %q, want %q", where, resp.StatusCode, k, got, want)
		}
	}
	if pp := h.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "microphone=()") || !strings.Contains(pp, "geolocation=()") {
		t.Errorf("%s (%d): Permissions-Policy %q", where, resp.StatusCode, pp)
	}
	hsts := h.Get("Strict-Transport-Security")
	if https && !strings.HasPrefix(hsts, "max-age=") {
		t.Errorf("%s (%d): no HSTS over https: %q", where, resp.StatusCode, hsts)
	}
	if !https && hsts != "" {
		t.Errorf("%s (%d): HSTS over plain http: %q", where, resp.StatusCode, hsts)
	}
	csp := h.Values("Content-Security-Policy")
	if len(csp) != 1 {
		t.Errorf("%s (%d): %d CSP headers", where, resp.StatusCode, len(csp))
		return
	}
	for _, d := range []string{"default-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp[0], d) {
			t.Errorf("%s (%d): CSP %q lacks %s", where, resp.StatusCode, csp[0], d)
		}
	}
	if strings.Contains(csp[0], "unsafe-") || strings.Contains(csp[0], "*") || strings.Contains(csp[0], "data: ") && strings.Contains(csp[0], "script-src data:") {
		t.Errorf("%s: CSP allows unsafe sources: %q", where, csp[0])
	}
	if strings.HasPrefix(csp[0], "sandbox") {
		return // raw and download: nothing there runs at all
	}
	for _, d := range []string{"base-uri 'none'", "object-src 'none'", "form-action 'self'"} {
		if !strings.Contains(csp[0], d) {
			t.Errorf("%s (%d): CSP %q lacks %s", where, resp.StatusCode, csp[0], d)
		}
	}
	// An HTML page's scripts carry this answer's nonce, and only it.
	if strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		m := regexp.MustCompile(`script-src 'nonce-([A-Za-z0-9_-]+)'`).FindStringSubmatch(csp[0])
		if m == nil {
			t.Errorf("%s: CSP without a script nonce: %q", where, csp[0])
			return
		}
		for _, sm := range regexp.MustCompile(`<script[^>]*>`).FindAllString(string(body), -1) {
			if !strings.Contains(sm, `nonce="`+m[1]+`"`) {
				t.Errorf("%s: %s without this answer's nonce", where, sm)
			}
		}
	}
}

// wantEmbedHeaders checks an embed (GET /embed/{id}): framed by any site,
// loadable from any origin, and running nothing at all.
func wantEmbedHeaders(t *testing.T, where string, resp *http.Response) {
	t.Helper()
	h := resp.Header
	if h.Get("X-Frame-Options") != "" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
		t.Errorf("%s: X-Frame-Options %q, nosniff %q, CORP %q", where, h.Get("X-Frame-Options"), h.Get("X-Content-Type-Options"), h.Get("Cross-Origin-Resource-Policy"))
	}
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "frame-ancestors *", "base-uri 'none'", "object-src 'none'", "form-action 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("%s: embed CSP %q lacks %s", where, csp, d)
		}
	}
	if strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe-") {
		t.Errorf("%s: embed CSP %q lets something run", where, csp)
	}
}

// TestSecurityHeadersOnEveryRoute walks every route the app registers
// (filling in real IDs) as a signed-in browser, plus the error pages (400,
// 403, 404, 405, 413, 422, 429-free, 503) and static files, over http and
// over https (HSTS), and checks the full security header set on each.
func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	for _, scheme := range []string{"http", "https"} {
		t.Run(scheme, func(t *testing.T) {
			local, err := blob.NewLocal(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			blobs := &flakyBlobs{Blobs: local}
			e := newEnv(t, withMaxBytes(1<<10), withBase(scheme+"://pastel.test"), withBlobs(blobs))
			https := scheme == "https"
			// Over https the CSRF cookie is __Host-pastel_csrf, which the
			// env's form helpers do not know: there the walk is anonymous
			// for pages (bearer for the API) and skips the form posts.
			var u *user
			if https {
				acc, err := e.accounts.Register(context.Background(), "header_check", "", "correct horse battery staple")
				if err != nil {
					t.Fatal(err)
				}
				u = &user{id: acc.ID, name: acc.Username}
				u.access = e.freshToken(acc.ID)
			} else {
				u = e.register("header_check")
			}
			v := paste.Viewer{UserID: u.id, Username: u.name}
			created, err := e.svc.Create(context.Background(), v, paste.CreateInput{Title: "h.go", Content: []byte("package h"), Visibility: paste.Public})
			if err != nil {
				t.Fatal(err)
			}
			id := string(created.Paste.ID)
			cm, err := e.svc.AddComment(context.Background(), v, created.Paste.ID, "a comment", 0)
			if err != nil {
				t.Fatal(err)
			}
			fill := strings.NewReplacer(":id", id, ":username", u.name, ":cid", fmt.Sprint(cm.ID), ":token", "Zzzzzzzzzzzzzzzzzzzzzz",
				":sid", "1", ":tid", "1", ":lid", "1")
			seen := map[string]bool{}
			routes := 0
			for _, r := range e.app.GetRoutes(true) {
				if r.Method == http.MethodHead || r.Method == "CONNECT" || r.Method == "TRACE" {
					continue
				}
				path := fill.Replace(r.Path)
				switch {
				case path == "/static/*":
					path = e.app.StaticPath("app.css")
				case strings.HasSuffix(path, "/*"):
					path = strings.TrimSuffix(path, "*") + "nope"
				}
				key := r.Method + " " + path
				if seen[key] || strings.Contains(path, "/logout") || strings.HasSuffix(path, "/delete") || strings.Contains(r.Path, "/admin/users/") {
					continue // ending the session or deleting the fixtures would change the later answers
				}
				if https && r.Method != http.MethodGet && !strings.HasPrefix(path, "/api/") {
					continue
				}
				seen[key] = true
				routes++
				req := httptest.NewRequest(r.Method, path, strings.NewReader(""))
				if r.Method != http.MethodGet {
					req.Header.Set("X-CSRF-Token", e.csrf)
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				if strings.HasPrefix(path, "/api/") {
					bearer(req, u.access)
				} else {
					e.asUser(req, u)
				}
				resp, body := e.do(req)
				if resp.StatusCode >= 500 {
					t.Errorf("%s = %d: %.200s", key, resp.StatusCode, body)
				}
				if path == "/draft" && resp.Header.Get("Cross-Origin-Opener-Policy") == "unsafe-none" {
					// The bookmarklet's draft must keep its opener (see
					// bookmarklet.go); it is the one exception.
					resp.Header.Set("Cross-Origin-Opener-Policy", "same-origin")
				}
				if resp.Header.Get("Referrer-Policy") == "no-referrer" &&
					(path == "/register" || strings.HasPrefix(path, "/reset/") || strings.HasPrefix(path, "/s/") || strings.HasPrefix(path, "/auth/oidc/")) {
					// Stricter than same-origin: pages whose address carries a
					// secret (an invite, a reset link, a share link, an OIDC
					// state) send no Referer at all, even to our own pages.
					resp.Header.Set("Referrer-Policy", "same-origin")
				}
				if path == "/diagram-frame" {
					// Mermaid's sandboxed frame: inline styles, framed by our pages only.
					wantDiagramFrameHeaders(t, key, resp)
					continue
				}
				if strings.HasPrefix(path, "/embed/") {
					// The embed is the one page other sites may frame.
					wantEmbedHeaders(t, key, resp)
					continue
				}
				wantSecurityHeaders(t, key, resp, body, https)
			}
			if routes < 40 {
				t.Fatalf("only %d routes checked", routes)
			}

			t.Logf("%d routes", routes)
			big := httptest.NewRequest("POST", "/api/v1/pastes", strings.NewReader(strings.Repeat("x", 4<<10)))
			big.Header.Set("Content-Type", "text/plain")
			bigForm := httptest.NewRequest("POST", "/", strings.NewReader("_csrf="+e.csrf+"&content="+strings.Repeat("x", 4<<10)))
			bigForm.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			unprocessable := httptest.NewRequest("POST", "/", strings.NewReader("_csrf="+e.csrf+"&content=x&syntax=nope"))
			unprocessable.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			put := httptest.NewRequest("PUT", "/explore", nil)
			put.Header.Set("X-CSRF-Token", e.csrf)
			badJSON := jsonReq("POST", "/api/v1/pastes", `{`)
			type errorCase struct {
				name   string
				status int
				req    *http.Request
			}
			formCases := []errorCase{
				{"405 page", 405, e.asUser(put, nil)},
				{"413 form", 413, e.asUser(bigForm, nil)},
				{"422 form", 422, e.asUser(unprocessable, nil)},
			}
			if https {
				formCases = nil
			}
			for _, c := range append(formCases, []errorCase{
				{"404 page", 404, httptest.NewRequest("GET", "/Zzzzzzzz", nil)},
				{"404 raw", 404, httptest.NewRequest("GET", "/raw/Zzzzzzzz", nil)},
				{"404 static", 404, httptest.NewRequest("GET", "/static/nope.css", nil)},
				{"404 api", 404, httptest.NewRequest("GET", "/api/v1/pastes/Zzzzzzzz", nil)},
				{"404 htmx", 404, htmxReq(httptest.NewRequest("GET", "/Zzzzzzzz", nil))},
				{"unknown API method", 405, httptest.NewRequest("PUT", "/api/v1/me", nil)},
				{"413 api", 413, big},
				{"422 api", 422, jsonReq("POST", "/api/v1/pastes", `{"content":"x","syntax":"nope"}`)},
				{"400 api", 400, badJSON},
				{"403 csrf", 403, httptest.NewRequest("POST", "/", strings.NewReader("content=x"))},
				{"static css", 200, httptest.NewRequest("GET", e.app.StaticPath("app.css"), nil)},
				{"static js", 200, httptest.NewRequest("GET", e.app.StaticPath("bundle.js"), nil)},
				{"static svg", 200, httptest.NewRequest("GET", e.app.StaticPath("favicon.svg"), nil)},
				{"favicon", 301, httptest.NewRequest("GET", "/favicon.ico", nil)},
				{"raw", 200, httptest.NewRequest("GET", "/raw/"+id, nil)},
				{"download", 200, httptest.NewRequest("GET", "/dl/"+id, nil)},
				{"304", 304, etagReq("/raw/"+id, fmt.Sprintf(`"%s-%d"`, id, created.Paste.Revision))},
			}...) {
				resp, body := e.do(c.req)
				if resp.StatusCode != c.status {
					t.Errorf("%s = %d, want %d: %.200s", c.name, resp.StatusCode, c.status, body)
				}
				wantSecurityHeaders(t, c.name, resp, body, https)
			}

			// A dependency down: 503 with Retry-After, same headers.
			blobs.down.Store(true)
			// Bodies kept in memory are trusted for readcache.TrustFor after the
			// store last answered; past that they are not served while it is
			// down.
			time.Sleep(readcache.TrustFor + 20*time.Millisecond)
			for _, path := range []string{"/raw/" + id, "/api/v1/pastes/" + id, "/dl/" + id} {
				resp, body := e.do(httptest.NewRequest("GET", path, nil))
				if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
					t.Errorf("503 %s = %d (Retry-After %q)", path, resp.StatusCode, resp.Header.Get("Retry-After"))
				}
				wantSecurityHeaders(t, "503 "+path, resp, body, https)
			}
			blobs.down.Store(false)
		})
	}
}

func htmxReq(r *http.Request) *http.Request {
	r.Header.Set("HX-Request", "true")
	return r
}

func etagReq(path, etag string) *http.Request {
	r := httptest.NewRequest("GET", path, nil)
	r.Header.Set("If-None-Match", etag)
	return r
}

// wantDiagramFrameHeaders checks the Mermaid frame's own policy: sandboxed
// (an opaque origin) by its CSP, nonced scripts only, no eval, inline
// styles allowed (Mermaid's SVG needs them), framed by this site only.
func wantDiagramFrameHeaders(t *testing.T, key string, resp *http.Response) {
	t.Helper()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"sandbox allow-scripts;", "default-src 'none'", "script-src 'nonce-", "style-src 'unsafe-inline'", "frame-ancestors 'self'", "connect-src 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: CSP %q lacks %s", key, csp, want)
		}
	}
	for _, bad := range []string{"unsafe-eval", "allow-same-origin", "script-src 'self'", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("%s: CSP %q has %s", key, csp, bad)
		}
	}
	if got := resp.Header.Get("X-Frame-Options"); got != "SAMEORIGIN" {
		t.Errorf("%s: X-Frame-Options = %q", key, got)
	}
	if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options = %q", key, got)
	}
}
