package web_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"pastel/internal/auth"
)

// b64 is base64url without padding, as JWTs use.
func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// flipFirst changes the first character of a base64url string to another
// one, so the bytes it encodes differ. (Upper-casing the first four, as
// this test did, changed nothing when they held no lower-case letter: about
// one signature in eight, and the "tampered" token was the real one.)
func flipFirst(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}

func TestBearerTokenAttacks(t *testing.T) {
	e := newEnv(t)
	u := e.register("mallory")
	parts := strings.Split(u.access, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])

	// A token for the right user from a server with another audience.
	otherAud, _ := auth.NewTokens(auth.TokenOptions{Secret: []byte(strings.Repeat("k", 40)), Issuer: e.base, Audience: "https://elsewhere/api", Now: e.clock.Now})
	wrongAud, _, _ := otherAud.IssueAccess(u.id)
	otherKey, _ := auth.NewTokens(auth.TokenOptions{Secret: []byte(strings.Repeat("x", 40)), Issuer: e.base, Audience: e.base + "/api", Now: e.clock.Now})
	wrongKey, _, _ := otherKey.IssueAccess(u.id)

	tampered := []byte(payload)
	tampered = []byte(strings.Replace(string(tampered), fmt.Sprintf(`"sub":"%d"`, u.id), fmt.Sprintf(`"sub":"%d"`, u.id+1000), 1))

	cases := map[string]string{
		"alg none":               b64(`{"alg":"none","typ":"JWT"}`) + "." + parts[1] + ".",
		"alg none no dot":        b64(`{"alg":"none","typ":"JWT"}`) + "." + parts[1],
		"tampered payload":       parts[0] + "." + b64(string(tampered)) + "." + parts[2],
		"tampered signature":     parts[0] + "." + parts[1] + "." + flipFirst(parts[2]),
		"RS256 header, HMAC sig": b64(`{"alg":"RS256","typ":"JWT"}`) + "." + parts[1] + "." + parts[2],
		"HS512 header":           b64(`{"alg":"HS512","typ":"JWT"}`) + "." + parts[1] + "." + parts[2],
		"wrong audience":         wrongAud,
		"wrong key":              wrongKey,
		"refresh as access":      u.refresh,
		"garbage":                "not-a-token",
		"api token look-alike":   "pst_AAAAAAAAAAAAAAAAAAAAAA",
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			resp, body := e.do(bearer(httptest.NewRequest("GET", "/api/v1/me", nil), tok))
			if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != `Bearer error="invalid_token"` {
				t.Fatalf("status %d, WWW-Authenticate %q: %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
			}
			// Never a silent downgrade to anonymous, even where anonymous is fine.
			if resp, _ := e.do(bearer(httptest.NewRequest("GET", "/api/v1/pastes", nil), tok)); resp.StatusCode != 401 {
				t.Fatalf("list with a bad token = %d, want 401", resp.StatusCode)
			}
		})
	}
	for _, hdr := range []string{"Basic abc", "Bearer", "Bearer    ", "bearer " + u.access + " extra"} {
		req := httptest.NewRequest("GET", "/api/v1/me", nil)
		req.Header.Set("Authorization", hdr)
		if resp, _ := e.do(req); resp.StatusCode != 401 {
			t.Errorf("Authorization %q = %d, want 401", hdr, resp.StatusCode)
		}
	}
	// The genuine token works, and a cookie never authenticates the API.
	if resp, _ := e.do(bearer(httptest.NewRequest("GET", "/api/v1/me", nil), u.access)); resp.StatusCode != 200 {
		t.Fatalf("genuine token = %d", resp.StatusCode)
	}
	if resp, _ := e.do(e.asUser(httptest.NewRequest("GET", "/api/v1/me", nil), u)); resp.StatusCode != 401 {
		t.Fatalf("session cookie on the API = %d, want 401", resp.StatusCode)
	}
	// Expired.
	e.clock.Advance(16 * time.Minute)
	if resp, _ := e.do(bearer(httptest.NewRequest("GET", "/api/v1/me", nil), u.access)); resp.StatusCode != 401 {
		t.Fatalf("expired token = %d, want 401", resp.StatusCode)
	}
}

func TestRefreshFlowOverHTTP(t *testing.T) {
	e := newEnv(t)
	u := e.register("rita")
	refresh := func(tok string) (*http.Response, map[string]any) {
		resp, body := e.do(jsonReq("POST", "/api/v1/auth/refresh", fmt.Sprintf(`{"refresh_token":%q}`, tok)))
		var m map[string]any
		json.Unmarshal(body, &m)
		return resp, m
	}
	resp, pair := refresh(u.refresh)
	if resp.StatusCode != 200 || pair["token_type"] != "Bearer" || pair["expires_in"].(float64) != 900 {
		t.Fatalf("refresh = %d %v", resp.StatusCode, pair)
	}
	if resp, _ := refresh(u.refresh); resp.StatusCode != 401 {
		t.Fatalf("old refresh token again = %d, want 401", resp.StatusCode)
	}
	// Reuse revoked the family: the new refresh token is dead too.
	if resp, _ := refresh(pair["refresh_token"].(string)); resp.StatusCode != 401 {
		t.Fatalf("refresh after reuse = %d, want 401", resp.StatusCode)
	}
	// A password change ends tokens issued before it.
	fresh := e.register("sam")
	e.clock.Advance(time.Second)
	resp, _ = e.userForm(fresh, "/settings/password", map[string]string{"old_password": fresh.password, "new_password": "a brand new password"})
	if resp.StatusCode != 303 {
		t.Fatalf("password change = %d", resp.StatusCode)
	}
	if resp, _ := e.do(bearer(httptest.NewRequest("GET", "/api/v1/me", nil), fresh.access)); resp.StatusCode != 401 {
		t.Fatalf("access token after password change = %d, want 401", resp.StatusCode)
	}
	if resp, _ := refresh(fresh.refresh); resp.StatusCode != 401 {
		t.Fatalf("refresh token after password change = %d, want 401", resp.StatusCode)
	}
	// The browser that changed it stays signed in.
	if resp, _ := e.userGet(fresh, "/settings"); resp.StatusCode != 200 {
		t.Fatalf("own session after password change = %d", resp.StatusCode)
	}
}

func TestAPIAuthErrors(t *testing.T) {
	e := newEnv(t)
	e.register("tess")
	for name, c := range map[string]struct {
		path, body string
		status     int
		code       string
	}{
		"wrong password":   {"/api/v1/auth/token", `{"username":"tess","password":"wrong password!"}`, 401, "invalid_credentials"},
		"unknown user":     {"/api/v1/auth/token", `{"username":"nobody","password":"wrong password!"}`, 401, "invalid_credentials"},
		"taken username":   {"/api/v1/auth/register", `{"username":"TESS","password":"long enough password"}`, 422, "validation_failed"},
		"short password":   {"/api/v1/auth/register", `{"username":"newbie","password":"short"}`, 422, "validation_failed"},
		"bad refresh":      {"/api/v1/auth/refresh", `{"refresh_token":"x.y.z"}`, 401, "invalid_token"},
		"missing refresh":  {"/api/v1/auth/refresh", `{}`, 422, "validation_failed"},
		"register created": {"/api/v1/auth/register", `{"username":"newbie","password":"long enough password"}`, 201, ""},
	} {
		t.Run(name, func(t *testing.T) {
			resp, body := e.do(jsonReq("POST", c.path, c.body))
			if resp.StatusCode != c.status || (c.code != "" && decode[apiError](t, body).Error.Code != c.code) {
				t.Fatalf("= %d %s, want %d %s", resp.StatusCode, body, c.status, c.code)
			}
		})
	}
	// Sign-in is rate limited with Retry-After.
	var last *http.Response
	for i := 0; i < 6; i++ {
		last, _ = e.do(jsonReq("POST", "/api/v1/auth/token", `{"username":"tess","password":"wrong password!"}`))
	}
	if last.StatusCode != 429 || last.Header.Get("Retry-After") == "" {
		t.Fatalf("after repeated failures = %d (Retry-After %q)", last.StatusCode, last.Header.Get("Retry-After"))
	}
	if resp, _ := e.do(httptest.NewRequest("POST", "/api/v1/auth/revoke", nil)); resp.StatusCode != 401 {
		t.Fatalf("revoke without a token = %d", resp.StatusCode)
	}
}
