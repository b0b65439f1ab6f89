package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/store"
)

// craftedBodies are inputs on which PostgreSQL's text-search parser is
// quadratic when it parses them as typed: 64 KiB of each took from seconds
// ("<!--") to tens of seconds ("./") in to_tsvector('simple', …).
var craftedBodies = map[string]string{
	"comments":   "<!--",
	"dot-slash":  "./",
	"tilde":      "~/",
	"underscore": "abc_",
	"digits":     "a1_",
	"tags":       "<a b=c ",
}

// craftedBody is 64 KiB (all of a body that is indexed) of unit, with word
// at its start and end.
func craftedBody(unit, word string) string {
	n := paste.MaxSearchTextKB<<10 - 2*len(word) - 2
	return word + " " + strings.Repeat(unit, n/len(unit)+1)[:n] + " " + word
}

// TestCraftedBodiesIndexWithinTimeout creates pastes with crafted bodies on
// connections whose statements are cut after 2 s: indexing them as typed
// takes longer, so each create succeeding shows their indexed text is
// cheap to parse. Each is then found by the words at its ends (the long
// ones are indexed after their batch, before the create returns), and the
// crafted text itself does not match ordinary searches.
func TestCraftedBodiesIndexWithinTimeout(t *testing.T) {
	u := pgtest.NewURL(t)
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	pool := pgtest.NewPoolFor(t, u+sep+"statement_timeout=2000")
	st := store.New(pool)
	ctx := context.Background()
	var timeout string
	if err := pool.QueryRow(ctx, `SHOW statement_timeout`).Scan(&timeout); err != nil || timeout != "2s" {
		t.Fatalf("statement_timeout %q, %v", timeout, err)
	}
	i := 0
	for name, unit := range craftedBodies {
		t.Run(name, func(t *testing.T) {
			i++
			id := fmt.Sprintf("Crafted%d", i)
			word := fmt.Sprintf("needle%dword", i)
			p := mkPaste(id, paste.Public, t0)
			if err := st.Pastes().InsertPaste(ctx, p, craftedBody(unit, word)); err != nil {
				t.Fatalf("create: %v", err)
			}
			res, err := st.Search(0).Search(ctx, paste.SearchRequest{Query: paste.ParseQuery(word), Now: t0, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			hits := res.Hits
			if len(hits) != 1 || hits[0].ID != paste.ID(id) {
				t.Fatalf("search %q: %v, want %s", word, hits, id)
			}
		})
	}
}

// TestCommentsAndTagsAreSearchable: words inside HTML comments and tags are
// indexed like any other (the parser used to drop them whole), and a long
// body's words are found as soon as its create returns.
func TestCommentsAndTagsAreSearchable(t *testing.T) {
	_, st := newRepo(t)
	ctx := context.Background()
	long := strings.Repeat("filler text ", 1000) // past what a batch indexes itself
	bodies := map[string]string{
		"Html00001": `<!-- commentword --><div class="classword">tagged</div>`,
		"Html00002": long + `<a href="https://example.org/x">linkword</a> fmt.Println parseHTTPHeader`,
	}
	for id, body := range bodies {
		if err := st.Pastes().InsertPaste(ctx, mkPaste(id, paste.Public, t0), body); err != nil {
			t.Fatal(err)
		}
	}
	for q, want := range map[string]paste.ID{
		"commentword": "Html00001", "classword": "Html00001", "tagged": "Html00001",
		"linkword": "Html00002", "fmt.Println": "Html00002", "parseHTTPHeader": "Html00002",
		"HTTPHeader": "Html00002", // the substring fallback reads the terms too
	} {
		res, err := st.Search(0).Search(ctx, paste.SearchRequest{Query: paste.ParseQuery(q), Now: t0, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		hits := res.Hits
		if len(hits) != 1 || hits[0].ID != want {
			t.Errorf("search %q: %v, want %s", q, hits, want)
		}
	}
}
