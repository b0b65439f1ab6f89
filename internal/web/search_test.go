package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
	"pastel/views"
)

type searchAnswer struct {
	Items []struct {
		ID         string  `json:"id"`
		Title      string  `json:"title"`
		Visibility string  `json:"visibility"`
		Owner      *string `json:"owner"`
		Snippet    string  `json:"snippet"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func searchAPI(t *testing.T, e *env, u *user, query string) (int, searchAnswer) {
	t.Helper()
	resp, body := e.apiJSON(u, "GET", "/api/v1/search?"+query, "")
	var out searchAnswer
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
	}
	return resp.StatusCode, out
}

// TestSearchPage: the page works as a plain GET form, shows title, author,
// language, age and a snippet whose matches are <mark>ed while the paste's
// own markup stays text; htmx gets the results fragment only.
func TestSearchPage(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice")
	c, err := e.svc.Create(context.Background(), paste.Viewer{UserID: alice.id, Username: "alice"}, paste.CreateInput{
		Title: "handler.go", Content: []byte(`<script>alert(1)</script> h := parseHTTPHeader(r) // <b>bold</b>`), Syntax: "go",
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := e.get("/search?q=parseHTTPHeader")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	doc := parse(t, body)
	form := doc.Find(`[data-testid="search-page-form"]`)
	if m, _ := form.Attr("method"); m != "get" {
		t.Errorf("form method %q", m)
	}
	if a, _ := form.Attr("action"); a != "/search" {
		t.Errorf("form action %q", a)
	}
	if tgt, _ := form.Attr("hx-target"); tgt != "#"+views.SearchResultsID {
		t.Errorf("hx-target %q", tgt)
	}
	hits := doc.Find(`[data-testid="search-hit"]`)
	if hits.Length() != 1 {
		t.Fatalf("%d hits", hits.Length())
	}
	if href, _ := hits.Find("a.title").Attr("href"); href != "/"+string(c.Paste.ID) {
		t.Errorf("hit links to %q", href)
	}
	if !strings.Contains(hits.Text(), "alice") || !strings.Contains(hits.Text(), "go") {
		t.Errorf("hit lacks author or language: %q", hits.Text())
	}
	snip := hits.Find(`[data-testid="search-snippet"]`)
	if snip.Find("script, b").Length() != 0 {
		t.Fatal("paste markup was interpreted in the snippet")
	}
	if snip.Find("mark").Text() != "parseHTTPHeader" {
		t.Errorf("marked %q", snip.Find("mark").Text())
	}
	if !strings.Contains(snip.Text(), "<script>") {
		t.Errorf("snippet text %q lacks the escaped markup", snip.Text())
	}

	req := httptest.NewRequest(http.MethodGet, "/search?q=parseHTTPHeader", nil)
	req.Header.Set("HX-Request", "true")
	resp, body = e.do(req)
	frag := parse(t, body)
	if resp.StatusCode != http.StatusOK || frag.Find("#"+views.SearchResultsID).Length() != 1 || frag.Find("html header").Length() != 0 {
		t.Errorf("htmx answer %d is not the fragment: %.200s", resp.StatusCode, body)
	}
}

// TestSearchNeverLeaksPrivatePastes: a private paste is found by its owner
// only, on the page and through the API, whatever the query says.
func TestSearchNeverLeaksPrivatePastes(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.register("alice"), e.register("bob")
	_, err := e.svc.Create(context.Background(), paste.Viewer{UserID: alice.id, Username: "alice"}, paste.CreateInput{
		Title: "secret", Content: []byte("leakcanary private body"), Visibility: paste.Private, Syntax: "text",
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"leakcanary", "leakcanary visibility:=private", "leakcanary && owner_id:=1", "leakcanary' OR 1=1 --", "`leakcanary`"} {
		for _, u := range []*user{nil, bob} {
			if status, out := searchAPI(t, e, u, "q="+url.QueryEscape(q)); status != http.StatusOK || len(out.Items) != 0 {
				t.Errorf("API %q as %v: %d, %d items", q, u, status, len(out.Items))
			}
			_, body := e.userGet(u, "/search?q="+url.QueryEscape(q))
			if strings.Contains(string(body), "leakcanary private") || parse(t, body).Find(`[data-testid="search-hit"]`).Length() != 0 {
				t.Errorf("page %q leaks to %v", q, u)
			}
		}
	}
	status, out := searchAPI(t, e, alice, "q=leakcanary")
	if status != http.StatusOK || len(out.Items) != 1 || out.Items[0].Visibility != "private" {
		t.Fatalf("owner: %d %+v", status, out)
	}
	if !strings.Contains(out.Items[0].Snippet, "<mark>leakcanary</mark>") {
		t.Errorf("snippet %q", out.Items[0].Snippet)
	}
	_, body := e.userGet(alice, "/search?q=leakcanary")
	if parse(t, body).Find(`[data-testid="search-hit"]`).Length() != 1 {
		t.Error("owner does not find her private paste on the page")
	}
	// owner=me needs an account.
	if status, _ := searchAPI(t, e, nil, "q=leakcanary&owner=me"); status != http.StatusUnauthorized {
		t.Errorf("anonymous owner=me: %d", status)
	}
}

// TestSearchAPIHostileInput: odd queries answer 200, empty or oversized
// ones 422, bad filters 422; never a 5xx.
func TestSearchAPIHostileInput(t *testing.T) {
	e := newEnv(t)
	e.create(paste.CreateInput{Title: "x", Content: []byte("hostile words here"), Syntax: "text"})
	for q, want := range map[string]int{
		"q=":                               http.StatusUnprocessableEntity,
		"q=%22%22":                         http.StatusUnprocessableEntity,
		"q=" + strings.Repeat("a", 10_000): http.StatusUnprocessableEntity,
		"q=hostile&owner=%60x%60":          http.StatusUnprocessableEntity,
		"q=hostile&syntax=%60%29%7C%7C":    http.StatusUnprocessableEntity,
		"q=hostile&cursor=nope":            http.StatusUnprocessableEntity,
		"q=hostile&limit=x":                http.StatusUnprocessableEntity,
		"q=" + url.QueryEscape(`"hostile words" -nothing & | ! ( ) : * \ '`): http.StatusOK,
		"q=" + url.QueryEscape("hostile'); DROP TABLE pastes; --"):           http.StatusOK,
		"q=%25_%25":                  http.StatusOK,
		"q=hostile&syntax=go":        http.StatusOK,
		"q=hostile&owner=nobody":     http.StatusOK,
		"q=" + url.QueryEscape("&&"): http.StatusOK,
	} {
		resp, body := e.apiJSON(nil, "GET", "/api/v1/search?"+q, "")
		if resp.StatusCode != want {
			t.Errorf("%.60s: %d, want %d: %.200s", q, resp.StatusCode, want, body)
		}
	}
	resp, _ := e.get("/search?q=" + strings.Repeat("a", 10_000))
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("page with 10 KB query: %d", resp.StatusCode)
	}
}

// TestSearchPagination: the cursor walks every match once, newest first.
func TestSearchPagination(t *testing.T) {
	e := newEnv(t)
	want := map[string]bool{}
	for i := 0; i < 5; i++ {
		want[string(e.create(paste.CreateInput{Title: "p", Content: []byte("pagingword"), Syntax: "text"}).ID)] = true
		e.clock.Advance(1e9)
	}
	seen := map[string]bool{}
	q := "q=pagingword&limit=2"
	for i := 0; i < 5; i++ {
		status, out := searchAPI(t, e, nil, q)
		if status != http.StatusOK {
			t.Fatal(status)
		}
		for _, it := range out.Items {
			if seen[it.ID] {
				t.Fatalf("%s twice", it.ID)
			}
			seen[it.ID] = true
		}
		if out.NextCursor == nil {
			break
		}
		q = "q=pagingword&limit=2&cursor=" + url.QueryEscape(*out.NextCursor)
	}
	if len(seen) != len(want) {
		t.Fatalf("saw %d of %d", len(seen), len(want))
	}
}

// TestSearchFollowsEveryChange: on the default engine, an edit, a
// visibility change, a burn and a delete each change what search finds at
// once, on the page and in the API.
func TestSearchFollowsEveryChange(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.register("alice"), e.register("bob")
	av := paste.Viewer{UserID: alice.id, Username: "alice"}
	ctx := context.Background()
	found := func(u *user, q string) int {
		t.Helper()
		status, out := searchAPI(t, e, u, "q="+url.QueryEscape(q))
		if status != http.StatusOK {
			t.Fatalf("search %q: %d", q, status)
		}
		return len(out.Items)
	}
	c, err := e.svc.Create(ctx, av, paste.CreateInput{Title: "t", Content: []byte("oldword alpha"), Visibility: paste.Public, Syntax: "text"})
	if err != nil {
		t.Fatal(err)
	}
	if found(bob, "oldword") != 1 {
		t.Fatal("new public paste not found")
	}
	updated, err := e.svc.Update(ctx, av, c.Paste.ID, paste.UpdateInput{Content: []byte("newword beta")})
	if err != nil {
		t.Fatal(err)
	}
	if found(bob, "oldword") != 0 || found(bob, "newword") != 1 {
		t.Fatal("edit not reflected in search")
	}
	priv := paste.Private
	updated, err = e.svc.Update(ctx, av, updated.ID, paste.UpdateInput{Visibility: &priv})
	if err != nil {
		t.Fatal(err)
	}
	if found(bob, "newword") != 0 || found(nil, "newword") != 0 || found(alice, "newword") != 1 {
		t.Fatal("visibility change not reflected in search")
	}
	if err := e.svc.Delete(ctx, av, updated.ID, ""); err != nil {
		t.Fatal(err)
	}
	if found(alice, "newword") != 0 {
		t.Fatal("deleted paste still found by its owner")
	}

	burn, err := e.svc.Create(ctx, av, paste.CreateInput{Content: []byte("burnword gamma"), Visibility: paste.Public, Syntax: "text", BurnAfterReading: true})
	if err != nil {
		t.Fatal(err)
	}
	if found(alice, "burnword") != 0 || found(bob, "burnword") != 0 {
		t.Fatal("burn-after-reading paste is searchable")
	}
	if _, _, err := e.svc.Open(ctx, paste.Viewer{UserID: bob.id, Username: "bob"}, burn.Paste.ID); err != nil {
		t.Fatal(err)
	}
	if found(alice, "burnword") != 0 {
		t.Fatal("burned paste found")
	}
}

// TestSearchForgivesAndFacets: on the default engine a typo in a title
// word finds the paste with a "Did you mean" naming the correction, on the
// page and in the API; title matches come first by relevance and newest
// first by recent; the page counts the matches per language, whatever the
// language filter, and each count links to the narrowed search.
func TestSearchForgivesAndFacets(t *testing.T) {
	e := newEnv(t)
	lru := e.create(paste.CreateInput{Title: "LRU cache in Go", Content: []byte("package lru"), Syntax: "go"})
	e.clock.Advance(1e9)
	body := e.create(paste.CreateInput{Title: "notes", Content: []byte("a cache of plain notes"), Syntax: "text"})
	e.clock.Advance(1e9)
	py := e.create(paste.CreateInput{Title: "memo", Content: []byte("functools cache decorator"), Syntax: "python"})

	status, out := searchAPI(t, e, nil, "q="+url.QueryEscape("LRU cashe"))
	if status != http.StatusOK || len(out.Items) != 1 || out.Items[0].ID != string(lru.ID) {
		t.Fatalf("LRU cashe: %d %+v", status, out)
	}
	resp, raw := e.apiJSON(nil, "GET", "/api/v1/search?q=cahce", "")
	var typo struct {
		Items      []struct{ ID string }
		DidYouMean *string `json:"did_you_mean"`
	}
	if err := json.Unmarshal(raw, &typo); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("cahce: %d %s", resp.StatusCode, raw)
	}
	if typo.DidYouMean == nil || *typo.DidYouMean != "cache" || len(typo.Items) != 3 || typo.Items[0].ID != string(lru.ID) {
		t.Errorf("cahce: %s", raw)
	}
	resp, raw = e.apiJSON(nil, "GET", "/api/v1/search?q=cache", "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(raw), `"did_you_mean":null`) {
		t.Errorf("cache: %d %s", resp.StatusCode, raw)
	}

	order := func(q string) []string {
		t.Helper()
		_, out := searchAPI(t, e, nil, q)
		var got []string
		for _, it := range out.Items {
			got = append(got, it.ID)
		}
		return got
	}
	if got, want := order("q=cache"), []string{string(lru.ID), string(py.ID), string(body.ID)}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("relevance: %v, want %v", got, want)
	}
	if got, want := order("q=cache&sort=recent"), []string{string(py.ID), string(body.ID), string(lru.ID)}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("recent: %v, want %v", got, want)
	}

	_, page := e.get("/search?q=cahce&syntax=go")
	doc := parse(t, page)
	sugg := doc.Find(`[data-testid="search-suggestion"]`)
	if !strings.Contains(sugg.Text(), "Did you mean") {
		t.Errorf("suggestion %q", sugg.Text())
	}
	if href, _ := sugg.Find("a").Attr("href"); href != "/search?q=cache&syntax=go" {
		t.Errorf("suggestion links to %q", href)
	}
	facets := map[string]string{}
	doc.Find(`[data-testid="search-facet"]`).Each(func(_ int, s *goquery.Selection) {
		lang, _ := s.Attr("data-language")
		facets[lang] = strings.TrimSpace(s.Find(`[data-testid="search-facet-count"]`).Text())
		if cur, _ := s.Attr("aria-current"); (cur == "true") != (lang == "go") {
			t.Errorf("facet %q current %q", lang, cur)
		}
	})
	if want := map[string]string{"": "", "go": "1", "text": "1", "python": "1"}; !cmp.Equal(facets, want) {
		t.Errorf("facets: %s", cmp.Diff(want, facets))
	}
	if href, _ := doc.Find(`[data-language="python"]`).Attr("href"); href != "/search?q=cahce&syntax=python" {
		t.Errorf("python facet links to %q", href)
	}
	if sel, _ := doc.Find(`#search-sort option[selected]`).Attr("value"); sel != "relevance" {
		t.Errorf("sort selected %q", sel)
	}
}

// TestSearchHistory: the page varies by HX-Request; htmx typing gets the
// fragment, and a history restore (Back after the cache is gone) gets the
// whole page, not the fragment.
func TestSearchHistory(t *testing.T) {
	e := newEnv(t)
	e.create(paste.CreateInput{Title: "history", Content: []byte("backword"), Syntax: "text"})
	for _, c := range []struct {
		name    string
		headers map[string]string
		full    bool
	}{
		{"plain", nil, true},
		{"htmx", map[string]string{"HX-Request": "true"}, false},
		{"history restore", map[string]string{"HX-Request": "true", "HX-History-Restore-Request": "true"}, true},
	} {
		req := httptest.NewRequest(http.MethodGet, "/search?q=backword&sort=recent", nil)
		for k, v := range c.headers {
			req.Header.Set(k, v)
		}
		resp, body := e.do(req)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", c.name, resp.StatusCode)
		}
		if vary := resp.Header.Get("Vary"); !strings.Contains(vary, "HX-Request") {
			t.Errorf("%s: Vary %q", c.name, vary)
		}
		doc := parse(t, body)
		if got := doc.Find(`[data-testid="search-page-form"]`).Length() == 1; got != c.full {
			t.Errorf("%s: whole page %v, want %v", c.name, got, c.full)
		}
		if doc.Find(`[data-testid="search-hit"]`).Length() != 1 {
			t.Errorf("%s: no hit", c.name)
		}
		if c.full {
			if sel, _ := doc.Find(`#search-sort option[selected]`).Attr("value"); sel != "recent" {
				t.Errorf("%s: sort selected %q", c.name, sel)
			}
			form := doc.Find(`[data-testid="search-page-form"]`)
			if push, _ := form.Attr("hx-push-url"); push != "true" {
				t.Errorf("%s: hx-push-url %q", c.name, push)
			}
			if trig, _ := form.Attr("hx-trigger"); !strings.Contains(trig, "input changed delay:300ms") {
				t.Errorf("%s: hx-trigger %q", c.name, trig)
			}
		}
	}
}
