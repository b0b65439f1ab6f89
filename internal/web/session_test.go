package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestSessionFixationAndReplay(t *testing.T) {
	e := newEnv(t)
	e.browser()
	if _, err := e.accounts.Register(t.Context(), "vera", "", "the right password"); err != nil {
		t.Fatal(err)
	}
	// An attacker plants a session ID before sign-in.
	planted := "planted-session-id-planted-session-id-000"
	// The victim's browser then loads the sign-in form with it.
	page := httptest.NewRequest("GET", "/login", nil)
	page.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: e.cookie})
	page.AddCookie(&http.Cookie{Name: "pastel_session", Value: planted})
	_, pageBody := e.do(page)
	token, _ := parse(t, pageBody).Find(`input[name="_csrf"]`).First().Attr("value")
	req := formReq(e, "/login", map[string]string{"username": "vera", "password": url.QueryEscape("the right password")})
	req.Body = io.NopCloser(strings.NewReader(strings.Replace(readAll(t, req.Body), "_csrf="+e.csrf, "_csrf="+token, 1)))
	req.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: e.cookie})
	req.AddCookie(&http.Cookie{Name: "pastel_session", Value: planted})
	resp, _ := e.do(req)
	var got *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "pastel_session" {
			got = c
		}
	}
	if resp.StatusCode != 303 || got == nil || got.Value == planted || len(got.Value) < 40 {
		t.Fatalf("login = %d, cookie %+v: the session ID must be new", resp.StatusCode, got)
	}
	if !got.HttpOnly || got.SameSite != http.SameSiteLaxMode || got.Path != "/" || got.Secure {
		t.Fatalf("cookie attributes on http: %+v", got)
	}
	vera := &user{name: "vera", cookie: got.Value}
	vera.csrf = e.csrfOf(vera)
	if _, body := e.userGet(&user{cookie: planted}, "/settings"); strings.Contains(string(body), "vera") {
		t.Fatal("the planted ID signs in")
	}
	if resp, _ := e.userGet(vera, "/settings"); resp.StatusCode != 200 {
		t.Fatalf("settings with the new session = %d", resp.StatusCode)
	}
	// Sign out, then replay the old cookie: signed out on the server.
	if resp, _ := e.userForm(vera, "/logout", nil); resp.StatusCode != 303 {
		t.Fatalf("logout = %d", resp.StatusCode)
	}
	resp, _ = e.userGet(vera, "/settings")
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("replayed cookie after logout = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestLoginCSRFAndNext(t *testing.T) {
	e := newEnv(t)
	e.browser()
	if _, err := e.accounts.Register(t.Context(), "wendy", "", "the right password"); err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{"username": "wendy", "password": url.QueryEscape("the right password")}
	req := formReq(e, "/login", fields)
	req.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: e.cookie})
	req.Header.Set("Origin", "https://evil.example")
	if resp, _ := e.do(req); resp.StatusCode != 403 {
		t.Fatalf("cross-site login = %d, want 403", resp.StatusCode)
	}
	req = httptest.NewRequest("POST", "/login", strings.NewReader("username=wendy&password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, _ := e.do(req); resp.StatusCode != 403 {
		t.Fatalf("login without a CSRF token = %d, want 403", resp.StatusCode)
	}
	for next, want := range map[string]string{
		"/settings":             "/settings",
		"/u/wendy?cursor=x":     "/u/wendy?cursor=x",
		"https://evil.example/": "/",
		"//evil.example/":       "/",
		"/\\evil.example":       "/",
		"javascript:alert(1)":   "/",
		"/%0d%0aSet-Cookie:x=y": "/%0d%0aSet-Cookie:x=y",
	} {
		f := map[string]string{"username": "wendy", "password": url.QueryEscape("the right password"), "next": url.QueryEscape(next)}
		req := formReq(e, "/login", f)
		req.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: e.cookie})
		resp, _ := e.do(req)
		if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != want {
			t.Errorf("next=%q → %d %q, want %q", next, resp.StatusCode, loc, want)
		}
	}
	// Wrong password: same page, 422, no cookie.
	req = formReq(e, "/login", map[string]string{"username": "wendy", "password": "wrong"})
	req.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: e.cookie})
	resp, body := e.do(req)
	if resp.StatusCode != 422 || !strings.Contains(string(body), "Wrong username or password") {
		t.Fatalf("wrong password = %d", resp.StatusCode)
	}
}

func TestHTTPSCookies(t *testing.T) {
	e := newEnv(t, withBase("https://pastel.test"))
	if _, err := e.accounts.Register(t.Context(), "xena", "", "the right password"); err != nil {
		t.Fatal(err)
	}
	resp, page := e.get("/")
	var csrf *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "__Host-pastel_csrf" {
			csrf = c
		}
	}
	if csrf == nil || !csrf.Secure || !csrf.HttpOnly {
		t.Fatalf("https CSRF cookie: %+v", resp.Cookies())
	}
	token, _ := parse(t, page).Find(`input[name="_csrf"]`).First().Attr("value")
	req := httptest.NewRequest("POST", "/login", strings.NewReader("username=xena&password="+url.QueryEscape("the right password")+"&_csrf="+token))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://pastel.test")
	req.AddCookie(&http.Cookie{Name: "__Host-pastel_csrf", Value: csrf.Value})
	resp, _ = e.do(req)
	var sess *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "__Host-pastel_session" {
			sess = c
		}
	}
	if resp.StatusCode != 303 || sess == nil || !sess.Secure || !sess.HttpOnly || sess.Path != "/" || sess.Domain != "" || sess.SameSite != http.SameSiteLaxMode {
		t.Fatalf("https session cookie = %d %+v", resp.StatusCode, sess)
	}
	if resp.Header.Get("Strict-Transport-Security") == "" {
		t.Fatal("no HSTS on https")
	}
}

func readAll(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
