package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"pastel/internal/pgtest"
)

// listPaths are the lists anonymous visitors are served from memory
// (readcache.Lists): the explore page, a language's, a tag's and the
// feed, the API's first page and a tag's, a user's page and feed.
var listPaths = []string{
	"/explore", "/explore?language=go", "/explore?tag=kept", "/explore/feed.atom",
	"/api/v1/pastes?limit=30", "/api/v1/pastes?owner=lister", "/api/v1/pastes?tag=kept",
	"/u/lister", "/u/lister/feed.atom",
}

// listing returns the list paths whose anonymous answer shows text.
func listing(e *env, text string) []string {
	e.t.Helper()
	var out []string
	for _, p := range listPaths {
		resp, body := e.get(p)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound {
			e.t.Fatalf("%s = %d", p, resp.StatusCode)
		}
		if strings.Contains(string(body), text) {
			out = append(out, p)
		}
	}
	return out
}

// everywhere and nowhere report whether every list, or none, shows text.
func everywhere(e *env, text string) bool { return len(listing(e, text)) == len(listPaths) }
func nowhere(e *env, text string) bool    { return len(listing(e, text)) == 0 }

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestListsFollowChangesOnEveryReplica: two apps over one database (two
// replicas), each serving its lists from memory. A paste created through
// one is on that replica's very next list, and on the other's once
// PostgreSQL's notification arrives; made private, deleted or hidden with
// its disabled owner, it is gone the same way; expired, it is gone
// although nothing announces an expiry.
func TestListsFollowChangesOnEveryReplica(t *testing.T) {
	url := pgtest.NewURL(t)
	a, b := newEnv(t, withDatabase(url)), newEnv(t, withDatabase(url))
	owner := a.register("lister")
	first := a.apiPaste(owner, `{"title":"kept list zero","content":"package main\n","syntax":"go","tags":["kept"],"visibility":"public"}`)
	for _, e := range []*env{a, b} {
		eventually(t, "the first paste listed", func() bool { return everywhere(e, "kept list zero") })
	}
	hits := b.cache.Lists().Stats().Hits
	if !everywhere(b, "kept list zero") || b.cache.Lists().Stats().Hits < hits+uint64(len(listPaths)) {
		t.Fatalf("lists were not served from memory: %+v", b.cache.Lists().Stats())
	}

	// Created: on its replica's next request, on the other's once told.
	id := a.apiPaste(owner, `{"title":"kept list one","content":"package main\n","syntax":"go","tags":["kept"],"visibility":"public"}`)
	if got := listing(a, "kept list one"); len(got) != len(listPaths) {
		t.Fatalf("a new paste is only on %v of its replica's next lists", got)
	}
	eventually(t, "the new paste on the other replica's lists", func() bool { return everywhere(b, "kept list one") })

	// Made private on b: gone from b at once, from a once told.
	b.mustAPI(owner, "PATCH", "/api/v1/pastes/"+id, `{"visibility":"private"}`, http.StatusOK)
	if got := listing(b, "kept list one"); len(got) != 0 {
		t.Fatalf("a paste made private is still on %v", got)
	}
	eventually(t, "the private paste gone from the other replica", func() bool { return nowhere(a, "kept list one") })

	// Deleted on a.
	gone := a.apiPaste(owner, `{"title":"kept list two","content":"package main\n","syntax":"go","tags":["kept"],"visibility":"public"}`)
	eventually(t, "the second paste listed on b", func() bool { return everywhere(b, "kept list two") })
	a.mustAPI(owner, "DELETE", "/api/v1/pastes/"+gone, "", http.StatusNoContent)
	if got := listing(a, "kept list two"); len(got) != 0 {
		t.Fatalf("a deleted paste is still on %v", got)
	}
	eventually(t, "the deleted paste gone from b", func() bool { return nowhere(b, "kept list two") })

	// Expiring: listed until its time, never after.
	a.mustAPI(owner, "POST", "/api/v1/pastes", `{"title":"kept list three","content":"package main\n","syntax":"go","tags":["kept"],"visibility":"public","expires_in":"10m"}`, http.StatusCreated)
	if !everywhere(a, "kept list three") {
		t.Fatal("an expiring paste is not listed before its time")
	}
	a.clock.Advance(11 * time.Minute)
	if got := listing(a, "kept list three"); len(got) != 0 {
		t.Fatalf("an expired paste is still on %v", got)
	}

	// Hidden with its owner, whom an admin disables on b.
	admin := b.register("boss")
	b.makeAdmin(admin)
	b.mustAPI(admin, "POST", "/api/v1/admin/users/lister/disable", "", http.StatusNoContent)
	if got := listing(b, "kept list zero"); len(got) != 0 {
		t.Fatalf("a disabled owner's paste is still on %v", got)
	}
	eventually(t, "the disabled owner's paste gone from a", func() bool { return nowhere(a, "kept list zero") })
	_ = first
}

// searchTitles returns the titles an API search answers.
func searchTitles(t *testing.T, e *env, u *user, q string) string {
	t.Helper()
	resp, body := e.apiJSON(u, "GET", "/api/v1/search?q="+q, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("search %q = %d: %s", q, resp.StatusCode, body)
	}
	var out struct {
		Items []struct {
			Title string `json:"title"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	titles := make([]string, len(out.Items))
	for i, it := range out.Items {
		titles[i] = it.Title
	}
	return strings.Join(titles, "|")
}

// TestSearchCacheNeverLeaks: anonymous searches are answered from memory,
// but a signed-in user's private result never reaches anyone else, in
// whichever order they search, through the API or the page; a signed-in
// user is never answered from the anonymous results (which lack their
// private pastes); and a result made private or a new paste shows on the
// next anonymous search.
func TestSearchCacheNeverLeaks(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice")
	e.apiPaste(alice, `{"title":"quokka open","content":"marsupial notes","visibility":"public"}`)
	e.apiPaste(alice, `{"title":"quokka secret","content":"marsupial notes","visibility":"private"}`)

	// Anonymous first, twice (the second from memory), then alice.
	for range 2 {
		if got := searchTitles(t, e, nil, "quokka"); got != "quokka open" {
			t.Fatalf("anonymous search = %q, want the public paste alone", got)
		}
	}
	if got := searchTitles(t, e, alice, "quokka"); !strings.Contains(got, "quokka secret") || !strings.Contains(got, "quokka open") {
		t.Fatalf("alice's search after an anonymous one = %q, want both of hers", got)
	}
	// Alice first, then anonymous, on a query nobody asked yet.
	if got := searchTitles(t, e, alice, "marsupial"); !strings.Contains(got, "quokka secret") {
		t.Fatalf("alice's search = %q, want her private paste", got)
	}
	for range 2 {
		if got := searchTitles(t, e, nil, "marsupial"); got != "quokka open" {
			t.Fatalf("anonymous search after alice's = %q", got)
		}
	}
	// The page, anonymous and as alice.
	for range 2 {
		if _, body := e.get("/search?q=quokka"); strings.Contains(string(body), "quokka secret") || !strings.Contains(string(body), "quokka open") {
			t.Fatal("the anonymous search page shows a private paste, or misses the public one")
		}
	}
	if _, body := e.userGet(alice, "/search?q=quokka"); !strings.Contains(string(body), "quokka secret") {
		t.Fatal("alice's search page misses her private paste")
	}
	if _, body := e.get("/search?q=quokka"); strings.Contains(string(body), "quokka secret") {
		t.Fatal("the anonymous search page shows a private paste after alice's search")
	}
	if st := e.cache.Lists().Stats(); st.Hits == 0 {
		t.Fatalf("no anonymous search was answered from memory: %+v", st)
	}

	// Changes show on the next anonymous search.
	open := e.apiPaste(alice, `{"title":"quokka fresh","content":"more notes","visibility":"public"}`)
	if got := searchTitles(t, e, nil, "quokka"); !strings.Contains(got, "quokka fresh") {
		t.Fatalf("a new paste is not on the next search: %q", got)
	}
	e.mustAPI(alice, "PATCH", "/api/v1/pastes/"+open, `{"visibility":"private"}`, http.StatusOK)
	if got := searchTitles(t, e, nil, "quokka"); strings.Contains(got, "quokka fresh") {
		t.Fatalf("a paste made private is still found: %q", got)
	}
}
