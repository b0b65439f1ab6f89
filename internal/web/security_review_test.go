package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// settingsToken makes a personal API token on /settings, as a person does,
// and returns it.
func (e *env) settingsToken(u *user, name string) string {
	e.t.Helper()
	resp, body := e.userForm(u, "/settings/tokens", map[string]string{"name": name})
	tok := strings.TrimSpace(parse(e.t, body).Find(`[data-testid="new-token"]`).Text())
	if resp.StatusCode != 200 || !strings.HasPrefix(tok, "pst_") {
		e.t.Fatalf("create token = %d, token %q", resp.StatusCode, tok)
	}
	return tok
}

// listedTokens are the token names /settings lists for u.
func (e *env) listedTokens(u *user) []string {
	e.t.Helper()
	resp, body := e.userGet(u, "/settings")
	if resp.StatusCode != 200 {
		e.t.Fatalf("/settings = %d", resp.StatusCode)
	}
	var names []string
	parse(e.t, body).Find(`[data-testid="token-name"]`).Each(func(_ int, n *goquery.Selection) {
		names = append(names, n.Text())
	})
	return names
}

func (e *env) meStatus(token string) int {
	e.t.Helper()
	resp, _ := e.do(bearer(httptest.NewRequest("GET", "/api/v1/me", nil), token))
	return resp.StatusCode
}

// A password change ends every personal token (the README says so), every
// other session, the refresh tokens and the access tokens issued before it;
// the browser that made the change stays signed in and makes new tokens.
func TestPasswordChangeEndsPersonalTokens(t *testing.T) {
	e := newEnv(t)
	u := e.register("pat_owner")
	pat := e.settingsToken(u, "deploy script")
	if got := e.meStatus(pat); got != 200 {
		t.Fatalf("personal token before = %d", got)
	}
	// A second browser of the same account.
	other := *u
	resp, _ := e.postForm("/login", map[string]string{"username": u.name, "password": u.password})
	for _, c := range resp.Cookies() {
		if c.Name == "pastel_session" && c.Value != "" {
			other.cookie = c.Value
		}
	}
	other.csrf = ""
	if other.cookie == "" || other.cookie == u.cookie {
		t.Fatal("no second session")
	}

	e.clock.Advance(time.Second)
	resp, body := e.userForm(u, "/settings/password", map[string]string{"old_password": u.password, "new_password": "a brand new password"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("password change = %d %.300s", resp.StatusCode, body)
	}
	if got := e.meStatus(pat); got != 401 {
		t.Errorf("personal token after password change = %d, want 401", got)
	}
	if got := e.listedTokens(u); len(got) != 0 {
		t.Errorf("settings still lists %q", got)
	}
	if got := e.meStatus(u.access); got != 401 {
		t.Errorf("access token after password change = %d, want 401", got)
	}
	if r, _ := e.do(jsonReq("POST", "/api/v1/auth/refresh", `{"refresh_token":"`+u.refresh+`"}`)); r.StatusCode != 401 {
		t.Errorf("refresh token after password change = %d, want 401", r.StatusCode)
	}
	if r, _ := e.userGet(&other, "/settings"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("other session after password change: /settings = %d, want a redirect to sign in", r.StatusCode)
	}
	if r, _ := e.userGet(u, "/settings"); r.StatusCode != 200 {
		t.Errorf("own session after password change = %d", r.StatusCode)
	}
	// Without advancing the clock: a token made right after works.
	fresh := e.settingsToken(u, "new script")
	if got := e.meStatus(fresh); got != 200 {
		t.Errorf("token made after the change = %d", got)
	}
	if got := e.listedTokens(u); len(got) != 1 || got[0] != "new script" {
		t.Errorf("settings lists %q", got)
	}
}

// Disabling an account ends its personal tokens for good: enabling it again
// brings none back, even in the same instant (the clock does not move).
func TestDisableEnableLeavesPersonalTokensEnded(t *testing.T) {
	e := newEnv(t)
	root, bea := e.register("root_pat"), e.register("bea")
	e.makeAdmin(root)
	pat := e.settingsToken(bea, "cron")
	if got := e.meStatus(pat); got != 200 {
		t.Fatalf("personal token before = %d", got)
	}
	for _, step := range []string{"disable", "enable"} {
		if r, b := e.apiAs(e.freshToken(root.id), "POST", "/api/v1/admin/users/bea/"+step, ""); r.StatusCode != 204 {
			t.Fatalf("%s = %d %s", step, r.StatusCode, b)
		}
	}
	if got := e.meStatus(pat); got != 401 {
		t.Errorf("personal token after disable and enable = %d, want 401", got)
	}
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM api_tokens WHERE user_id = $1`, bea.id).Scan(&n); err != nil || n != 0 {
		t.Errorf("api_tokens rows after disable = %d (%v), want 0", n, err)
	}
	// Bea signs in again and makes a new one.
	e.clock.Advance(time.Second)
	again := e.register2(bea)
	if got := e.meStatus(e.settingsToken(again, "cron again")); got != 200 {
		t.Errorf("new token after enable = %d", got)
	}
}

// register2 signs an existing user in again through the login form.
func (e *env) register2(u *user) *user {
	e.t.Helper()
	resp, body := e.postForm("/login", map[string]string{"username": u.name, "password": u.password})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s = %d: %.300s", u.name, resp.StatusCode, body)
	}
	n := *u
	n.cookie, n.csrf = "", ""
	for _, c := range resp.Cookies() {
		if c.Name == "pastel_session" && c.Value != "" {
			n.cookie = c.Value
		}
	}
	if n.cookie == "" {
		e.t.Fatal("no session cookie after login")
	}
	n.csrf = e.csrfOf(&n)
	return &n
}

// The idempotency table keeps no secret in clear: not the client's key,
// not the answer's delete token, paste ID or share-link token.
func TestIdempotencyRecordsHoldNoSecrets(t *testing.T) {
	e := newEnv(t)
	const key = "anon-key-0123456789abcdef"
	req := jsonReq("POST", "/api/v1/pastes", `{"content":"kept sealed"}`)
	req.Header.Set("Idempotency-Key", key)
	resp, body := e.do(req)
	created := decode[apiPaste](t, body)
	if resp.StatusCode != 201 || created.DeleteToken == "" {
		t.Fatalf("create = %d %s", resp.StatusCode, body)
	}
	// The same request again is answered from the sealed record.
	req = jsonReq("POST", "/api/v1/pastes", `{"content":"kept sealed"}`)
	req.Header.Set("Idempotency-Key", key)
	resp2, body2 := e.do(req)
	if resp2.StatusCode != 201 || resp2.Header.Get("Idempotent-Replayed") != "true" || string(body2) != string(body) {
		t.Fatalf("replay = %d %v %s", resp2.StatusCode, resp2.Header, body2)
	}
	u := e.register("sealer")
	const userKey = "user-key-1"
	req = bearer(jsonReq("POST", "/api/v1/pastes", `{"content":"mine","visibility":"private"}`), u.access)
	req.Header.Set("Idempotency-Key", userKey)
	if r, b := e.do(req); r.StatusCode != 201 {
		t.Fatalf("user create = %d %s", r.StatusCode, b)
	}
	rows, err := e.pool.Query(context.Background(), `SELECT t::text FROM idempotency_keys t`)
	if err != nil {
		t.Fatal(err)
	}
	var dump []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		dump = append(dump, s)
	}
	if rows.Err() != nil || len(dump) != 2 {
		t.Fatalf("%d rows (%v)", len(dump), rows.Err())
	}
	all := strings.Join(dump, "\n")
	hexOf := func(s string) string { return fmt.Sprintf("%x", s) }
	for _, secret := range []string{key, userKey, created.DeleteToken, created.ID, "kept sealed", "0.0.0.0"} {
		if strings.Contains(all, secret) || strings.Contains(all, hexOf(secret)) {
			t.Errorf("the idempotency table holds %q in clear:\n%s", secret, all)
		}
	}
}

// Two anonymous clients behind one address: a key must be long enough not
// to collide, and the same key with another request is refused; neither
// ever sees the other's delete token.
func TestIdempotencyAnonymousClientsBehindOneAddress(t *testing.T) {
	e := newEnv(t)
	send := func(key, body string) (*http.Response, []byte) {
		req := jsonReq("POST", "/api/v1/pastes", body)
		req.Header.Set("Idempotency-Key", key)
		return e.do(req)
	}
	// Short keys are refused for anonymous callers, naming the header.
	for _, short := range []string{"1", "key-1", "fifteen-chars15"} {
		r, b := send(short, `{"content":"alice's"}`)
		if ae := decode[apiError](t, b); r.StatusCode != 400 || ae.Error.Fields["Idempotency-Key"] == "" {
			t.Errorf("anonymous key %q = %d %s, want 400 naming Idempotency-Key", short, r.StatusCode, b)
		}
	}
	if n := countPastes(t, e); n != 0 {
		t.Fatalf("%d pastes made by refused requests", n)
	}
	const shared = "0123456789abcdef" // both clients picked it (16 characters)
	ra, ba := send(shared, `{"content":"alice's"}`)
	alice := decode[apiPaste](t, ba)
	if ra.StatusCode != 201 || alice.DeleteToken == "" {
		t.Fatalf("alice = %d %s", ra.StatusCode, ba)
	}
	rb, bb := send(shared, `{"content":"bob's"}`)
	if ae := decode[apiError](t, bb); rb.StatusCode != 422 || ae.Error.Code != "idempotency_key_reused" || strings.Contains(string(bb), alice.DeleteToken) {
		t.Fatalf("bob with alice's key = %d %s", rb.StatusCode, bb)
	}
	// With their own keys each gets their own paste and token.
	rb, bb = send("bob-7f3a9c1e2d4b6a80", `{"content":"bob's"}`)
	bob := decode[apiPaste](t, bb)
	if rb.StatusCode != 201 || bob.DeleteToken == "" || bob.DeleteToken == alice.DeleteToken || bob.ID == alice.ID {
		t.Fatalf("bob = %d %s", rb.StatusCode, bb)
	}
	// A signed-in caller's keys are theirs alone: a short one is fine.
	u := e.register("short_keys")
	req := bearer(jsonReq("POST", "/api/v1/pastes", `{"content":"x"}`), u.access)
	req.Header.Set("Idempotency-Key", "k1")
	if r, b := e.do(req); r.StatusCode != 201 {
		t.Errorf("signed-in short key = %d %s", r.StatusCode, b)
	}
}

// Share-link creation is never replayed: a retry with the same key after
// the link was revoked gets a new, working link, not the revoked token.
func TestShareLinkCreationNotReplayed(t *testing.T) {
	e := newEnv(t)
	u := e.register("linker")
	resp, body := e.do(bearer(jsonReq("POST", "/api/v1/pastes", `{"content":"private words","visibility":"private"}`), u.access))
	p := decode[apiPaste](t, body)
	if resp.StatusCode != 201 {
		t.Fatalf("create = %d %s", resp.StatusCode, body)
	}
	link := func() string {
		t.Helper()
		req := bearer(jsonReq("POST", "/api/v1/pastes/"+p.ID+"/share-links", `{}`), u.access)
		req.Header.Set("Idempotency-Key", "share-key-0123456789")
		r, b := e.do(req)
		var l struct{ Token string }
		json.Unmarshal(b, &l)
		if r.StatusCode != 201 || l.Token == "" || r.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("share link = %d %v %s", r.StatusCode, r.Header, b)
		}
		return l.Token
	}
	first := link()
	if r, b := e.do(bearer(httptest.NewRequest("DELETE", "/api/v1/pastes/"+p.ID+"/share-links/"+url.PathEscape(first), nil), u.access)); r.StatusCode != 204 {
		t.Fatalf("revoke = %d %s", r.StatusCode, b)
	}
	second := link()
	if second == first {
		t.Fatal("the revoked link's token was handed out again")
	}
	if r, _ := e.get("/s/" + second); r.StatusCode != 200 {
		t.Errorf("new link = %d", r.StatusCode)
	}
	if r, _ := e.get("/s/" + first); r.StatusCode != 404 {
		t.Errorf("revoked link = %d", r.StatusCode)
	}
}

// Good sign-ins from one address (an office behind one NAT) never lock it.
func TestSuccessfulSignInsDoNotCount(t *testing.T) {
	e := newEnv(t)
	u := e.register("office")
	for i := range 25 {
		if r, b := e.postForm("/login", map[string]string{"username": u.name, "password": u.password}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("good sign-in %d = %d %.200s", i+1, r.StatusCode, b)
		}
	}
	// A success resets the account's failures: four wrong, one right, four
	// wrong again stays under the limit of five.
	for round := range 2 {
		for i := range 4 {
			if r, _ := e.postForm("/login", map[string]string{"username": u.name, "password": "not it at all"}); r.StatusCode != 422 {
				t.Fatalf("round %d wrong %d = %d, want 422", round, i+1, r.StatusCode)
			}
		}
		if r, _ := e.postForm("/login", map[string]string{"username": u.name, "password": u.password}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("round %d good sign-in = %d", round, r.StatusCode)
		}
	}
}

// Twelve wrong passwords over one keep-alive connection, each followed by
// another form POST that reuses the server's request buffers, lock the
// account: the limiter's keys must not point into those buffers.
func TestSignInLimitOverOneConnection(t *testing.T) {
	e := newEnv(t, served())
	u := e.register("victim")
	e.browser() // a fresh anonymous CSRF cookie and token
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(conn)
	host := strings.TrimPrefix(e.base, "http://")
	post := func(path string, form url.Values) (int, string) {
		t.Helper()
		form.Set("_csrf", e.csrf)
		body := form.Encode()
		req := "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + e.base +
			"\r\nCookie: pastel_csrf=" + e.cookie +
			"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n" + body
		if _, err := io.WriteString(conn, req); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatalf("no answer: %v", err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Close {
			t.Fatal("the server closed the connection")
		}
		return resp.StatusCode, string(b)
	}
	for i := range 12 {
		status, body := post("/login", url.Values{"username": {"victim"}, "password": {fmt.Sprintf("wrong guess %02d", i)}})
		if status != 422 && status != 429 {
			t.Fatalf("wrong password %d = %d %.200s", i+1, status, body)
		}
		// Another form on the same connection overwrites the buffers.
		if status, body := post("/", url.Values{"content": {strings.Repeat("Z", 64)}, "title": {"XXXXXXXXXXXX"}}); status >= 500 {
			t.Fatalf("form POST = %d %.200s", status, body)
		}
	}
	status, body := post("/login", url.Values{"username": {"victim"}, "password": {u.password}})
	if status != http.StatusTooManyRequests || !strings.Contains(body, "Too many sign-in attempts") {
		t.Fatalf("right password after 12 wrong = %d, want 429 with the limit message: %.300s", status, body)
	}
}
