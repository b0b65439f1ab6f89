package web_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
	"pastel/internal/web"
)

// gzipLayers compresses b n times over.
func gzipLayers(t *testing.T, b []byte, n int) []byte {
	t.Helper()
	for range n {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		b = buf.Bytes()
	}
	return b
}

// heapAfter runs f and reports how much the live heap grew, after a
// collection on each side.
func heapAfter(f func()) int64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return int64(after.TotalAlloc) - int64(before.TotalAlloc)
}

// TestCompressedBodiesAreBoundedOrRefused: a small compressed body must not
// make the server allocate what it expands to. Only the API's paste routes
// take a Content-Encoding (one layer, decoded under the paste limit);
// everywhere else, and for stacked or unknown codings, it is a 415 before
// anything reads the body — JSON handlers, and the CSRF check's form
// parsing alike.
func TestCompressedBodiesAreBoundedOrRefused(t *testing.T) {
	e := newEnv(t)
	e.browser()
	// 64 MiB of spaces compresses to ~64 KiB, then to a few hundred bytes.
	bomb := gzipLayers(t, bytes.Repeat([]byte(" "), 64<<20), 3)
	if len(bomb) > 4<<10 {
		t.Fatalf("bomb is %d bytes", len(bomb))
	}
	send := func(method, path, ctype, encoding string, body []byte) (*http.Response, []byte) {
		req := httptest.NewRequest(method, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Content-Encoding", encoding)
		req.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: e.cookie})
		return e.do(req)
	}
	cases := []struct {
		method, path, ctype, encoding string
		body                          []byte
		want                          int
	}{
		{"POST", "/api/v1/auth/token", "application/json", "gzip, gzip, gzip", bomb, 415},
		{"POST", "/api/v1/auth/token", "application/json", "gzip", gzipLayers(t, []byte(`{"username":"a","password":"b"}`), 1), 415},
		{"POST", "/api/v1/auth/register", "application/json", "br", []byte("x"), 415},
		{"POST", "/api/v1/pastes", "application/json", "gzip, gzip, gzip", bomb, 415},
		{"POST", "/api/v1/pastes", "text/plain", "br", []byte("x"), 415},
		{"POST", "/api/v1/pastes", "text/plain", "gzip", []byte("not gzip at all"), 400},
		// One layer that expands past the paste limit (1 MiB in the env).
		{"POST", "/api/v1/pastes", "text/plain", "gzip", gzipLayers(t, bytes.Repeat([]byte("a"), 8<<20), 1), 413},
		{"POST", "/login", "application/x-www-form-urlencoded", "gzip", gzipLayers(t, []byte("_csrf="+e.csrf+"&username=a&password=b"), 1), 415},
		{"POST", "/", "multipart/form-data; boundary=b", "gzip", bomb, 415},
		{"POST", "/c/1/rate", "application/x-www-form-urlencoded", "deflate", []byte("x"), 415},
	}
	for _, c := range cases {
		var resp *http.Response
		var body []byte
		grew := heapAfter(func() { resp, body = send(c.method, c.path, c.ctype, c.encoding, c.body) })
		if resp.StatusCode != c.want {
			t.Errorf("%s %s (%s, %d bytes) = %d, want %d: %.200s", c.method, c.path, c.encoding, len(c.body), resp.StatusCode, c.want, body)
		}
		if grew > 32<<20 {
			t.Errorf("%s %s (%s): allocated %d MiB for a %d-byte body", c.method, c.path, c.encoding, grew>>20, len(c.body))
		}
		if strings.HasPrefix(c.path, "/api/") && !bytes.Contains(body, []byte(`"error"`)) {
			t.Errorf("%s %s: not the API's JSON error: %.200s", c.method, c.path, body)
		}
	}
	// The one accepted case still works: a gzip-compressed raw create.
	resp, body := send("POST", "/api/v1/pastes?syntax=text", "text/plain", "gzip", gzipLayers(t, []byte("hello from gzip"), 1))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("gzip create = %d: %s", resp.StatusCode, body)
	}
	var p struct{ ID string }
	json.Unmarshal(body, &p)
	if _, raw := e.get("/raw/" + p.ID); string(raw) != "hello from gzip" {
		t.Fatalf("gzip create stored %q", raw)
	}
}

// TestSmallRoutesRefuseLargeBodies: only paste routes accept a body larger
// than a comment needs; the others answer 413 from the declared length,
// before reading it.
func TestSmallRoutesRefuseLargeBodies(t *testing.T) {
	e := newEnv(t, withMaxBytes(4<<20))
	e.browser()
	big := "_csrf=" + e.csrf + "&username=a&password=" + strings.Repeat("x", 1<<20)
	for _, path := range []string{"/login", "/register", "/c/1/rate"} {
		req := httptest.NewRequest("POST", path, strings.NewReader(big))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: e.cookie})
		if resp, body := e.do(req); resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with 1 MiB = %d: %.200s", path, resp.StatusCode, body)
		}
	}
	req := jsonReq("POST", "/api/v1/auth/token", `{"username":"a","password":"`+strings.Repeat("x", 1<<20)+`"}`)
	if resp, body := e.do(req); resp.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(body, []byte(`"error"`)) {
		t.Errorf("1 MiB token request = %d: %.200s", resp.StatusCode, body)
	}
	// A paste route takes the same megabyte.
	resp, body := e.postForm("/", map[string]string{"content": strings.Repeat("y", 1<<20), "syntax": "text", "visibility": "public", "expires_in": "never"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("1 MiB paste form = %d: %.200s", resp.StatusCode, body)
	}
}

// TestInvalidUTF8JSONRefused: encoding/json would store U+FFFD in place of
// what the client sent; the API refuses the body instead.
func TestInvalidUTF8JSONRefused(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/pastes", "/api/v1/auth/register", "/api/v1/auth/token"} {
		resp, body := e.do(jsonReq("POST", path, "{\"content\":\"a\xffb\",\"username\":\"u\xfe\",\"password\":\"p\xc3\"}"))
		if resp.StatusCode != http.StatusBadRequest || !bytes.Contains(body, []byte("UTF-8")) {
			t.Errorf("POST %s with invalid UTF-8 = %d: %s", path, resp.StatusCode, body)
		}
	}
}

// keepAlive is one client connection that sends several requests.
type keepAlive struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
}

func dialKeepAlive(t *testing.T, e *env) *keepAlive {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	return &keepAlive{t: t, conn: conn, r: bufio.NewReader(conn)}
}

func (k *keepAlive) send(req string) (*http.Response, []byte) {
	k.t.Helper()
	if _, err := io.WriteString(k.conn, req); err != nil {
		k.t.Fatal(err)
	}
	resp, err := http.ReadResponse(k.r, nil)
	if err != nil {
		k.t.Fatalf("no answer: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, body
}

// TestRequestValuesOutliveTheirRequest: whatever a handler keeps from a
// request (route parameters, headers, query, cookies, form values, the
// body, the client address) must stay what that request said after the
// connection's buffers are reused for the next request. The probe keeps
// every value past its request, as a cache or a limiter would; a second
// request of the same shape on the same connection then rewrites the
// buffers in place.
func TestRequestValuesOutliveTheirRequest(t *testing.T) {
	var mu sync.Mutex
	var kept [][]string
	e := newEnv(t, served(), withRoutes(func(a *web.App) {
		a.Post("/probe/:id", func(c *fiber.Ctx) error {
			mu.Lock()
			kept = append(kept, []string{
				c.Params("id"), c.Get("X-Probe"), c.Query("q"), c.Cookies("probe"),
				c.FormValue("field"), string(c.Body()), c.Path(), paste.ClientAddr(c.UserContext()),
			})
			mu.Unlock()
			return c.SendStatus(http.StatusNoContent)
		})
	}))
	e.browser()
	k := dialKeepAlive(t, e)
	host := strings.TrimPrefix(e.base, "http://")
	reqTok := func(v string) string {
		body := "_csrf=" + e.csrf + "&field=" + v
		return fmt.Sprintf("POST /probe/%s?q=%s HTTP/1.1\r\nHost: %s\r\nX-Probe: %s\r\nCookie: probe=%s; pastel_csrf=%s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", v, v, host, v, v, e.cookie, len(body), body)
	}
	first, second := "AAAAAAAAAA", "BBBBBBBBBB"
	for _, v := range []string{first, second, second} {
		if resp, body := k.send(reqTok(v)); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("probe %s = %d: %.200s", v, resp.StatusCode, body)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	got := kept[0]
	want := []string{first, first, first, first, first, "_csrf=" + e.csrf + "&field=" + first, "/probe/" + first, "127.0.0.1"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("value %d kept from the first request reads %q after the connection moved on, want %q", i, got[i], want[i])
		}
	}
}

// TestClientAddressBehindTrustedProxies: behind a trusted proxy, the
// client's address is the nearest X-Forwarded-For hop that is not a trusted
// proxy; addresses further left are the client's own words and never
// counted. Garbage in the header never becomes an address.
func TestClientAddressBehindTrustedProxies(t *testing.T) {
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(lockedWriter{&logMu, &logs}, nil))
	whoami := withRoutes(func(a *web.App) {
		a.Get("/probe/whoami", func(c *fiber.Ctx) error { return c.SendString(paste.ClientAddr(c.UserContext())) })
	})
	e := newEnv(t, withLogger(logger), withOptions(func(o *web.Options) { o.TrustedProxies = []string{"0.0.0.0/32", "10.0.0.0/8"} }))
	// app.Test's peer is 0.0.0.0: trusted here, as a proxy would be.
	cases := []struct{ xff, want string }{
		{"", "0.0.0.0"},
		{"198.51.100.7", "198.51.100.7"},
		{"1.2.3.4, 198.51.100.7", "198.51.100.7"},
		{"198.51.100.7, 10.1.2.3", "198.51.100.7"},
		{"totally-not-an-ip", "0.0.0.0"},
		{"1.2.3.4, totally-not-an-ip, 10.0.0.9", "10.0.0.9"},
		{"::ffff:198.51.100.8", "198.51.100.8"},
	}
	e2 := newEnv(t, whoami, withOptions(func(o *web.Options) { o.TrustedProxies = []string{"0.0.0.0/32", "10.0.0.0/8"} }))
	for _, c := range cases {
		req := httptest.NewRequest("GET", "/probe/whoami", nil)
		if c.xff != "" {
			req.Header.Set("X-Forwarded-For", c.xff)
		}
		if _, body := e2.do(req); string(body) != c.want {
			t.Errorf("X-Forwarded-For %q: client %.80q, want %q", c.xff, body, c.want)
		}
	}
	// The access log records the resolved address, never the header.
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("X-Forwarded-For", "totally-not-an-ip")
	e.do(req)
	logMu.Lock()
	if strings.Contains(logs.String(), "totally-not-an-ip") {
		t.Errorf("access log took the client's word: %s", logs.String())
	}
	logMu.Unlock()
	// Failed sign-ins with a different forged left part each time are all
	// counted against the one real address.
	var last *http.Response
	for i := 0; i < 22; i++ {
		req := jsonReq("POST", "/api/v1/auth/token", fmt.Sprintf(`{"username":"user%d","password":"not the password"}`, i))
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d, 198.51.100.7", i))
		last, _ = e2.do(req)
	}
	if last.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("forged X-Forwarded-For prefixes escaped the address limit: %d", last.StatusCode)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestAccessLogKeepsNoSecrets: share-link tokens travel in paths (the page,
// and the API's revoke route); the access log shows neither.
func TestAccessLogKeepsNoSecrets(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	e := newEnv(t, withLogger(slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, nil))))
	u := e.register("lena")
	resp, body := e.do(bearer(jsonReq("POST", "/api/v1/pastes", `{"content":"secret","visibility":"private"}`), u.access))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create = %d %s", resp.StatusCode, body)
	}
	var p struct{ ID string }
	json.Unmarshal(body, &p)
	resp, body = e.do(bearer(jsonReq("POST", "/api/v1/pastes/"+p.ID+"/share-links", `{}`), u.access))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("share link = %d %s", resp.StatusCode, body)
	}
	var link struct{ Token string }
	json.Unmarshal(body, &link)
	e.get("/s/" + link.Token)
	e.get("/s/" + link.Token + "/raw")
	if resp, body := e.do(bearer(httptest.NewRequest("DELETE", "/api/v1/pastes/"+p.ID+"/share-links/"+url.PathEscape(link.Token), nil), u.access)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("revoke = %d %s", resp.StatusCode, body)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(logs.String(), link.Token) {
		t.Fatalf("the access log holds a share-link token:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "/share-links/[redacted]") {
		t.Fatalf("the revoke was not logged with its token redacted:\n%s", logs.String())
	}
}

// TestCSRFTokenBoundToSession: the token is read from the body or the htmx
// header only (never the query string), works only with the session it was
// issued for, and changes at sign-in.
func TestCSRFTokenBoundToSession(t *testing.T) {
	e := newEnv(t)
	e.browser()
	anonToken := e.csrf
	ana, bob := e.register("ana"), e.register("bob")
	if ana.csrf == anonToken || bob.csrf == anonToken || ana.csrf == bob.csrf {
		t.Fatal("a session's CSRF token equals another's: tokens are not bound to sessions")
	}
	post := func(u *user, token, query string) int {
		req := httptest.NewRequest("POST", "/settings/sessions/revoke-others"+query, strings.NewReader("_csrf="+url.QueryEscape(token)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "pastel_session", Value: u.cookie})
		req.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: e.cookie})
		resp, _ := e.app.Test(req, -1)
		return resp.StatusCode
	}
	if got := post(ana, ana.csrf, ""); got != http.StatusSeeOther {
		t.Fatalf("ana's own token = %d, want 303", got)
	}
	if got := post(ana, bob.csrf, ""); got != http.StatusForbidden {
		t.Errorf("bob's token with ana's session = %d, want 403", got)
	}
	if got := post(ana, anonToken, ""); got != http.StatusForbidden {
		t.Errorf("the token from before sign-in = %d, want 403 (not rotated at sign-in)", got)
	}
	// In the query string only: refused.
	req := httptest.NewRequest("POST", "/settings/sessions/revoke-others?_csrf="+url.QueryEscape(ana.csrf), nil)
	req.AddCookie(&http.Cookie{Name: "pastel_session", Value: ana.cookie})
	req.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: e.cookie})
	if resp, _ := e.app.Test(req, -1); resp.StatusCode != http.StatusForbidden {
		t.Errorf("token in the query string = %d, want 403", resp.StatusCode)
	}
}

// TestReferrerPolicyMetaMatchesHeader: a page's meta referrer must not
// loosen the header's policy.
func TestReferrerPolicyMetaMatchesHeader(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/")
	meta, _ := parse(t, body).Find(`meta[name="referrer"]`).Attr("content")
	if h := resp.Header.Get("Referrer-Policy"); meta != "" && meta != h {
		t.Fatalf("meta referrer %q differs from the header %q", meta, h)
	}
}

// TestWrongMethodIs405WithAllow: a path that exists under another method
// answers 405 with Allow, on pages and in the API (JSON there); an
// unknown API path is the API's JSON 404.
func TestWrongMethodIs405WithAllow(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		method, path, allow string
		json                bool
	}{
		{"DELETE", "/", "GET, HEAD, POST", false},
		{"PUT", "/login", "GET, HEAD, POST", false},
		{"GET", "/logout", "POST", false},
		{"PUT", "/api/v1/pastes", "GET, HEAD, POST", true},
		{"POST", "/api/v1/me", "DELETE, GET, HEAD", true},
		{"GET", "/api/v1/auth/token", "POST", true},
	}
	for _, c := range cases {
		resp, body := e.do(httptest.NewRequest(c.method, c.path, nil))
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s = %d Allow %q, want 405 Allow %q: %.120s", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), c.allow, body)
		}
		if c.json && !bytes.Contains(body, []byte(`"method_not_allowed"`)) {
			t.Errorf("%s %s: not the API's JSON error: %.200s", c.method, c.path, body)
		}
	}
	resp, body := e.get("/api/v1/no/such/route")
	if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || !bytes.Contains(body, []byte(`"not_found"`)) {
		t.Errorf("unknown API path = %d %s: %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	// A paste ID that does not exist is still a plain 404.
	if resp, _ := e.get("/NoSuchId"); resp.StatusCode != http.StatusNotFound || resp.Header.Get("Allow") != "" {
		t.Errorf("GET /NoSuchId = %d Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}
