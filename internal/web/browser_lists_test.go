package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/paste"
)

// TestBrowserListsFromMemory: the explore pages and the search page that
// anonymous visitors are served from memory (issue 19) work in the browser
// as freshly rendered ones do. Each is loaded twice at 390 and 1280 px,
// light and dark, the second time from memory: no script error or CSP
// violation (the kept page carries this response's nonce, not another's),
// nothing wider than the window, and the theme toggle, a script, still
// works on a kept page. Screenshots go to tmp/screens/a19/.
func TestBrowserListsFromMemory(t *testing.T) {
	e := newEnv(t, served())
	alice := e.register("alice")
	for i, l := range []string{"go", "python", "rust", "go", "sql", "go"} {
		e.createAs(alice, paste.CreateInput{
			Title: fmt.Sprintf("handler %s %d", l, i), Content: []byte("func handler(ctx context.Context) error { return nil }\n"),
			Syntax: l, Tags: []string{"kept"},
		})
	}
	if err := os.MkdirAll(filepath.Join(screenDir, "a19"), 0o755); err != nil {
		t.Fatal(err)
	}
	views := []struct{ name, path string }{
		{"explore", "/explore"}, {"explore-go", "/explore?language=go"}, {"explore-tag", "/explore?tag=kept"},
		{"explore-popular", "/explore?sort=popular"}, {"search", "/search?q=handler"},
	}
	b := browsertest.New(t)
	anon, cancel := b.Incognito()
	defer cancel()
	before := e.cache.Lists().Stats().Hits
	for _, width := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, anon, chromedp.EmulateViewport(width, 900), colourScheme(scheme))
			for _, v := range views {
				for round := range 2 {
					checkLayout(t, anon, e.base+v.path, fmt.Sprintf("a19/%s-%d-%s-%d", v.name, width, scheme, round))
				}
			}
		}
	}
	if hits := e.cache.Lists().Stats().Hits; hits == before {
		t.Fatal("no page was served from memory")
	}
	// A script on a kept page runs: the theme toggle changes <html>.
	checkLayout(t, anon, e.base+"/explore", "a19/explore-again")
	theme := func() string {
		return browsertest.Get(t, anon, chromedp.Evaluate[string](`document.documentElement.dataset.theme || ""`))
	}
	was := theme()
	browsertest.Do(t, anon, chromedp.Click(chromedp.CSS(`[data-testid="theme-toggle"]`)))
	if now := theme(); now == was {
		t.Errorf("the theme toggle did nothing on a kept page (theme %q)", now)
	}
	if problems := b.Problems(); len(problems) > 0 {
		t.Fatalf("pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}
