package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// exerciseOriginalAPI drives the original specification's details (issue
// 18) through the spec checker: every answer, success and error, must
// match openapi.json, and each asserts what the detail promises.
func exerciseOriginalAPI(t *testing.T, e *env, s *specChecker) {
	t.Helper()
	quinn, rex := e.register("quinn_spec"), e.register("rex_spec")
	root := e.register("root_orig")
	e.makeAdmin(root)
	as := func(u *user, r *http.Request) *http.Request { return bearer(r, e.freshToken(u.id)) }

	// Register answers the token pair, and the pair works at once.
	_, body := s.do(jsonReq("POST", "/api/v1/auth/register", `{"username":"newbie","password":"a long enough password"}`), 201)
	reg := decode[struct {
		ID           int64  `json:"id"`
		Username     string `json:"username"`
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		TokenType    string `json:"token_type"`
		ExpiresIn    int64  `json:"expires_in"`
	}](t, body)
	if reg.ID == 0 || reg.Username != "newbie" || reg.AccessToken == "" || reg.RefreshToken == "" || reg.TokenType != "Bearer" || reg.ExpiresIn <= 0 {
		t.Fatalf("register answer %s", body)
	}

	// Verify: 204 naming the account for a valid token; 401 otherwise.
	resp, _ := s.do(bearer(httptest.NewRequest("GET", "/api/v1/auth/verify", nil), reg.AccessToken), 204)
	if got := []string{resp.Header.Get("X-User-Id"), resp.Header.Get("X-Username")}; !cmp.Equal(got, []string{fmt.Sprint(reg.ID), "newbie"}) {
		t.Fatalf("verify headers %v", got)
	}
	s.do(httptest.NewRequest("GET", "/api/v1/auth/verify", nil), 401)
	s.do(bearer(httptest.NewRequest("GET", "/api/v1/auth/verify", nil), "garbage"), 401)
	// A refresh token is not an access token.
	s.do(bearer(httptest.NewRequest("GET", "/api/v1/auth/verify", nil), reg.RefreshToken), 401)

	// Titles up to 255 characters; expires_in as seconds or a duration;
	// expires_at as an RFC 3339 time.
	long := strings.Repeat("é", 255)
	_, body = s.do(as(quinn, jsonReq("POST", "/api/v1/pastes", fmt.Sprintf(`{"content":"x","title":%q,"expires_in":5400}`, long))), 201)
	p := decode[apiPaste](t, body)
	now := e.clock.Now()
	if p.Title != long || p.ExpiresAt == nil || !sameTime(t, *p.ExpiresAt, now.Add(5400*time.Second)) {
		t.Fatalf("long title / 5400 s: title %d runes, expires %v", len([]rune(p.Title)), p.ExpiresAt)
	}
	s.do(as(quinn, jsonReq("POST", "/api/v1/pastes", fmt.Sprintf(`{"content":"x","title":%q}`, long+"é"))), 422)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{{`"5400"`, 90 * time.Minute}, {`"90m"`, 90 * time.Minute}, {`"36h"`, 36 * time.Hour}, {`"1M"`, 30 * 24 * time.Hour}, {`"1h30m"`, 90 * time.Minute}} {
		_, body = s.do(jsonReq("POST", "/api/v1/pastes", `{"content":"x","expires_in":`+tc.in+`}`), 201)
		if got := decode[apiPaste](t, body); got.ExpiresAt == nil || !sameTime(t, *got.ExpiresAt, now.Add(tc.want)) {
			t.Errorf("expires_in %s: expires_at %v, want now+%v", tc.in, got.ExpiresAt, tc.want)
		}
	}
	at := now.Add(50 * time.Hour).UTC().Format(time.RFC3339)
	_, body = s.do(jsonReq("POST", "/api/v1/pastes", `{"content":"x","expires_at":"`+at+`"}`), 201)
	if got := decode[apiPaste](t, body); got.ExpiresAt == nil || !sameTime(t, *got.ExpiresAt, now.Add(50*time.Hour)) {
		t.Errorf("expires_at %s: got %v", at, got.ExpiresAt)
	}
	s.do(rawReq("POST", "/api/v1/pastes?expires_in=2h", "text/plain", "raw"), 201)
	for _, tc := range []struct{ body, field string }{
		{`{"content":"x","expires_in":"5 minutes"}`, "expires_in"},
		{`{"content":"x","expires_in":"-5m"}`, "expires_in"},
		{`{"content":"x","expires_in":0}`, "expires_in"},
		{`{"content":"x","expires_in":1.5}`, "expires_in"},
		{`{"content":"x","expires_at":"tomorrow"}`, "expires_at"},
		{`{"content":"x","expires_at":"2001-01-01T00:00:00Z"}`, "expires_at"},
		{`{"content":"x","expires_in":"1h","expires_at":"` + at + `"}`, "expires_at"},
	} {
		_, body = s.do(jsonReq("POST", "/api/v1/pastes", tc.body), 422)
		if f := decode[apiError](t, body).Error.Fields; f[tc.field] == "" {
			t.Errorf("%s: 422 without fields.%s: %s", tc.body, tc.field, body)
		}
	}
	_, body = s.do(as(quinn, jsonReq("PATCH", "/api/v1/pastes/"+p.ID, `{"expires_in":"never"}`)), 200)
	if decode[apiPaste](t, body).ExpiresAt != nil {
		t.Errorf("PATCH expires_in never kept an expiry: %s", body)
	}
	_, body = s.do(as(quinn, jsonReq("PATCH", "/api/v1/pastes/"+p.ID, `{"expires_at":"`+at+`"}`)), 200)
	if got := decode[apiPaste](t, body); got.ExpiresAt == nil || !sameTime(t, *got.ExpiresAt, now.Add(50*time.Hour)) {
		t.Errorf("PATCH expires_at: %s", body)
	}
	s.do(as(quinn, jsonReq("PATCH", "/api/v1/pastes/"+p.ID, `{"expires_at":"2001-01-01T00:00:00Z"}`)), 422)

	// A share-linked paste as JSON: the read's shape, the same 404 for
	// an unknown or revoked token; the paste's ID is not revealed.
	_, body = s.do(as(quinn, jsonReq("POST", "/api/v1/pastes", `{"content":"just for you","title":"private note","visibility":"private"}`)), 201)
	priv := decode[apiPaste](t, body)
	_, body = s.do(as(quinn, httptest.NewRequest("POST", "/api/v1/pastes/"+priv.ID+"/share-links", nil)), 201)
	link := decode[struct{ Token string }](t, body)
	_, body = s.do(httptest.NewRequest("GET", "/api/v1/shared/"+link.Token, nil), 200)
	got := decode[apiPaste](t, body)
	if got.Content == nil || *got.Content != "just for you" || got.Title != "private note" || got.Visibility != "private" ||
		strings.Contains(string(body), priv.ID) || got.URL != e.base+"/s/"+link.Token {
		t.Fatalf("shared read %s", body)
	}
	s.do(httptest.NewRequest("GET", "/api/v1/shared/"+strings.Repeat("A", 22), nil), 404)
	s.do(httptest.NewRequest("GET", "/api/v1/shared/short", nil), 404)
	s.do(as(quinn, httptest.NewRequest("DELETE", "/api/v1/pastes/"+priv.ID+"/share-links/"+link.Token, nil)), 204)
	s.do(httptest.NewRequest("GET", "/api/v1/shared/"+link.Token, nil), 404)

	// Comment order: threads newest or oldest first; replies of any depth.
	pub := e.apiPaste(quinn, `{"content":"talk about it","visibility":"public"}`)
	first := e.apiComment(rex, pub, "first", 0)
	e.clock.Advance(time.Second)
	parent := first
	for i := range 5 { // five levels of replies under the first thread
		parent = e.apiComment(quinn, pub, fmt.Sprintf("reply %d", i+1), parent)
	}
	e.clock.Advance(time.Second)
	second := e.apiComment(rex, pub, "second", 0)
	comments := "/api/v1/pastes/" + pub + "/comments"
	type listed struct {
		Items []struct {
			ID       int64  `json:"id"`
			Depth    int    `json:"depth"`
			ParentID *int64 `json:"parent_id"`
		} `json:"items"`
		NextCursor *string `json:"next_cursor"`
	}
	tops := func(l listed) (ids []int64, maxDepth int) {
		for _, it := range l.Items {
			if it.ParentID == nil {
				ids = append(ids, it.ID)
			}
			maxDepth = max(maxDepth, it.Depth)
		}
		return ids, maxDepth
	}
	_, body = s.do(httptest.NewRequest("GET", comments+"?order=oldest", nil), 200)
	ids, depth := tops(decode[listed](t, body))
	if !cmp.Equal(ids, []int64{first, second}) || depth != 5 {
		t.Errorf("oldest first: threads %v, deepest %d (want [%d %d], 5)", ids, depth, first, second)
	}
	_, body = s.do(httptest.NewRequest("GET", comments+"?order=newest", nil), 200)
	if ids, _ := tops(decode[listed](t, body)); !cmp.Equal(ids, []int64{second, first}) {
		t.Errorf("newest first: threads %v, want [%d %d]", ids, second, first)
	}
	s.do(httptest.NewRequest("GET", comments+"?order=sideways", nil), 422)

	// Admins browse every paste, and change a paste's visibility.
	_, body = s.do(as(root, httptest.NewRequest("GET", "/api/v1/admin/pastes?owner=quinn_spec&visibility=private", nil)), 200)
	list := decode[struct{ Items []apiPaste }](t, body)
	if len(list.Items) != 1 || list.Items[0].ID != priv.ID {
		t.Fatalf("admin list of quinn's private pastes: %s", body)
	}
	_, body = s.do(as(root, httptest.NewRequest("GET", "/api/v1/admin/pastes?q=private+no&limit=1", nil)), 200)
	if l := decode[struct{ Items []apiPaste }](t, body); len(l.Items) != 1 || l.Items[0].ID != priv.ID {
		t.Fatalf("admin title search: %s", body)
	}
	_, body = s.do(as(root, httptest.NewRequest("GET", "/api/v1/admin/pastes?limit=2", nil)), 200)
	page1 := decode[struct {
		Items      []apiPaste
		NextCursor *string `json:"next_cursor"`
	}](t, body)
	if len(page1.Items) != 2 || page1.NextCursor == nil {
		t.Fatalf("admin page 1: %s", body)
	}
	_, body = s.do(as(root, httptest.NewRequest("GET", "/api/v1/admin/pastes?limit=2&cursor="+*page1.NextCursor, nil)), 200)
	if l := decode[struct{ Items []apiPaste }](t, body); len(l.Items) == 0 || l.Items[0].ID == page1.Items[0].ID || l.Items[0].ID == page1.Items[1].ID {
		t.Fatalf("admin page 2 repeats page 1: %s", body)
	}
	s.do(as(root, httptest.NewRequest("GET", "/api/v1/admin/pastes?visibility=secret", nil)), 422)
	s.do(as(root, httptest.NewRequest("GET", "/api/v1/admin/pastes?cursor=garbage", nil)), 422)
	s.do(as(rex, httptest.NewRequest("GET", "/api/v1/admin/pastes", nil)), 404)
	s.do(httptest.NewRequest("GET", "/api/v1/admin/pastes", nil), 404)

	_, body = s.do(as(root, jsonReq("PATCH", "/api/v1/pastes/"+priv.ID, `{"visibility":"unlisted"}`)), 200)
	if got := decode[apiPaste](t, body); got.Visibility != "unlisted" || got.ID != priv.ID || got.Owner == nil || *got.Owner != "quinn_spec" {
		t.Fatalf("admin made quinn's paste unlisted: %s", body)
	}
	s.do(httptest.NewRequest("GET", "/api/v1/pastes/"+priv.ID, nil), 200) // unlisted: readable by its link
	// Anything beyond the visibility stays the owner's.
	s.do(as(root, jsonReq("PATCH", "/api/v1/pastes/"+priv.ID, `{"visibility":"private","title":"mine now"}`)), 403)
	s.do(as(rex, jsonReq("PATCH", "/api/v1/pastes/"+priv.ID, `{"visibility":"private"}`)), 403)
	var logged int
	if err := e.pool.QueryRow(context.Background(),
		`SELECT count(*) FROM admin_actions WHERE action = 'paste.visibility' AND target = $1 AND details = 'private → unlisted'`, priv.ID).Scan(&logged); err != nil {
		t.Fatal(err)
	}
	if logged != 1 {
		t.Fatalf("admin log has %d entries for the visibility change", logged)
	}
}

// sameTime reports whether an RFC 3339 answer is want, to the second.
func sameTime(t *testing.T, got string, want time.Time) bool {
	t.Helper()
	g, err := time.Parse(time.RFC3339Nano, got)
	if err != nil {
		t.Fatalf("time %q: %v", got, err)
	}
	return g.Sub(want).Abs() < time.Second
}
