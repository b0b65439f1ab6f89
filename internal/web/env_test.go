package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"pastel/internal/blob"
	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/render"
	"pastel/internal/store"
	"pastel/internal/web"
	"pastel/static"
)

// clock is a settable time source shared by the service under test.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type env struct {
	t      *testing.T
	app    *web.App
	svc    *paste.Service
	store  *store.Store
	blobs  paste.Blobs
	clock  *clock
	csrf   string
	cookie string
	base   string // the app's origin
}

type envOption func(*envConfig)

type envConfig struct {
	maxBytes int64
	blobs    paste.Blobs
	serve    bool
}

// served makes the env listen on a real loopback port (for the browser); its
// base URL is then that address.
func served() envOption { return func(c *envConfig) { c.serve = true } }

func withMaxBytes(n int64) envOption    { return func(c *envConfig) { c.maxBytes = n } }
func withBlobs(b paste.Blobs) envOption { return func(c *envConfig) { c.blobs = b } }
func base() *url.URL                    { u, _ := url.Parse("http://pastel.test"); return u }
func syntaxes() *render.Syntaxes        { return sharedSyntaxes }

var sharedSyntaxes = render.NewSyntaxes()

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	cfg := envConfig{maxBytes: 1 << 20}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.blobs == nil {
		b, err := blob.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		cfg.blobs = b
	}
	baseURL := base()
	var ln net.Listener
	if cfg.serve {
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		baseURL, _ = url.Parse("http://" + ln.Addr().String())
	}
	st := store.New(pgtest.NewPool(t))
	clk := &clock{now: time.Now().UTC().Truncate(time.Second)}
	svc := paste.NewService(st.Pastes(), cfg.blobs, syntaxes(), paste.Options{
		MaxBytes: cfg.maxBytes, AllowAnonymous: true, Now: clk.Now,
	})
	app := web.New(web.Deps{
		Pastes: svc, Blobs: cfg.blobs, PingDB: st.Ping,
		Syntaxes: syntaxes(), Highlighter: render.NewHighlighter(render.HighlightOptions{}),
		Cache: render.NewCache(8 << 20), Assets: static.New(map[string][]byte{"chroma.css": []byte(render.CSS())}),
	}, web.Options{BaseURL: baseURL, MaxPasteBytes: cfg.maxBytes, AllowAnonymous: true})
	e := &env{t: t, app: app, svc: svc, store: st, blobs: cfg.blobs, clock: clk, base: baseURL.String()}
	if ln != nil {
		go app.Listener(ln) //nolint:errcheck // ends with Shutdown
		t.Cleanup(func() { app.ShutdownWithTimeout(5 * time.Second) })
	}
	return e
}

// do sends req through the app and returns the response with its body read.
func (e *env) do(req *http.Request) (*http.Response, []byte) {
	e.t.Helper()
	resp, err := e.app.Test(req, -1)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp, body
}

func (e *env) get(path string) (*http.Response, []byte) {
	e.t.Helper()
	return e.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// browser loads the form once to get the CSRF cookie and token, as a
// browser would.
func (e *env) browser() {
	e.t.Helper()
	resp, body := e.get("/")
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("GET / = %d", resp.StatusCode)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "pastel_csrf" {
			e.cookie = c.Value
		}
	}
	doc := parse(e.t, body)
	e.csrf, _ = doc.Find(`input[name="_csrf"]`).First().Attr("value")
	if e.cookie == "" || e.csrf == "" {
		e.t.Fatal("no CSRF cookie or token on the form")
	}
}

// postForm submits a multipart form the way the paste form does.
func (e *env) postForm(path string, fields map[string]string, hdr ...string) (*http.Response, []byte) {
	e.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if _, ok := fields["_csrf"]; !ok {
		fields["_csrf"] = e.csrf
	}
	for k, v := range fields {
		w.WriteField(k, v)
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: e.cookie})
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return e.do(req)
}

// create makes a paste through the service directly.
func (e *env) create(in paste.CreateInput) paste.Paste {
	e.t.Helper()
	c, err := e.svc.Create(context.Background(), paste.Anonymous, in)
	if err != nil {
		e.t.Fatalf("create: %v", err)
	}
	return c.Paste
}

func parse(t *testing.T, body []byte) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func jsonReq(method, path, body string) *http.Request {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}
