package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"

	"pastel/internal/account"
	"pastel/internal/admin"
	"pastel/internal/api"
	"pastel/internal/auth"
	"pastel/internal/blob"
	"pastel/internal/clock"
	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/ratelimit"
	"pastel/internal/readcache"
	"pastel/internal/render"
	"pastel/internal/store"
	"pastel/internal/web"
	"pastel/static"
)

type env struct {
	t        testing.TB
	app      *web.App
	svc      *paste.Service
	accounts *account.Service
	admin    *admin.Service
	tokens   *auth.Tokens
	store    *store.Store
	pool     *pgxpool.Pool // for tests that look at every table
	blobs    paste.Blobs
	cache    *readcache.Cache // rows, comments and page snapshots
	clock    *clock.Fake      // the time source shared by the services under test
	csrf     string
	cookie   string
	base     string // the app's origin
}

type envOption func(*envConfig)

type envConfig struct {
	maxBytes int64
	blobs    paste.Blobs
	serve    bool
	base     string
	dbURL    string
	// rateLimits default to budgets no test reaches (testRateLimits); their
	// UserCreates and AnonCreates size the write budgets, which are counted
	// in PostgreSQL as in production (budgets).
	rateLimits api.RateLimits
	logger     *slog.Logger
	tune       []func(*web.Options)
	routes     func(*web.App)

	// registrations is the registrations an hour per address
	// (testRegistrations unless set).
	registrations int
	budgets       *ratelimit.Budgets
	// accounts tune the account service's options (registration policy).
	accounts []func(*account.Options)
	// deps tune the app's dependencies (a mailer).
	deps []func(*web.Deps)
	// pasteOptions adjust the paste service's options (expiry policy,
	// password guess budgets) after the env's defaults are set.
	pasteOptions []func(*paste.Options)
}

// withPasteOptions adjusts the paste service's options.
func withPasteOptions(f func(*paste.Options)) envOption {
	return func(c *envConfig) { c.pasteOptions = append(c.pasteOptions, f) }
}

// withAccounts tunes the account service's options.
func withAccounts(f func(*account.Options)) envOption {
	return func(c *envConfig) { c.accounts = append(c.accounts, f) }
}

// withDeps tunes the app's dependencies.
func withDeps(f func(*web.Deps)) envOption {
	return func(c *envConfig) { c.deps = append(c.deps, f) }
}

// withRoutes adds test routes to the app before it serves.
func withRoutes(f func(*web.App)) envOption { return func(c *envConfig) { c.routes = f } }

// withLogger gives the app a logger (default: none).
func withLogger(l *slog.Logger) envOption { return func(c *envConfig) { c.logger = l } }

// withOptions adjusts the app's options after the env's defaults are set.
func withOptions(f func(*web.Options)) envOption {
	return func(c *envConfig) { c.tune = append(c.tune, f) }
}

// withDatabase runs the env on the database at u instead of a fresh one.
func withDatabase(u string) envOption { return func(c *envConfig) { c.dbURL = u } }

// served makes the env listen on a real loopback port (for the browser); its
// base URL is then that address.
func served() envOption { return func(c *envConfig) { c.serve = true } }

// withBase sets the app's BASE_URL.
func withBase(u string) envOption { return func(c *envConfig) { c.base = u } }

func withMaxBytes(n int64) envOption    { return func(c *envConfig) { c.maxBytes = n } }
func withBlobs(b paste.Blobs) envOption { return func(c *envConfig) { c.blobs = b } }
func base() *url.URL                    { u, _ := url.Parse("http://pastel.test"); return u }
func syntaxes() *render.Syntaxes        { return sharedSyntaxes }

var sharedSyntaxes = render.NewSyntaxes()

// fastPasswords keeps Argon2 cheap in tests; production uses the defaults.
var fastPasswords = auth.PasswordParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	cfg := envConfig{maxBytes: 1 << 20, rateLimits: testRateLimits, registrations: testRegistrations}
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
	if cfg.base != "" {
		baseURL, _ = url.Parse(cfg.base)
	}
	var ln net.Listener
	if cfg.serve {
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		baseURL, _ = url.Parse("http://" + ln.Addr().String())
	}
	var pool *pgxpool.Pool
	if cfg.dbURL != "" {
		pool = pgtest.NewPoolFor(t, cfg.dbURL)
	} else {
		pool = pgtest.NewPool(t)
	}
	st := store.New(pool)
	// The read cache runs as in production, so every test also checks that
	// nothing it keeps outlives a change.
	rc := readcache.New(readcache.Options{MaxPastes: 1000, MaxSnapshotBytes: 4 << 20,
		Lists: readcache.ListOptions{MaxEntries: 1000, MaxBytes: 8 << 20}})
	st.TellChanges(rc)
	listenCtx, stopListening := context.WithCancel(context.Background())
	listening := make(chan struct{})
	go func() { defer close(listening); rc.Listen(listenCtx, pool.Config().ConnString()) }()
	t.Cleanup(func() { stopListening(); <-listening })
	for deadline := time.Now().Add(10 * time.Second); !rc.Live(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("read cache: listener did not connect")
		}
	}
	blobs := paste.Blobs(readcache.NewBodies(cfg.blobs, 4<<20))
	clk := clock.NewFake(time.Now().UTC().Truncate(time.Second))
	tokens, err := auth.NewTokens(auth.TokenOptions{
		Secret: []byte(strings.Repeat("k", 40)), Issuer: baseURL.String(), Audience: baseURL.String() + "/api", Now: clk.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	accountOpts := account.Options{Tokens: tokens, Now: clk.Now, PasswordParams: fastPasswords}
	for _, f := range cfg.accounts {
		f(&accountOpts)
	}
	accounts := account.NewService(st.Accounts(), accountOpts)
	sessionStore := web.NewSessions(st.SessionRows(), web.SessionOptions{Now: clk.Now, Secure: baseURL.Scheme == "https"})
	adminLog := admin.NewLog(st.Admin(), clk.Now)
	popts := paste.Options{
		MaxBytes: cfg.maxBytes, AllowAnonymous: true, Now: clk.Now,
		Community: rc.Community(store.NewCommunity(st, store.CommunityOptions{Now: clk.Now})),
		Renderer:  readcache.NewRenders(8 << 20).Renderer(render.NewPages(render.NewHighlighter(render.HighlightOptions{}))),
		Revisions: st.Revisions(),
		Differ:    readcache.NewDiffs(4 << 20).Differ(render.NewDiffs(render.NewHighlighter(render.HighlightOptions{}))),
		Search:    rc.Search(st.Search(0)),
		Audit:     adminLog,
		Secrets:   testSecrets(t),
	}
	popts.Passwords.Hash, popts.Passwords.Verify = auth.PasteHashing(fastPasswords)
	popts.Passwords.PerPaste, popts.Passwords.PerAddress = st.PasswordGuesses(ratelimit.PerMinute(1000), ratelimit.PerMinute(1000), clk.Now)
	for _, f := range cfg.pasteOptions {
		f(&popts)
	}
	svc := paste.NewService(rc.Pastes(st.Pastes()), blobs, syntaxes(), popts)
	admins := admin.NewService(st.Admin(), accounts, svc, blobs, adminLog, admin.Options{Now: clk.Now})
	cfg.budgets = st.Budgets(ratelimit.Rates{
		UserWrites:    ratelimit.PerMinute(cfg.rateLimits.UserCreates),
		AddressWrites: ratelimit.PerMinute(cfg.rateLimits.AnonCreates),
		Registrations: ratelimit.PerHour(cfg.registrations),
	}, clk.Now)
	deps := web.Deps{
		Pastes: svc, Accounts: accounts, Admin: admins, Sessions: sessionStore, Blobs: cfg.blobs, PingDB: st.Ping,
		Syntaxes: syntaxes(), Assets: static.New(map[string][]byte{"chroma.css": []byte(render.CSS())}),
		Idempotency: api.NewIdempotency(st.IdempotencyKeys(nil), []byte(strings.Repeat("i", 32))), Snapshots: rc,
		Lists: rc.Lists(), Logger: cfg.logger,
	}
	for _, f := range cfg.deps {
		f(&deps)
	}
	app := web.New(deps, webOptions(cfg, baseURL))
	e := &env{t: t, app: app, svc: svc, accounts: accounts, admin: admins, tokens: tokens, store: st, pool: pool, blobs: cfg.blobs, cache: rc, clock: clk, base: baseURL.String()}
	if cfg.routes != nil {
		cfg.routes(app)
	}
	if ln != nil {
		go app.Listener(ln) //nolint:errcheck // ends with Shutdown
		t.Cleanup(func() { app.ShutdownWithTimeout(5 * time.Second) })
	}
	return e
}

func webOptions(cfg envConfig, baseURL *url.URL) web.Options {
	o := web.Options{BaseURL: baseURL, MaxPasteBytes: cfg.maxBytes, AllowAnonymous: true, APIRateLimits: cfg.rateLimits, Budgets: cfg.budgets}
	for _, f := range cfg.tune {
		f(&o)
	}
	return o
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

func parse(t testing.TB, body []byte) *goquery.Document {
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

// user is a registered account with a browser session and API tokens.
type user struct {
	id       int64
	name     string
	password string
	cookie   string // session cookie value
	csrf     string // the CSRF token bound to this session
	access   string // JWT access token
	refresh  string
}

// register creates an account through the service, signs in through the
// login form (getting a session cookie) and through the token endpoint.
func (e *env) register(name string) *user {
	e.t.Helper()
	u := &user{name: name, password: "correct horse battery " + name}
	acc, err := e.accounts.Register(context.Background(), name, "", u.password)
	if err != nil {
		e.t.Fatalf("register %s: %v", name, err)
	}
	u.id = acc.ID
	if e.csrf == "" {
		e.browser()
	}
	resp, body := e.postForm("/login", map[string]string{"username": name, "password": u.password})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s = %d: %.300s", name, resp.StatusCode, body)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "pastel_session" && c.Value != "" {
			u.cookie = c.Value
		}
	}
	if u.cookie == "" {
		e.t.Fatal("no session cookie after login")
	}
	u.csrf = e.csrfOf(u)
	resp, body = e.do(jsonReq("POST", "/api/v1/auth/token", fmt.Sprintf(`{"username":%q,"password":%q}`, name, u.password)))
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("token %s = %d %s", name, resp.StatusCode, body)
	}
	var tok struct {
		Access  string `json:"access_token"`
		Refresh string `json:"refresh_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil {
		e.t.Fatal(err)
	}
	u.access, u.refresh = tok.Access, tok.Refresh
	return u
}

// csrfOf returns the CSRF token the site renders for u's session (tokens
// are bound to the session, so each user has its own).
func (e *env) csrfOf(u *user) string {
	e.t.Helper()
	resp, body := e.do(e.asUser(httptest.NewRequest(http.MethodGet, "/", nil), u))
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("GET / as %s = %d", u.name, resp.StatusCode)
	}
	tok, _ := parse(e.t, body).Find(`input[name="_csrf"]`).First().Attr("value")
	if tok == "" {
		e.t.Fatalf("no CSRF token for %s", u.name)
	}
	return tok
}

// tokenFor is the CSRF token to send as u (nil: anonymous).
func (e *env) tokenFor(u *user) string {
	if u != nil && u.csrf != "" {
		return u.csrf
	}
	return e.csrf
}

// asUser adds u's session cookie (and the CSRF cookie) to req.
func (e *env) asUser(req *http.Request, u *user) *http.Request {
	if u != nil && u.cookie != "" {
		req.AddCookie(&http.Cookie{Name: "pastel_session", Value: u.cookie})
	}
	if u != nil && u.csrf != "" && e.csrf != "" {
		// A request built with the anonymous token gets u's: tokens are
		// bound to the session.
		if req.Header.Get("X-CSRF-Token") == e.csrf {
			req.Header.Set("X-CSRF-Token", u.csrf)
		}
		if req.Body != nil {
			b, _ := io.ReadAll(req.Body)
			b = bytes.ReplaceAll(b, []byte(e.csrf), []byte(u.csrf))
			req.Body = io.NopCloser(bytes.NewReader(b))
			req.ContentLength = int64(len(b))
		}
	}
	req.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: e.cookie})
	return req
}

// bearer adds an Authorization header.
func bearer(req *http.Request, token string) *http.Request {
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

// userForm posts a urlencoded form with the CSRF token as u.
func (e *env) userForm(u *user, path string, fields map[string]string) (*http.Response, []byte) {
	e.t.Helper()
	vals := url.Values{}
	for k, v := range fields {
		vals.Set(k, v)
	}
	if vals.Get("_csrf") == "" {
		vals.Set("_csrf", e.tokenFor(u))
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(e.asUser(req, u))
}

// userGet fetches path as u (nil: anonymous).
func (e *env) userGet(u *user, path string) (*http.Response, []byte) {
	e.t.Helper()
	return e.do(e.asUser(httptest.NewRequest(http.MethodGet, path, nil), u))
}

// freshToken issues a new access token for a user at the current clock.
func (e *env) freshToken(userID int64) string {
	e.t.Helper()
	pair, err := e.accounts.IssueTokens(context.Background(), userID, "")
	if err != nil {
		e.t.Fatal(err)
	}
	return pair.AccessToken
}

// testRegistrations is a registration budget no ordinary test reaches.
const testRegistrations = 1 << 20
