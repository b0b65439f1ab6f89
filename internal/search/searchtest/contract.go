// Package searchtest is the one contract every paste.SearchEngine meets:
// PostgreSQL (store.Search), Typesense against an HTTP double, and a real
// Typesense when TYPESENSE_URL is set.
package searchtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pastel/internal/paste"
)

// Harness is an engine under test plus the means to put documents in its
// index the way production does.
type Harness struct {
	Engine paste.SearchEngine
	// AddUser creates a user and returns its ID.
	AddUser func(t *testing.T, name string) int64
	// Put indexes docs (and makes them exist as pastes where the engine
	// needs that). Docs' IDs are valid paste IDs.
	Put func(t *testing.T, docs ...paste.SearchDoc)
	// Remove deletes a paste and its document.
	Remove func(t *testing.T, id paste.ID)
	// Stems is set for engines that match English word forms ("caching"
	// finds "cache"). Typesense v26 has no stemming (its "stem" field
	// option came with v27), so its harnesses leave it unset and the
	// stemming case then checks only that exact words still match.
	Stems bool
}

// base is the creation time of the first document; others follow a second
// apart so the newest-first order is unambiguous on every engine.
var base = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// Now is the contract's clock: searches and indexers under test use it.
var Now = base.Add(time.Hour)

type fixture struct {
	h          Harness
	alice, bob int64
	now        time.Time
	seq        int
}

func (f *fixture) doc(t *testing.T, title, body string, mod func(*paste.SearchDoc)) paste.SearchDoc {
	t.Helper()
	f.seq++
	d := paste.SearchDoc{
		ID: paste.NewID(paste.Public), Visibility: paste.Public, Syntax: "text",
		CreatedAt: base.Add(time.Duration(f.seq) * time.Second), Title: title, Body: body,
	}
	if mod != nil {
		mod(&d)
	}
	if d.Visibility != paste.Public && len(d.ID) != paste.SecretIDLen {
		d.ID = paste.NewID(d.Visibility)
	}
	f.h.Put(t, d)
	return d
}

func (f *fixture) search(t *testing.T, q string, mod func(*paste.SearchRequest)) []paste.SearchHit {
	t.Helper()
	return f.searchAll(t, q, mod).Hits
}

// searchAll runs one search and checks the order of its hits: by tier,
// then newest first; recent searches use only the tiers of every match.
func (f *fixture) searchAll(t *testing.T, q string, mod func(*paste.SearchRequest)) paste.SearchHits {
	t.Helper()
	r := paste.SearchRequest{Query: paste.ParseQuery(q), Now: f.now, Limit: 50}
	if mod != nil {
		mod(&r)
	}
	res, err := f.h.Engine.Search(context.Background(), r)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	hits := res.Hits
	for i := 1; i < len(hits); i++ {
		if !hits[i-1].Before(hits[i]) {
			t.Fatalf("search %q: hits out of order: %+v then %+v", q, hits[i-1], hits[i])
		}
	}
	for _, h := range hits {
		if !r.Relevance() && h.Tier != paste.TierTitle && h.Tier != paste.TierTypoTitle {
			t.Fatalf("search %q by recent: hit in tier %d", q, h.Tier)
		}
	}
	return res
}

func idList(hits []paste.SearchHit) []paste.ID {
	out := make([]paste.ID, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

func ids(hits []paste.SearchHit) map[paste.ID]bool {
	out := map[paste.ID]bool{}
	for _, h := range hits {
		out[h.ID] = true
	}
	return out
}

func as(viewer int64) func(*paste.SearchRequest) {
	return func(r *paste.SearchRequest) { r.ViewerID = viewer }
}

// RunContract runs the contract against the engine newHarness returns; it
// is called once per subtest so every subtest starts from an empty index.
func RunContract(t *testing.T, newHarness func(t *testing.T) Harness) {
	setup := func(t *testing.T) *fixture {
		h := newHarness(t)
		f := &fixture{h: h, now: Now}
		f.alice = h.AddUser(t, "alice")
		f.bob = h.AddUser(t, "bob")
		return f
	}

	t.Run("words match title and body, all words required", func(t *testing.T) {
		f := setup(t)
		a := f.doc(t, "Deploy notes", "rollback the canary when latency rises", nil)
		b := f.doc(t, "canary", "unrelated words here", nil)
		f.doc(t, "other", "nothing to see", nil)
		got := ids(f.search(t, "canary", nil))
		if !got[a.ID] || !got[b.ID] || len(got) != 2 {
			t.Fatalf("canary: got %v", got)
		}
		got = ids(f.search(t, "canary latency", nil))
		if !got[a.ID] || len(got) != 1 {
			t.Fatalf("canary latency: got %v", got)
		}
		if got := f.search(t, "zyxwvutsrq", nil); len(got) != 0 {
			t.Fatalf("no-match query found %d", len(got))
		}
	})

	t.Run("exact phrases and exclusions", func(t *testing.T) {
		f := setup(t)
		adj := f.doc(t, "a", "the quick brown fox jumps", nil)
		apart := f.doc(t, "b", "brown paper and a quick lunch", nil)
		got := ids(f.search(t, `"quick brown"`, nil))
		if !got[adj.ID] || got[apart.ID] {
			t.Fatalf(`"quick brown": got %v`, got)
		}
		got = ids(f.search(t, "quick -fox", nil))
		if got[adj.ID] || !got[apart.ID] {
			t.Fatalf("quick -fox: got %v", got)
		}
		got = ids(f.search(t, `brown -"quick brown"`, nil))
		if got[adj.ID] || !got[apart.ID] {
			t.Fatalf(`brown -"quick brown": got %v`, got)
		}
	})

	t.Run("identifiers and code fragments", func(t *testing.T) {
		f := setup(t)
		goDoc := f.doc(t, "main.go", "package main\n\nfunc main() {\n\tfmt.Println(\"hi\")\n\th := parseHTTPHeader(r)\n}\n", func(d *paste.SearchDoc) { d.Syntax = "go" })
		sqlDoc := f.doc(t, "schema", "SELECT user_id FROM sessions WHERE user_id = $1;", func(d *paste.SearchDoc) { d.Syntax = "sql" })
		for q, want := range map[string]paste.ID{"parseHTTPHeader": goDoc.ID, "fmt.Println": goDoc.ID, "user_id": sqlDoc.ID, "parsehttpheader": goDoc.ID} {
			got := f.search(t, q, nil)
			if !ids(got)[want] {
				t.Errorf("%s: got %v, want %s", q, ids(got), want)
				continue
			}
			marked := false
			for _, h := range got {
				for _, p := range h.Snippet {
					marked = marked || p.Mark
				}
			}
			if !marked {
				t.Errorf("%s: no marked match in snippets %+v", q, got)
			}
		}
	})

	t.Run("private pastes only to their owner, unlisted to nobody", func(t *testing.T) {
		f := setup(t)
		pub := f.doc(t, "pub", "secretword public", func(d *paste.SearchDoc) { d.OwnerID, d.OwnerName = f.alice, "alice" })
		priv := f.doc(t, "priv", "secretword private", func(d *paste.SearchDoc) {
			d.OwnerID, d.OwnerName, d.Visibility = f.alice, "alice", paste.Private
		})
		unl := f.doc(t, "unl", "secretword unlisted", func(d *paste.SearchDoc) {
			d.OwnerID, d.OwnerName, d.Visibility = f.alice, "alice", paste.Unlisted
		})
		for name, viewer := range map[string]int64{"anonymous": 0, "bob": f.bob} {
			got := ids(f.search(t, "secretword", as(viewer)))
			if got[priv.ID] || got[unl.ID] || !got[pub.ID] {
				t.Errorf("%s sees %v", name, got)
			}
			// Hostile filters in the query text change nothing.
			for _, q := range []string{"secretword visibility:=private", "secretword && visibility:private", "secretword || owner_id:=1", "secretword `) || (visibility:=private"} {
				if got := ids(f.search(t, q, as(viewer))); got[priv.ID] || got[unl.ID] {
					t.Errorf("%s with %q sees %v", name, q, got)
				}
			}
		}
		got := ids(f.search(t, "secretword", as(f.alice)))
		if !got[priv.ID] || !got[pub.ID] || !got[unl.ID] {
			t.Errorf("alice sees %v, want her three pastes", got)
		}
	})

	t.Run("burn-after-reading and expired pastes are never found", func(t *testing.T) {
		f := setup(t)
		f.doc(t, "burn", "ephemeralword", func(d *paste.SearchDoc) { d.Burn = true })
		f.doc(t, "gone", "ephemeralword", func(d *paste.SearchDoc) { d.ExpiresAt = f.now.Add(-time.Minute) })
		live := f.doc(t, "live", "ephemeralword", func(d *paste.SearchDoc) { d.ExpiresAt = f.now.Add(time.Hour) })
		got := ids(f.search(t, "ephemeralword", nil))
		if len(got) != 1 || !got[live.ID] {
			t.Fatalf("got %v, want only %s", got, live.ID)
		}
	})

	t.Run("filters by language and author", func(t *testing.T) {
		f := setup(t)
		a := f.doc(t, "a", "filterword", func(d *paste.SearchDoc) { d.OwnerID, d.OwnerName, d.Syntax = f.alice, "alice", "go" })
		b := f.doc(t, "b", "filterword", func(d *paste.SearchDoc) { d.OwnerID, d.OwnerName, d.Syntax = f.bob, "bob", "python" })
		got := ids(f.search(t, "filterword", func(r *paste.SearchRequest) { r.Syntax = "go" }))
		if !got[a.ID] || got[b.ID] {
			t.Errorf("syntax go: %v", got)
		}
		got = ids(f.search(t, "filterword", func(r *paste.SearchRequest) { r.Owner = "bob" }))
		if got[a.ID] || !got[b.ID] {
			t.Errorf("owner bob: %v", got)
		}
		if got := f.search(t, "filterword", func(r *paste.SearchRequest) { r.Owner = "nobody" }); len(got) != 0 {
			t.Errorf("owner nobody: %d hits", len(got))
		}
	})

	t.Run("pages follow the cursor without gaps or repeats", func(t *testing.T) {
		f := setup(t)
		var want []paste.ID
		for i := 0; i < 7; i++ {
			want = append([]paste.ID{f.doc(t, fmt.Sprint("p", i), "pageword body", nil).ID}, want...)
		}
		var got []paste.ID
		var after *paste.SearchCursor
		for page := 0; page < 10; page++ {
			hits := f.search(t, "pageword", func(r *paste.SearchRequest) { r.Limit, r.After = 3, after })
			for _, h := range hits {
				got = append(got, h.ID)
			}
			if len(hits) < 3 {
				break
			}
			last := hits[len(hits)-1]
			after = &paste.SearchCursor{Tier: last.Tier, CreatedAt: last.CreatedAt, ID: last.ID}
		}
		if strings.Join(idStrings(got), ",") != strings.Join(idStrings(want), ",") {
			t.Fatalf("pages gave %v, want %v", got, want)
		}
	})

	t.Run("deleted pastes disappear", func(t *testing.T) {
		f := setup(t)
		d := f.doc(t, "x", "vanishword", nil)
		if len(f.search(t, "vanishword", nil)) != 1 {
			t.Fatal("not found before delete")
		}
		f.h.Remove(t, d.ID)
		if got := f.search(t, "vanishword", nil); len(got) != 0 {
			t.Fatalf("found %v after delete", ids(got))
		}
	})

	t.Run("typos in title words are forgiven when nothing matches as typed", func(t *testing.T) {
		f := setup(t)
		lru := f.doc(t, "LRU cache in Go", "package lru // eviction by recency", nil)
		rel := f.doc(t, "Release notes 2.0", "what changed since the last version", nil)
		gt := f.doc(t, "greater than zero", "a comparison helper", nil)
		f.doc(t, "Secretproject roadmap", "private plans", func(d *paste.SearchDoc) {
			d.OwnerID, d.OwnerName, d.Visibility = f.alice, "alice", paste.Private
		})
		for _, c := range []struct {
			q, corrected string
			want         paste.ID
		}{
			{"LRU cashe", "LRU cache", lru.ID},
			{"cahce", "cache", lru.ID},
			{"relase notes", "release notes", rel.ID},
			{"greter", "greater", gt.ID},
			{"releese", "release", rel.ID}, // two typos in a seven-letter word
		} {
			res := f.searchAll(t, c.q, nil)
			if got := idList(res.Hits); len(got) != 1 || got[0] != c.want {
				t.Errorf("%q: got %v, want [%s]", c.q, got, c.want)
				continue
			}
			if got := strings.ToLower(res.Corrected.String()); got != strings.ToLower(c.corrected) {
				t.Errorf("%q: corrected to %q, want %q", c.q, got, c.corrected)
			}
			if res.Hits[0].Tier < paste.TierTypoTitle {
				t.Errorf("%q: a typo match in tier %d", c.q, res.Hits[0].Tier)
			}
		}
		// Words as typed that match are not corrected; short words and
		// words too far off are not either.
		if res := f.searchAll(t, "cache", nil); len(res.Hits) != 1 || !res.Corrected.Empty() {
			t.Errorf("cache: %v corrected %q", idList(res.Hits), res.Corrected.String())
		}
		for _, q := range []string{"LRV", "cxxhe", "zyxwvutsrq"} {
			if res := f.searchAll(t, q, nil); len(res.Hits) != 0 || !res.Corrected.Empty() {
				t.Errorf("%s: %v corrected %q", q, idList(res.Hits), res.Corrected.String())
			}
		}
		// A correction towards a private title is never shown to others.
		for name, viewer := range map[string]int64{"anonymous": 0, "bob": f.bob} {
			if res := f.searchAll(t, "secretprojekt", as(viewer)); len(res.Hits) != 0 || !res.Corrected.Empty() {
				t.Errorf("%s: secretprojekt gives %v corrected %q", name, idList(res.Hits), res.Corrected.String())
			}
		}
		if res := f.searchAll(t, "secretprojekt", as(f.alice)); len(res.Hits) != 1 {
			t.Errorf("alice: secretprojekt gives %v", idList(res.Hits))
		}
	})

	t.Run("English word forms match; identifiers stay exact", func(t *testing.T) {
		f := setup(t)
		cache := f.doc(t, "Cache warmup", "we cache the responses", nil)
		ident := f.doc(t, "parser", "h := parseHTTPHeader(r); fmt.Println(h)", func(d *paste.SearchDoc) { d.Syntax = "go" })
		for _, q := range []string{"cache", "parseHTTPHeader", "fmt.Println"} {
			if len(f.search(t, q, nil)) != 1 {
				t.Errorf("%s: not found exactly once", q)
			}
		}
		if got := ids(f.search(t, "parseHTTPHeader", nil)); !got[ident.ID] || got[cache.ID] {
			t.Errorf("parseHTTPHeader: %v", got)
		}
		if !f.h.Stems {
			return
		}
		for _, q := range []string{"caching", "cached", "caches", "responses cached", "response"} {
			if got := ids(f.search(t, q, nil)); !got[cache.ID] || len(got) != 1 {
				t.Errorf("%q: got %v, want only %s", q, got, cache.ID)
			}
		}
	})

	t.Run("relevance puts title matches first; recent is newest first", func(t *testing.T) {
		f := setup(t)
		oldTitle := f.doc(t, "kestrel deploy", "steps", nil)
		body := f.doc(t, "notes", "the kestrel server restarts", nil)
		newTitle := f.doc(t, "Kestrel tuning", "limits and kestrel timeouts", nil)
		both := f.doc(t, "server", "kestrel deploy log", nil)
		rel := idList(f.search(t, "kestrel", nil))
		if want := []paste.ID{newTitle.ID, oldTitle.ID, both.ID, body.ID}; !slices.Equal(rel, want) {
			t.Errorf("relevance: got %v, want %v", rel, want)
		}
		recent := idList(f.search(t, "kestrel", func(r *paste.SearchRequest) { r.Sort = paste.SortRecent }))
		if want := []paste.ID{both.ID, newTitle.ID, body.ID, oldTitle.ID}; !slices.Equal(recent, want) {
			t.Errorf("recent: got %v, want %v", recent, want)
		}
		// Two words: only a title holding both is a title match.
		if got := idList(f.search(t, "kestrel deploy", nil)); !slices.Equal(got, []paste.ID{oldTitle.ID, both.ID}) {
			t.Errorf("kestrel deploy: got %v", got)
		}
		// Pages of one follow the tiers without gaps or repeats.
		for _, sort := range []paste.SearchSort{paste.SortRelevance, paste.SortRecent} {
			var got []paste.ID
			var after *paste.SearchCursor
			for range 10 {
				hits := f.search(t, "kestrel", func(r *paste.SearchRequest) { r.Sort, r.Limit, r.After = sort, 1, after })
				if len(hits) == 0 {
					break
				}
				got = append(got, hits[0].ID)
				after = &paste.SearchCursor{Tier: hits[0].Tier, CreatedAt: hits[0].CreatedAt, ID: hits[0].ID}
			}
			want := rel
			if sort == paste.SortRecent {
				want = recent
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s pages: got %v, want %v", sort, got, want)
			}
		}
	})

	t.Run("language facets count every match, whatever the language filter", func(t *testing.T) {
		f := setup(t)
		for _, syn := range []string{"go", "go", "python", "go"} {
			f.doc(t, "facet", "facetword here", func(d *paste.SearchDoc) { d.Syntax = syn })
		}
		f.doc(t, "other", "not this one", func(d *paste.SearchDoc) { d.Syntax = "rust" })
		f.doc(t, "private", "facetword", func(d *paste.SearchDoc) {
			d.Syntax, d.OwnerID, d.Visibility = "rust", f.alice, paste.Private
		})
		want := []paste.Facet{{Value: "go", Count: 3}, {Value: "python", Count: 1}}
		for _, syn := range []string{"", "python"} {
			res := f.searchAll(t, "facetword", func(r *paste.SearchRequest) { r.Facets, r.Syntax = true, syn })
			if !slices.Equal(res.Facets, want) || res.FacetsApprox {
				t.Errorf("syntax %q: facets %v (approx %v), want %v", syn, res.Facets, res.FacetsApprox, want)
			}
		}
		res := f.searchAll(t, "facetword", func(r *paste.SearchRequest) { r.Facets, r.ViewerID = true, f.alice })
		if want := append(want, paste.Facet{Value: "rust", Count: 1}); !slices.Equal(res.Facets, want) {
			t.Errorf("alice: facets %v, want %v", res.Facets, want)
		}
		if res := f.searchAll(t, "facetword", nil); res.Facets != nil {
			t.Errorf("facets not asked for: %v", res.Facets)
		}
	})

	t.Run("a tag filter finds only readable pastes carrying the tag", func(t *testing.T) {
		f := setup(t)
		untagged := f.doc(t, "untagged", "tagword", nil)
		goTagged := f.doc(t, "go tagged", "tagword", func(d *paste.SearchDoc) { d.Tags = []string{"go", "http"} })
		other := f.doc(t, "other tag", "tagword", func(d *paste.SearchDoc) { d.Tags = []string{"golang"} })
		private := f.doc(t, "private go", "tagword", func(d *paste.SearchDoc) {
			d.Tags, d.Visibility, d.OwnerID, d.OwnerName = []string{"go"}, paste.Private, f.alice, "alice"
		})
		unlisted := f.doc(t, "unlisted go", "tagword", func(d *paste.SearchDoc) { d.Tags, d.Visibility = []string{"go"}, paste.Unlisted })
		got := ids(f.search(t, "tagword", func(r *paste.SearchRequest) { r.Tag = "go" }))
		if len(got) != 1 || !got[goTagged.ID] {
			t.Errorf("tag go, anonymous: %v (want only %s)", got, goTagged.ID)
		}
		got = ids(f.search(t, "tagword", func(r *paste.SearchRequest) { r.Tag, r.ViewerID = "go", f.alice }))
		if len(got) != 2 || !got[goTagged.ID] || !got[private.ID] {
			t.Errorf("tag go, as the private paste's owner: %v", got)
		}
		if got := ids(f.search(t, "tagword", func(r *paste.SearchRequest) { r.Tag, r.ViewerID = "go", f.bob })); got[private.ID] || got[unlisted.ID] {
			t.Errorf("tag go, as someone else: %v leaks a private or unlisted paste", got)
		}
		if got := f.search(t, "tagword", func(r *paste.SearchRequest) { r.Tag = "rust" }); len(got) != 0 {
			t.Errorf("tag rust: %v", idList(got))
		}
		if got := ids(f.search(t, "tagword", nil)); len(got) != 3 || !got[untagged.ID] || !got[other.ID] {
			t.Errorf("no tag: %v", got)
		}
	})

	t.Run("hostile queries neither fail nor leak", func(t *testing.T) {
		f := setup(t)
		f.doc(t, "priv", "hostileword", func(d *paste.SearchDoc) { d.OwnerID, d.Visibility = f.alice, paste.Private })
		pub := f.doc(t, "pub", "hostileword it's \"quoted\" a&&b", nil)
		for _, q := range []string{
			`"`, `""`, `"unterminated hostileword`, `-`, `--`, `-hostileword`, "`", "``hostileword``",
			"hostileword visibility:=private", "&&", "||", "!", "hostileword' OR '1'='1", "hostileword'); DROP TABLE pastes; --",
			"hostileword:*", "hostileword <-> x", "(hostileword", "hostileword \\", "%_%", "hostileword %", strings.Repeat("hostileword ", 40),
			strings.Repeat("x", 10000), "\x00hostileword", "hostileword\u202e", "ﬁ hostileword 🎉",
		} {
			for _, h := range f.search(t, q, nil) {
				if h.ID != pub.ID {
					t.Errorf("%q found %s", q, h.ID)
				}
			}
		}
	})
}

func idStrings(ids []paste.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}
