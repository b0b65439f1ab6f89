package web_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/paste"
)

// TestBrowserSearchAsYouType: typing searches as you go (htmx, debounced)
// and pushes each search to the history; a typo gets "Did you mean" and
// language facets; Back restores the earlier search, and when htmx no
// longer has it cached (the history restore request) the server's whole
// page replaces the body, not a fragment inside it. The search page is
// laid out at 390 and 1280 px, light and dark, and saved as screenshots.
func TestBrowserSearchAsYouType(t *testing.T) {
	e := newEnv(t, served())
	e.create(paste.CreateInput{Title: "LRU cache in Go", Content: []byte("package lru\n\n// Cache evicts the least recently used entry.\ntype Cache struct{}\n"), Syntax: "go"})
	e.clock.Advance(1e9)
	e.create(paste.CreateInput{Title: "Release notes 2.0", Content: []byte("the cache is warmed at start"), Syntax: "markdown"})
	e.clock.Advance(1e9)
	e.create(paste.CreateInput{Title: "memo", Content: []byte("a cache decorator for fib(n)"), Syntax: "python"})

	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/search"),
		chromedp.WaitVisible(chromedp.ID("search-q")),
		chromedp.Click(chromedp.ID("search-q")),
		chromedp.KeyEvent("cahce"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="search-suggestion"]`)),
	)
	if loc := browsertest.Get(t, ctx, chromedp.Location()); !strings.Contains(loc, "/search?q=cahce") {
		t.Fatalf("typing did not push the search: %q", loc)
	}
	if n := browsertest.Get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="search-hit"]').length`)); n != 3 {
		t.Fatalf("%d hits for cahce, want 3", n)
	}
	if n := browsertest.Get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="search-facet"]').length`)); n != 4 {
		t.Errorf("%d facet links, want Any and three languages", n)
	}

	// Correct the word: the suggestion goes, the new search is pushed.
	browsertest.Do(t, ctx,
		chromedp.KeyEvent("\b\b\b\b\bcache"),
		chromedp.WaitNotPresent(chromedp.CSS(`[data-testid="search-suggestion"]`)),
	)
	if loc := browsertest.Get(t, ctx, chromedp.Location()); !strings.Contains(loc, "q=cache") {
		t.Fatalf("the corrected search was not pushed: %q", loc)
	}

	// Back, with htmx's history cache emptied: the server answers the
	// restore request with the whole page.
	browsertest.Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`sessionStorage.clear(); localStorage.removeItem('htmx-history-cache'); history.back()`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="search-suggestion"]`)),
	)
	if n := browsertest.Get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('form[data-testid="search-page-form"]').length + document.querySelectorAll('header').length * 10`)); n != 11 {
		t.Errorf("after Back the page has %d forms + 10 × headers, want one of each (the whole page, once)", n)
	}
	if q := browsertest.Get(t, ctx, chromedp.Value(chromedp.ID("search-q"))); q != "cahce" {
		t.Errorf("after Back the field holds %q", q)
	}

	if err := os.MkdirAll(screenDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(width, 800), colourScheme(scheme))
			checkLayout(t, ctx, e.base+"/search?q=cahce", fmt.Sprintf("search-typo-%d-%s", width, scheme))
			checkLayout(t, ctx, e.base+"/search?q=cache&syntax=go&sort=recent", fmt.Sprintf("search-facets-%d-%s", width, scheme))
		}
	}
	if problems := b.Problems(); len(problems) > 0 {
		t.Fatalf("the pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}
