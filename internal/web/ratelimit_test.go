package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"pastel/internal/api"
	"pastel/internal/pgtest"
	"pastel/internal/web"
)

// withRegistrations sets the registrations an hour per address.
func withRegistrations(n int) envOption { return func(c *envConfig) { c.registrations = n } }

// behindProxy makes app.Test's peer (0.0.0.0) a trusted proxy, so
// X-Forwarded-For names the client address.
var behindProxy = withOptions(func(o *web.Options) { o.TrustedProxies = []string{"0.0.0.0/32"} })

// writeBudget sets the write budgets per minute (users, addresses) and
// leaves the request budgets out of reach.
func writeBudget(user, addr int) envOption {
	return withRateLimits(api.RateLimits{User: 1 << 20, Anonymous: 1 << 20, UserCreates: user, AnonCreates: addr})
}

// retryAfterSecs returns the Retry-After seconds, failing unless they are
// within [1, most].
// perMinuteRetryBound is the longest wait a per-minute budget can name. The
// window slides: hits of the current minute still weigh on the next one, so
// a budget spent at the start of a minute frees a request up to 80 s later
// (3 of 3 used: the rest of this minute, then a third of the next); never
// more than two windows.
const perMinuteRetryBound = 120

func retryAfterSecs(t *testing.T, resp *http.Response, most int) int {
	t.Helper()
	n, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || n < 1 || n > most {
		t.Fatalf("Retry-After %q, want 1..%d", resp.Header.Get("Retry-After"), most)
	}
	return n
}

func TestWebFormWritesLimited(t *testing.T) {
	e := newEnv(t, writeBudget(1<<20, 3))
	e.browser()
	before := countPastes(t, e)
	for i := range 3 {
		if resp, body := e.postForm("/", map[string]string{"content": fmt.Sprintf("paste %d", i)}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create %d = %d %.300s", i, resp.StatusCode, body)
		}
	}
	// Past the budget: the layout's error page, 429 with Retry-After and a
	// message that says what happened; nothing is saved.
	resp, body := e.postForm("/", map[string]string{"content": "one too many"})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("create past the budget = %d %.300s", resp.StatusCode, body)
	}
	retryAfterSecs(t, resp, perMinuteRetryBound)
	doc := parse(t, body)
	if doc.Find(`[data-testid="error-status"]`).Text() != "429" || doc.Find("footer.site-footer").Length() != 1 ||
		!strings.Contains(doc.Find(`[data-testid="error-message"]`).Text(), "not saved. Try again in") {
		t.Fatalf("429 page: %.600s", body)
	}
	// htmx gets the error box alone.
	resp, body = e.postForm("/", map[string]string{"content": "by htmx"}, "HX-Request", "true")
	doc = parse(t, body)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" ||
		doc.Find(`[data-testid="error"]`).Length() != 1 || doc.Find("footer.site-footer").Length() != 0 {
		t.Fatalf("htmx create past the budget = %d %v %.300s", resp.StatusCode, resp.Header, body)
	}
	if n := countPastes(t, e); n != before+3 {
		t.Fatalf("%d pastes saved, want 3", n-before)
	}
	// A minute later the budget is back.
	e.clock.Advance(2 * time.Minute)
	if resp, body := e.postForm("/", map[string]string{"content": "later"}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create after the window = %d %.300s", resp.StatusCode, body)
	}
}

// A user's writes through forms and the API spend one budget, whatever the
// kind (pastes, comments, stars).
func TestWriteBudgetSharedByFormsAndAPI(t *testing.T) {
	e := newEnv(t, writeBudget(4, 1<<20))
	u := e.register("mia")
	resp, body := e.userForm(u, "/", map[string]string{"content": "from the form"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("form create = %d %.300s", resp.StatusCode, body)
	}
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/")
	if resp, body := e.do(bearer(jsonReq("POST", "/api/v1/pastes", `{"content":"from the API"}`), u.access)); resp.StatusCode != http.StatusCreated {
		t.Fatalf("API create = %d %s", resp.StatusCode, body)
	}
	if resp, body := e.userForm(u, "/"+id+"/comments", map[string]string{"body": "a comment"}); resp.StatusCode >= 400 {
		t.Fatalf("form comment = %d %.300s", resp.StatusCode, body)
	}
	if resp, body := e.do(bearer(httptest.NewRequest("PUT", "/api/v1/pastes/"+id+"/star", nil), u.access)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("API star = %d %s", resp.StatusCode, body)
	}
	// Four writes: the budget is spent on both surfaces.
	resp, body = e.userForm(u, "/", map[string]string{"content": "fifth, by form"})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("fifth write by form = %d %.300s", resp.StatusCode, body)
	}
	retryAfterSecs(t, resp, perMinuteRetryBound)
	resp, body = e.do(bearer(jsonReq("POST", "/api/v1/pastes/"+id+"/comments", `{"body":"fifth, by API"}`), u.access))
	if resp.StatusCode != http.StatusTooManyRequests || decode[apiError](t, body).Error.Code != "rate_limited" || resp.Header.Get("RateLimit-Limit") != "4" {
		t.Fatalf("fifth write by API = %d %v %s", resp.StatusCode, resp.Header, body)
	}
	retryAfterSecs(t, resp, perMinuteRetryBound)
	// Reads are not writes, and another user has a budget of its own.
	if resp, _ := e.do(bearer(httptest.NewRequest("GET", "/api/v1/pastes/"+id, nil), u.access)); resp.StatusCode != http.StatusOK {
		t.Fatalf("read after the writes = %d", resp.StatusCode)
	}
	v := e.register("noa")
	if resp, body := e.userForm(v, "/", map[string]string{"content": "noa's"}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("another user's create = %d %.300s", resp.StatusCode, body)
	}
}

func TestRegistrationsLimitedPerAddress(t *testing.T) {
	e := newEnv(t, withRegistrations(2), behindProxy)
	e.browser()
	form := func(name, addr string) *http.Response {
		resp, _ := e.postForm("/register", map[string]string{"username": name, "password": "correct horse battery staple"}, "X-Forwarded-For", addr)
		return resp
	}
	apiReg := func(name, addr string) *http.Response {
		req := jsonReq("POST", "/api/v1/auth/register", fmt.Sprintf(`{"username":%q,"password":"correct horse battery staple"}`, name))
		req.Header.Set("X-Forwarded-For", addr)
		resp, _ := e.do(req)
		return resp
	}
	if resp := form("ana", "198.51.100.1"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first registration = %d", resp.StatusCode)
	}
	if resp := apiReg("bob", "198.51.100.1"); resp.StatusCode != http.StatusCreated {
		t.Fatalf("second registration (API) = %d", resp.StatusCode)
	}
	// The address has spent its two, by form and by API alike.
	resp := form("cid", "198.51.100.1")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third registration (form) = %d", resp.StatusCode)
	}
	if n := retryAfterSecs(t, resp, 2*3600); n < 60 {
		t.Fatalf("Retry-After %d s: the budget is per hour", n)
	}
	if resp := apiReg("dan", "198.51.100.1"); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("third registration (API) = %d", resp.StatusCode)
	}
	if resp := form("eve", "198.51.100.2"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("another address's registration = %d", resp.StatusCode)
	}
	var users int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM users`).Scan(&users); err != nil || users != 3 {
		t.Fatalf("%d accounts (%v), want 3", users, err)
	}
}

// Two apps over one database (two replicas) spend from one budget: N
// replicas do not multiply a caller's writes or registrations.
func TestBudgetsSharedByReplicas(t *testing.T) {
	u := pgtest.NewURL(t)
	opts := []envOption{withDatabase(u), writeBudget(1<<20, 4), withRegistrations(1)}
	a, b := newEnv(t, opts...), newEnv(t, opts...)
	a.browser()
	b.browser()
	var codes []int
	for i := range 6 {
		var resp *http.Response
		switch i % 3 {
		case 0:
			resp, _ = a.postForm("/", map[string]string{"content": fmt.Sprintf("a %d", i)})
		case 1:
			resp, _ = b.postForm("/", map[string]string{"content": fmt.Sprintf("b %d", i)})
		case 2:
			resp, _ = b.do(jsonReq("POST", "/api/v1/pastes", fmt.Sprintf(`{"content":"b api %d"}`, i)))
		}
		codes = append(codes, resp.StatusCode)
	}
	if fmt.Sprint(codes) != "[303 303 201 303 429 429]" {
		t.Fatalf("writes across two replicas: %v, want four allowed in all", codes)
	}
	if resp, _ := a.do(jsonReq("POST", "/api/v1/auth/register", `{"username":"ren","password":"correct horse battery staple"}`)); resp.StatusCode != http.StatusTooManyRequests {
		// The address spent its writes: registrations spend writes too.
		t.Fatalf("registration with the writes spent = %d", resp.StatusCode)
	}
}

func TestRegistrationBudgetAcrossReplicas(t *testing.T) {
	u := pgtest.NewURL(t)
	opts := []envOption{withDatabase(u), withRegistrations(1)}
	a, b := newEnv(t, opts...), newEnv(t, opts...)
	reg := func(e *env, name string) int {
		resp, _ := e.do(jsonReq("POST", "/api/v1/auth/register", fmt.Sprintf(`{"username":%q,"password":"correct horse battery staple"}`, name)))
		return resp.StatusCode
	}
	if got := []int{reg(a, "ren"), reg(b, "sam"), reg(a, "tom")}; fmt.Sprint(got) != "[201 429 429]" {
		t.Fatalf("registrations across replicas: %v", got)
	}
}

// A limiter that cannot count refuses: the write would fail anyway.
func TestWriteLimiterFailsClosed(t *testing.T) {
	e := newEnv(t)
	e.browser()
	e.pool.Close()
	resp, body := e.postForm("/", map[string]string{"content": "while the database is gone"})
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("form create without the limiter's database = %d %.300s", resp.StatusCode, body)
	}
	resp, body = e.do(jsonReq("POST", "/api/v1/pastes", `{"content":"while the database is gone"}`))
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("API create without the limiter's database = %d %s", resp.StatusCode, body)
	}
}
