package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"pastel/internal/pgtest"
	"pastel/internal/search/searchtest"
)

// TestTypesenseOutageUnderTheApp runs the real server with TYPESENSE_URL
// pointing at the Typesense double and stops the double under it: while it
// is down, creates and deletes succeed and search (API and page) answers
// from PostgreSQL, finding what only PostgreSQL knows; once it is back the
// index converges to exactly the live pastes with no operator action. The
// same holds when the server starts while Typesense is down.
func TestTypesenseOutageUnderTheApp(t *testing.T) {
	bin := buildWeb(t)
	ts := searchtest.NewTypesense(t, "outage-key")
	vars := map[string]string{
		"DATABASE_URL":      pgtest.NewURL(t),
		"DATA_DIR":          t.TempDir(),
		"LOG_LEVEL":         "error",
		"BASE_URL":          "http://pastel.test",
		"TRUSTED_PROXIES":   "127.0.0.1",
		"TYPESENSE_URL":     ts.URL,
		"TYPESENSE_API_KEY": "outage-key",
	}
	c := startChild(t, bin, vars)

	create := func(c *child, content string) (id, token string) {
		t.Helper()
		code, body := c.mustCall("POST", "/api/v1/pastes", `{"content":`+jsonString(content)+`}`)
		if code != http.StatusCreated {
			t.Fatalf("create %q = %d %s", content, code, body)
		}
		var out struct {
			ID          string `json:"id"`
			DeleteToken string `json:"delete_token"`
		}
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		return out.ID, out.DeleteToken
	}
	found := func(c *child, q string) map[string]bool {
		t.Helper()
		return c.listIDs("/api/v1/search?q=" + q)
	}
	converge := func(c *child, want ...string) {
		t.Helper()
		deadline := time.Now().Add(45 * time.Second)
		for strings.Join(ts.DocIDs("pastes"), " ") != strings.Join(slices.Sorted(slices.Values(want)), " ") {
			if time.Now().After(deadline) {
				t.Fatalf("index holds %v, want %v\n%s", ts.DocIDs("pastes"), want, c.log.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	a, aToken := create(c, "tsoutage before alpha")
	converge(c, a)
	if !found(c, "alpha")[a] {
		t.Fatal("search does not find a delivered paste")
	}

	ts.SetDown(true)
	b, _ := create(c, "tsoutage during bravo")
	if code, body := c.mustCall("DELETE", "/api/v1/pastes/"+a, "", "X-Delete-Token", aToken); code != http.StatusNoContent {
		t.Fatalf("delete while Typesense is down = %d %s", code, body)
	}
	for range 2 { // the first search finds Typesense down; the next goes straight to PostgreSQL
		got := found(c, "tsoutage")
		if !got[b] || got[a] || len(got) != 1 {
			t.Fatalf("search while Typesense is down = %v, want only %s", got, b)
		}
	}
	code, page := c.mustCall("GET", "/search?q=bravo", "")
	if code != http.StatusOK || !strings.Contains(string(page), "/"+b) {
		t.Fatalf("search page while Typesense is down = %d, lacks %s", code, b)
	}
	if code, _ := c.mustCall("GET", "/readyz", ""); code != http.StatusOK {
		t.Fatalf("readyz depends on Typesense: %d", code)
	}
	time.Sleep(1500 * time.Millisecond) // the worker fails a round or two and backs off
	if got := ts.DocIDs("pastes"); len(got) != 1 || got[0] != a {
		t.Fatalf("index changed while down: %v", got)
	}
	ts.SetDown(false)
	converge(c, b)
	if got := found(c, "bravo"); !got[b] || len(got) != 1 {
		t.Fatalf("search after recovery = %v", got)
	}

	// Down at start: the server starts anyway, and converges once it is up.
	ts.SetDown(true)
	c.stop()
	c = startChild(t, bin, vars)
	d, _ := create(c, "tsoutage started down delta")
	if got := found(c, "delta"); !got[d] {
		t.Fatalf("search with Typesense down since start = %v", got)
	}
	ts.SetDown(false)
	converge(c, b, d)
	c.stop()
}

// jsonString encodes s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
