package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"pastel/internal/blob"
	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/ratelimit"
	"pastel/internal/store"
)

// Issue 16: password pastes, views caps, share links with limits, the
// expiry policy.

// pwGet reads path with the password header (none when pw is "").
func (e *env) pwGet(path, pw string, hdr ...string) (*http.Response, []byte) {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if pw != "" {
		req.Header.Set("X-Paste-Password", pw)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return e.do(req)
}

func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var b struct {
		Error struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatalf("not a JSON error: %.200s", body)
	}
	return b.Error.Code
}

const secretBody = "the launch code is 0000-SECRET"

func TestPasswordPasteReads(t *testing.T) {
	e := newEnv(t)
	owner := e.register("pwowner")
	id := e.apiPaste(owner, `{"title":"locked","content":"`+secretBody+`","password":"hunter2"}`)

	// Without or with a wrong password: 401 password_required everywhere
	// a body is read, in the contract's JSON shape.
	for _, path := range []string{"/api/v1/pastes/" + id, "/raw/" + id, "/dl/" + id} {
		for _, pw := range []string{"", "wrong"} {
			resp, body := e.pwGet(path, pw)
			if resp.StatusCode != 401 || errorCode(t, body) != "password_required" {
				t.Fatalf("GET %s with %q = %d %s, want 401 password_required", path, pw, resp.StatusCode, body)
			}
			if strings.Contains(string(body), "SECRET") {
				t.Fatalf("GET %s leaked the body", path)
			}
		}
		resp, body := e.pwGet(path, "hunter2")
		if resp.StatusCode != 200 || !strings.Contains(string(body), secretBody) {
			t.Fatalf("GET %s with the password = %d %.200s", path, resp.StatusCode, body)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s Cache-Control = %q, want no-store", path, cc)
		}
	}
	// The owner reads without it.
	resp, body := e.apiJSON(owner, "GET", "/api/v1/pastes/"+id, "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), secretBody) || !strings.Contains(string(body), `"password_protected":true`) {
		t.Fatalf("owner GET = %d %.300s", resp.StatusCode, body)
	}

	// The page asks for it; nothing of the paste is on the prompt.
	resp, body = e.get("/" + id)
	if resp.StatusCode != 401 {
		t.Fatalf("GET /%s = %d, want 401 with the prompt", id, resp.StatusCode)
	}
	doc := parse(t, body)
	if doc.Find(`[data-testid="password-form"]`).Length() != 1 || strings.Contains(string(body), "SECRET") || strings.Contains(string(body), "locked") {
		t.Fatalf("prompt page wrong or leaking: %.500s", body)
	}
	if action, _ := doc.Find(`[data-testid="password-form"]`).Attr("action"); action != "/"+id+"/unlock" {
		t.Fatalf("prompt posts to %q", action)
	}
	e.browser()
	resp, _ = e.postForm("/"+id+"/unlock", map[string]string{"password": "nope"})
	if resp.StatusCode != 401 {
		t.Fatalf("wrong password on the form = %d, want 401", resp.StatusCode)
	}
	resp, _ = e.postForm("/"+id+"/unlock", map[string]string{"password": "hunter2"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("right password on the form = %d, want 303", resp.StatusCode)
	}
	var session string
	for _, c := range resp.Cookies() {
		if c.Name == "pastel_session" {
			session = c.Value
		}
		if strings.Contains(c.Value, "hunter2") {
			t.Fatal("the password is in a cookie")
		}
	}
	if session == "" {
		t.Fatal("no session kept the unlock")
	}
	withSession := func(path string) (*http.Response, []byte) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(&http.Cookie{Name: "pastel_session", Value: session})
		return e.do(req)
	}
	if resp, body := withSession("/" + id); resp.StatusCode != 200 || !strings.Contains(string(body), "SECRET") {
		t.Fatalf("unlocked page = %d", resp.StatusCode)
	}
	if resp, body := withSession("/raw/" + id); resp.StatusCode != 200 || string(body) != secretBody {
		t.Fatalf("unlocked raw = %d", resp.StatusCode)
	}
	// The unlock is for that paste only.
	other := e.apiPaste(owner, `{"content":"`+secretBody+`","password":"hunter2"}`)
	if resp, _ := withSession("/raw/" + other); resp.StatusCode != 401 {
		t.Fatalf("another paste with the same session = %d, want 401", resp.StatusCode)
	}

	// Never listed with its text, never previewed, never in a snippet.
	for _, path := range []string{"/explore", "/u/pwowner", "/api/v1/pastes?owner=pwowner", "/api/v1/search?q=launch", "/search?q=launch", "/oembed?url=" + e.base + "/" + id, "/embed/" + id} {
		_, body := e.get(path)
		if strings.Contains(string(body), "SECRET") || strings.Contains(string(body), "launch code") {
			t.Errorf("%s shows the password paste's text", path)
		}
	}
}

// TestPasswordCaches: a 304 or an ETag never stands in for the password,
// and the read cache never serves the body to a request without it.
func TestPasswordCaches(t *testing.T) {
	e := newEnv(t)
	owner := e.register("pwcache")
	id := e.apiPaste(owner, `{"content":"`+secretBody+`","password":"pw-1"}`)
	for _, path := range []string{"/raw/" + id, "/api/v1/pastes/" + id} {
		resp, _ := e.pwGet(path, "pw-1")
		tag := resp.Header.Get("ETag")
		if resp.StatusCode != 200 || tag == "" {
			t.Fatalf("GET %s = %d etag %q", path, resp.StatusCode, tag)
		}
		// The body is now in the caches: still 401 without the password,
		// with the ETag or not.
		for _, inm := range []string{tag, "*", ""} {
			resp, body := e.pwGet(path, "", "If-None-Match", inm)
			if resp.StatusCode != 401 || strings.Contains(string(body), "SECRET") {
				t.Fatalf("GET %s If-None-Match %q without password = %d", path, inm, resp.StatusCode)
			}
			if resp.Header.Get("ETag") != "" {
				t.Fatalf("GET %s without password carries an ETag", path)
			}
		}
		if resp, _ := e.pwGet(path, "pw-1", "If-None-Match", tag); resp.StatusCode != 304 {
			t.Fatalf("GET %s with the password and its ETag = %d, want 304", path, resp.StatusCode)
		}
		if resp, _ := e.pwGet(path, "bad", "If-None-Match", tag); resp.StatusCode != 401 {
			t.Fatalf("GET %s wrong password and its ETag = %d, want 401", path, resp.StatusCode)
		}
	}
}

// TestPasswordGuessLimitAcrossReplicas: two apps on one database spend
// from the same budgets, per paste and per client address.
func TestPasswordGuessLimitAcrossReplicas(t *testing.T) {
	a := newEnv(t)
	db := a.pool.Config().ConnString()
	// Replicas share the database and the blob store.
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	small := func(perPaste, perAddr int) envOption {
		// Each replica its own pool and store over the one database, as
		// in production.
		st := store.New(pgtest.NewPoolFor(t, db))
		return func(c *envConfig) {
			withBlobs(blobs)(c)
			withPasteOptions(func(o *paste.Options) {
				o.Passwords.PerPaste, o.Passwords.PerAddress = st.PasswordGuesses(ratelimit.PerMinute(perPaste), ratelimit.PerMinute(perAddr), nil)
			})(c)
		}
	}
	r1 := newEnv(t, withDatabase(db), small(4, 1000))
	r2 := newEnv(t, withDatabase(db), small(4, 1000))
	owner := r1.register("guesser")
	id := r1.apiPaste(owner, `{"content":"x","password":"right"}`)
	for i := 0; i < 4; i++ {
		r := []*env{r1, r2}[i%2]
		if resp, _ := r.pwGet("/api/v1/pastes/"+id, fmt.Sprintf("guess%d", i)); resp.StatusCode != 401 {
			t.Fatalf("guess %d = %d, want 401", i, resp.StatusCode)
		}
	}
	for _, r := range []*env{r1, r2} {
		resp, body := r.pwGet("/api/v1/pastes/"+id, "right")
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" || errorCode(t, body) != "rate_limited" {
			t.Fatalf("after the budget: %d Retry-After %q %s, want 429", resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	}
	// Another paste has its own budget.
	other := r1.apiPaste(owner, `{"content":"y","password":"right"}`)
	if resp, _ := r2.pwGet("/raw/"+other, "right"); resp.StatusCode != 200 {
		t.Fatalf("another paste = %d, want 200", resp.StatusCode)
	}

	// Per address: three guesses at three pastes, across both replicas
	// (on a database of their own: the address spent guesses above).
	db = newEnv(t).pool.Config().ConnString()
	a1 := newEnv(t, withDatabase(db), small(1000, 3))
	a2 := newEnv(t, withDatabase(db), small(1000, 3))
	owner = a1.register("guesser2")
	ids := []string{a1.apiPaste(owner, `{"content":"1","password":"p"}`), a1.apiPaste(owner, `{"content":"2","password":"p"}`), a1.apiPaste(owner, `{"content":"3","password":"p"}`)}
	for i, pid := range ids {
		if resp, _ := []*env{a1, a2}[i%2].pwGet("/raw/"+pid, "no"); resp.StatusCode != 401 {
			t.Fatalf("address guess %d = %d", i, resp.StatusCode)
		}
	}
	fresh := a1.apiPaste(owner, `{"content":"4","password":"p"}`)
	if resp, _ := a2.pwGet("/raw/"+fresh, "p"); resp.StatusCode != 429 {
		t.Fatalf("4th guess from the address = %d, want 429", resp.StatusCode)
	}
}

// TestMaxViews: N concurrent readers get the body, the others 404; HEAD,
// the confirmation page and metadata reads take nothing.
func TestMaxViews(t *testing.T) {
	e := newEnv(t)
	owner := e.register("capper")
	const n = 5
	id := e.apiPaste(owner, fmt.Sprintf(`{"content":"counted","max_views":%d}`, n))
	for i := 0; i < 3; i++ {
		if resp, _ := e.do(httptest.NewRequest(http.MethodHead, "/raw/"+id, nil)); resp.StatusCode != 200 {
			t.Fatalf("HEAD = %d", resp.StatusCode)
		}
		if resp, body := e.get("/" + id); resp.StatusCode != 200 || strings.Contains(string(body), "counted") {
			t.Fatalf("confirmation page = %d or shows the body", resp.StatusCode)
		}
	}
	// The owner's page says how many views are left.
	resp, body := e.do(e.asUser(httptest.NewRequest(http.MethodGet, "/"+id, nil), owner))
	if resp.StatusCode != 200 || !strings.Contains(string(body), fmt.Sprintf("%d views left", n)) {
		t.Fatalf("owner page = %d, want %q: %.400s", resp.StatusCode, fmt.Sprintf("%d views left", n), body)
	}
	const readers = 12
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[int]int{}
	for i := 0; i < readers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			path := "/raw/" + id
			if i%2 == 1 {
				path = "/api/v1/pastes/" + id
			}
			resp, body := e.get(path)
			mu.Lock()
			defer mu.Unlock()
			got[resp.StatusCode]++
			if resp.StatusCode == 200 && !strings.Contains(string(body), "counted") {
				t.Errorf("a 200 without the body")
			}
		}(i)
	}
	wg.Wait()
	if got[200] != n || got[404] != readers-n {
		t.Fatalf("reads = %v, want %d × 200 and %d × 404", got, n, readers-n)
	}
	// Refused: out of range, and a contradiction with burn.
	for _, bad := range []string{`{"content":"x","max_views":0.5}`, `{"content":"x","max_views":-1}`, `{"content":"x","max_views":1000001}`, `{"content":"x","max_views":3,"burn_after_reading":true}`} {
		resp, body := e.apiJSON(owner, "POST", "/api/v1/pastes", bad)
		if resp.StatusCode != 422 || !strings.Contains(string(body), "max_views") {
			t.Errorf("%s = %d %s, want 422 naming max_views", bad, resp.StatusCode, body)
		}
	}
	// max_views 1 is burn after reading.
	var one struct {
		Burn     bool `json:"burn_after_reading"`
		MaxViews int  `json:"max_views"`
	}
	json.Unmarshal(e.mustAPI(owner, "POST", "/api/v1/pastes", `{"content":"x","max_views":1}`, 201), &one)
	if !one.Burn || one.MaxViews != 1 {
		t.Fatalf("max_views 1 = %+v, want burn", one)
	}
}

// TestShareLinkLimits: a share link's own expiry and cap, its listing and
// its revocation by id and by token.
func TestShareLinkLimits(t *testing.T) {
	e := newEnv(t)
	owner := e.register("sharer")
	id := e.apiPaste(owner, `{"content":"shared text","visibility":"private"}`)
	type link struct {
		ID        int64  `json:"id"`
		Token     string `json:"token"`
		TokenHint string `json:"token_hint"`
		MaxViews  *int   `json:"max_views"`
		Views     int    `json:"views"`
	}
	mk := func(body string) link {
		var l link
		json.Unmarshal(e.mustAPI(owner, "POST", "/api/v1/pastes/"+id+"/share-links", body, 201), &l)
		if l.Token == "" || l.TokenHint != l.Token[len(l.Token)-4:] {
			t.Fatalf("share link %+v", l)
		}
		return l
	}
	capped := mk(`{"max_views":2}`)
	for i := 0; i < 2; i++ {
		if resp, _ := e.get("/api/v1/shared/" + capped.Token); resp.StatusCode != 200 {
			t.Fatalf("capped read %d = %d", i, resp.StatusCode)
		}
	}
	if resp, _ := e.get("/s/" + capped.Token + "/raw"); resp.StatusCode != 404 {
		t.Fatalf("third read = %d, want 404", resp.StatusCode)
	}
	var list struct {
		Items []link `json:"items"`
	}
	json.Unmarshal(e.mustAPI(owner, "GET", "/api/v1/pastes/"+id+"/share-links", "", 200), &list)
	if len(list.Items) != 1 || list.Items[0].Token != "" || list.Items[0].TokenHint != capped.TokenHint || list.Items[0].Views != 2 || list.Items[0].MaxViews == nil || *list.Items[0].MaxViews != 2 {
		t.Fatalf("listing = %+v", list.Items)
	}

	expiring := mk(`{"expires_in":"90m"}`)
	if resp, _ := e.get("/s/" + expiring.Token); resp.StatusCode != 200 {
		t.Fatalf("fresh link = %d", resp.StatusCode)
	}
	e.clock.Advance(91 * time.Minute)
	if resp, _ := e.get("/s/" + expiring.Token); resp.StatusCode != 404 {
		t.Fatalf("expired link = %d, want 404", resp.StatusCode)
	}
	if resp, body := e.apiJSON(owner, "POST", "/api/v1/pastes/"+id+"/share-links", `{"expires_in":"soon"}`); resp.StatusCode != 422 || !strings.Contains(string(body), "expires_in") {
		t.Fatalf("bad expires_in = %d %s", resp.StatusCode, body)
	}

	// The page's share form takes the same limits.
	if resp, body := e.userForm(owner, "/"+id+"/share-links", map[string]string{"expires_in": "1d", "max_views": "4"}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("share form = %d %.200s", resp.StatusCode, body)
	}
	if resp, body := e.userForm(owner, "/"+id+"/share-links", map[string]string{"max_views": "many"}); resp.StatusCode != 422 {
		t.Fatalf("share form with a bad cap = %d %.200s", resp.StatusCode, body)
	}
	_, page := e.do(e.asUser(httptest.NewRequest(http.MethodGet, "/"+id, nil), owner))
	views := parse(t, page).Find(`[data-testid="share-views"]`).Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	if strings.Join(views, "|") != "· 0 of 4 views|· 2 of 2 views" {
		t.Fatalf("share list on the page: %q", views)
	}

	byID, byToken := mk(`{}`), mk(``)
	e.mustAPI(owner, "DELETE", fmt.Sprintf("/api/v1/pastes/%s/share-links/%d", id, byID.ID), "", 204)
	e.mustAPI(owner, "DELETE", "/api/v1/pastes/"+id+"/share-links/"+byToken.Token, "", 204)
	for _, l := range []link{byID, byToken} {
		if resp, _ := e.get("/api/v1/shared/" + l.Token); resp.StatusCode != 404 {
			t.Fatalf("revoked link = %d", resp.StatusCode)
		}
	}
}

// TestExpiryPolicy: DEFAULT_EXPIRY and MAX_EXPIRY, on the API and the form.
func TestExpiryPolicy(t *testing.T) {
	e := newEnv(t, withPasteOptions(func(o *paste.Options) {
		o.DefaultExpiry, o.MaxExpiry = "1h", 24*time.Hour
	}))
	u := e.register("expirer")
	var p struct {
		ExpiresAt *time.Time `json:"expires_at"`
	}
	json.Unmarshal(e.mustAPI(u, "POST", "/api/v1/pastes", `{"content":"x"}`, 201), &p)
	if p.ExpiresAt == nil || p.ExpiresAt.Sub(e.clock.Now()) != time.Hour {
		t.Fatalf("default expiry = %v, want now+1h", p.ExpiresAt)
	}
	for _, ok := range []string{`"expires_in":"90m"`, `"expires_in":5400`, `"expires_in":"1d"`, `"expires_in":"24h"`} {
		e.mustAPI(u, "POST", "/api/v1/pastes", `{"content":"x",`+ok+`}`, 201)
	}
	for field, bad := range map[string][]string{
		"expires_in": {`"expires_in":"never"`, `"expires_in":"36h"`, `"expires_in":"1w"`, `"expires_in":90000`},
		"expires_at": {`"expires_at":"` + e.clock.Now().Add(48*time.Hour).Format(time.RFC3339) + `"`},
	} {
		for _, b := range bad {
			resp, body := e.apiJSON(u, "POST", "/api/v1/pastes", `{"content":"x",`+b+`}`)
			if resp.StatusCode != 422 || !strings.Contains(string(body), `"`+field+`"`) {
				t.Errorf("%s = %d %s, want 422 naming %s", b, resp.StatusCode, body, field)
			}
		}
	}
	id := e.apiPaste(u, `{"content":"x"}`)
	if resp, body := e.apiJSON(u, "PATCH", "/api/v1/pastes/"+id, `{"expires_in":"never"}`); resp.StatusCode != 422 || !strings.Contains(string(body), "expires_in") {
		t.Errorf("edit to never = %d %s, want 422", resp.StatusCode, body)
	}
	// The form offers presets within the limit, no "never".
	_, body := e.get("/")
	doc := parse(t, body)
	var offered []string
	doc.Find(`select[name="expires_in"] option`).Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		offered = append(offered, v)
	})
	if strings.Join(offered, " ") != "10m 1h 1d custom" {
		t.Fatalf("form presets = %v, want 10m 1h 1d custom", offered)
	}

	// Without a policy: never is the default and offered.
	d := newEnv(t)
	du := d.register("plain")
	json.Unmarshal(d.mustAPI(du, "POST", "/api/v1/pastes", `{"content":"x"}`, 201), &p)
	if p.ExpiresAt != nil {
		t.Fatalf("default without policy = %v, want never", p.ExpiresAt)
	}
}

// TestPasswordEdit: the owner adds, changes and removes a paste's password
// with PATCH; adding one takes the preview and the searchable text away,
// changing it voids the old password and the sessions it unlocked.
func TestPasswordEdit(t *testing.T) {
	e := newEnv(t)
	owner := e.register("pwedit")
	id := e.apiPaste(owner, `{"title":"plain","content":"zebracorn findable text"}`)
	if _, body := e.get("/api/v1/search?q=zebracorn"); !strings.Contains(string(body), id) {
		t.Fatalf("search before the password: %s", body)
	}
	e.mustAPI(owner, "PATCH", "/api/v1/pastes/"+id, `{"password":"first"}`, 200)
	if resp, _ := e.pwGet("/raw/"+id, ""); resp.StatusCode != 401 {
		t.Fatalf("after adding a password: %d", resp.StatusCode)
	}
	for _, path := range []string{"/api/v1/search?q=zebracorn", "/explore", "/u/pwedit"} {
		if _, body := e.get(path); strings.Contains(string(body), "zebracorn") {
			t.Errorf("%s still shows the text", path)
		}
	}
	e.browser()
	resp, _ := e.postForm("/"+id+"/unlock", map[string]string{"password": "first"})
	var session string
	for _, c := range resp.Cookies() {
		if c.Name == "pastel_session" {
			session = c.Value
		}
	}
	e.mustAPI(owner, "PATCH", "/api/v1/pastes/"+id, `{"password":"second"}`, 200)
	if resp, _ := e.pwGet("/raw/"+id, "first"); resp.StatusCode != 401 {
		t.Fatalf("old password after a change: %d", resp.StatusCode)
	}
	if resp, _ := e.pwGet("/raw/"+id, "second"); resp.StatusCode != 200 {
		t.Fatalf("new password: %d", resp.StatusCode)
	}
	req := httptest.NewRequest(http.MethodGet, "/raw/"+id, nil)
	req.AddCookie(&http.Cookie{Name: "pastel_session", Value: session})
	if resp, _ := e.do(req); resp.StatusCode != 401 {
		t.Fatalf("a session unlocked with the old password: %d", resp.StatusCode)
	}
	if resp, body := e.apiJSON(owner, "PATCH", "/api/v1/pastes/"+id, `{"password":"`+strings.Repeat("x", 300)+`"}`); resp.StatusCode != 422 || !strings.Contains(string(body), `"password"`) {
		t.Fatalf("a long password = %d %s", resp.StatusCode, body)
	}
	e.mustAPI(owner, "PATCH", "/api/v1/pastes/"+id, `{"password":""}`, 200)
	if resp, _ := e.pwGet("/raw/"+id, ""); resp.StatusCode != 200 {
		t.Fatalf("after removing the password: %d", resp.StatusCode)
	}
}

// TestPasswordOneGuessPerRequest: every request that sends a password
// spends one guess, right or wrong, however often it reads the paste; a
// budget of 3 lets three reads with the right password through.
func TestPasswordOneGuessPerRequest(t *testing.T) {
	db := newEnv(t).pool.Config().ConnString()
	st := store.New(pgtest.NewPoolFor(t, db))
	e := newEnv(t, withDatabase(db), withPasteOptions(func(o *paste.Options) {
		o.Passwords.PerPaste, o.Passwords.PerAddress = st.PasswordGuesses(ratelimit.PerMinute(3), ratelimit.PerMinute(1000), nil)
	}))
	owner := e.register("onceper")
	id := e.apiPaste(owner, `{"content":"x","password":"right"}`)
	for _, path := range []string{"/api/v1/pastes/" + id, "/raw/" + id, "/api/v1/pastes/" + id + "/comments"} {
		if resp, body := e.pwGet(path, "right"); resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d %.200s", path, resp.StatusCode, body)
		}
	}
	if resp, _ := e.pwGet("/raw/"+id, "right"); resp.StatusCode != 429 {
		t.Fatalf("fourth request = %d, want 429", resp.StatusCode)
	}
	// The owner spends nothing.
	if resp, _ := e.apiJSON(owner, "GET", "/api/v1/pastes/"+id, ""); resp.StatusCode != 200 {
		t.Fatalf("owner after the budget = %d", resp.StatusCode)
	}
}
