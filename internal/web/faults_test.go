package web_test

import (
	"net/http"
	"strings"
	"testing"

	"pastel/internal/pgtest"
)

// TestPostgresOutage stops the app's PostgreSQL (a private cluster of this
// test's own, stopped like a crash) and starts it again: while it is down,
// creates and reads answer 503 with Retry-After (never 404 or 500) and
// readiness fails; afterwards the app recovers by itself and every paste
// acknowledged before the outage is intact.
func TestPostgresOutage(t *testing.T) {
	cluster, dbURL := pgtest.NewClusterURL(t)
	e := newEnv(t, withDatabase(dbURL))
	e.browser()
	resp, body := e.do(jsonReq("POST", "/api/v1/pastes", `{"content":"acknowledged before the outage"}`))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create = %d %s", resp.StatusCode, body)
	}
	p := decode[apiPaste](t, body)

	cluster.Stop()
	for _, c := range []struct {
		name string
		req  *http.Request
	}{
		{"api create", jsonReq("POST", "/api/v1/pastes", `{"content":"during"}`)},
		{"api read", jsonReq("GET", "/api/v1/pastes/"+p.ID, "")},
		{"api list", jsonReq("GET", "/api/v1/pastes", "")},
		{"page", jsonReq("GET", "/"+p.ID, "")},
		{"raw", jsonReq("GET", "/raw/"+p.ID, "")},
		{"explore", jsonReq("GET", "/explore", "")},
		{"token", jsonReq("POST", "/api/v1/auth/token", `{"username":"a","password":"whatever it is"}`)},
	} {
		resp, body := e.do(c.req)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s with the database down = %d (Retry-After %q): %.200s", c.name, resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
		if strings.Contains(strings.ToLower(string(body)), "dial") || strings.Contains(string(body), "127.0.0.1") {
			t.Errorf("%s leaks connection details: %.200s", c.name, body)
		}
	}
	resp, _ = e.postForm("/", map[string]string{"content": "browser during outage"})
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("form create with the database down = %d", resp.StatusCode)
	}
	if resp, _ := e.get("/readyz"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz with the database down = %d", resp.StatusCode)
	}
	if resp, _ := e.get("/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz must not depend on the database: %d", resp.StatusCode)
	}

	if err := cluster.Start(); err != nil {
		t.Fatal(err)
	}
	if _, raw := e.get("/raw/" + p.ID); string(raw) != "acknowledged before the outage" {
		t.Fatalf("after recovery raw = %q", raw)
	}
	if resp, _ := e.do(jsonReq("POST", "/api/v1/pastes", `{"content":"after"}`)); resp.StatusCode != http.StatusCreated {
		t.Fatalf("create after recovery = %d", resp.StatusCode)
	}
	if resp, _ := e.get("/readyz"); resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz after recovery = %d", resp.StatusCode)
	}
}
