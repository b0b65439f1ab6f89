package web_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/paste"
)

// TestBrowserDiscoveryPages opens the pages issue 18 adds or changes —
// explore by language and trending, a user's languages, a comment thread
// deeper than three levels in both orders, the admins' list of every
// paste — at 390 and 1280 px, light and dark: none may be wider than the
// window or raise a script error or CSP violation. Screenshots go to
// tmp/screens/discovery-*.png.
func TestBrowserDiscoveryPages(t *testing.T) {
	e := newEnv(t, served())
	ctx := context.Background()
	alice, bob, root := e.register("alice"), e.register("bob_builder_with_a_long_name"), e.register("root_admin")
	e.makeAdmin(root)
	langs := []string{"go", "python", "rust", "javascript", "typescript", "sql", "bash", "yaml", "markdown", "c", "cpp", "java"}
	var starred paste.ID
	for i, l := range langs {
		for j := 0; j <= i%3; j++ {
			p := e.createAs(alice, paste.CreateInput{Title: fmt.Sprintf("%s snippet %d", l, j), Content: []byte("x := 1\n"), Syntax: l})
			if i == 0 {
				starred = p.ID
			}
		}
	}
	e.createAs(alice, paste.CreateInput{Title: "a private note with a title that goes on for quite a while to test wrapping", Content: []byte("secret"), Visibility: paste.Private})
	if _, err := e.svc.Star(ctx, viewerOf(bob), starred, true); err != nil {
		t.Fatal(err)
	}
	talk := e.apiPaste(alice, `{"title":"Let's talk","content":"discuss this","visibility":"public"}`)
	first := e.apiComment(bob, talk, "The first thread starts here.", 0)
	parent := first
	for i := range 5 {
		parent = e.apiComment(map[bool]*user{true: alice, false: bob}[i%2 == 0], talk, fmt.Sprintf("A reply at depth %d, saying something about the paste.", i+1), parent)
	}
	e.clock.Advance(time.Minute)
	e.apiComment(alice, talk, "A later thread.", 0)
	if _, err := e.svc.RefreshTrending(ctx); err != nil { // the scheduled task's round
		t.Fatal(err)
	}

	type view struct{ name, path string }
	anonViews := []view{
		{"explore", "/explore"}, {"explore-go", "/explore?language=go"}, {"explore-trending", "/explore?sort=trending"},
		{"user", "/u/alice"}, {"comments-oldest", "/" + talk + "#comments"}, {"comments-newest", "/" + talk + "?order=newest#comments"},
	}
	adminViews := []view{{"admin-pastes", "/admin/pastes"}, {"admin-pastes-private", "/admin/pastes?visibility=private"}}

	if err := os.MkdirAll(screenDir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	anon, cancelAnon := b.Incognito()
	defer cancelAnon()
	rootTab, cancelRoot := b.Incognito()
	defer cancelRoot()
	signIn(t, e, rootTab, root)
	for _, role := range []struct {
		name  string
		ctx   context.Context
		views []view
	}{{"anon", anon, anonViews}, {"admin", rootTab, adminViews}} {
		for _, width := range []int64{390, 1280} {
			for _, scheme := range []string{"light", "dark"} {
				browsertest.Do(t, role.ctx, chromedp.EmulateViewport(width, 900), colourScheme(scheme))
				for _, v := range role.views {
					checkLayout(t, role.ctx, e.base+v.path, fmt.Sprintf("discovery-%s-%d-%s-%s", role.name, width, scheme, v.name))
				}
			}
		}
	}
	// The admin's visibility control works in the browser: pick, Set, and
	// the list shows the paste under its new ID with the notice.
	browsertest.Do(t, rootTab,
		chromedp.Navigate(e.base+"/admin/pastes?q="+string(starred)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-visibility-select"]`)),
		chromedp.SetValue(chromedp.CSS(`[data-testid="admin-visibility-select"]`), "unlisted"),
		chromedp.Click(chromedp.CSS(`[data-testid="admin-visibility-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-notice"]`)),
	)
	row := browsertest.Get(t, rootTab, chromedp.Evaluate[string](`document.querySelector('[data-testid="admin-paste-row"]').dataset.pasteId`))
	if len(row) != paste.SecretIDLen {
		t.Errorf("after Set the list shows %q, want the paste's new long ID", row)
	}
	if problems := b.Problems(); len(problems) > 0 {
		t.Fatalf("pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}
