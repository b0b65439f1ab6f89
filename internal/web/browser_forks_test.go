package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/paste"
)

// TestBrowserForkAndTags: in Chromium, a signed-in visitor and an
// anonymous one press Fork on a tagged paste and land on their new fork,
// which says "Forked from" with a link back; the original then counts the
// forks; a tag link opens the tag's list. The pages issue 15's tags and
// forks change (the paste page, a fork, explore by tag, the user page, the
// new-paste and edit forms) are checked for layout at 390 and 1280 px,
// light and dark, and saved under tmp/screens/forks/.
func TestBrowserForkAndTags(t *testing.T) {
	e := newEnv(t, served())
	alice, bob := e.register("alice"), e.register("bob")
	orig := e.createAs(alice, paste.CreateInput{
		Title: "http server.go", Syntax: "go", Tags: []string{"go", "http", "server", "example", "k8s.io"},
		Content: []byte("package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"),
	})
	for i := range 3 {
		e.createAs(alice, paste.CreateInput{Title: fmt.Sprintf("snippet %d", i), Syntax: "go", Content: []byte("x := 1\n"), Tags: []string{"go", fmt.Sprintf("a-rather-long-tag-number-%d", i)}})
	}
	e.createAs(alice, paste.CreateInput{Title: "private", Content: []byte("secret"), Visibility: paste.Private, Tags: []string{"go", "hidden"}})

	b := browsertest.New(t)
	bobTab, cancelBob := b.Incognito()
	defer cancelBob()
	signIn(t, e, bobTab, bob)
	browsertest.Do(t, bobTab,
		chromedp.Navigate(e.base+"/"+string(orig.ID)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="fork-button"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="fork-button"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="forked-from-link"]`)),
	)
	forkURL := browsertest.Get(t, bobTab, chromedp.Evaluate[string](`location.pathname`))
	href := browsertest.Get(t, bobTab, chromedp.Evaluate[string](`document.querySelector('[data-testid="forked-from-link"]').getAttribute('href')`))
	if forkURL == "/"+string(orig.ID) || href != "/"+string(orig.ID) {
		t.Fatalf("after Fork: at %s, forked from %q", forkURL, href)
	}
	if n := browsertest.Get(t, bobTab, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="created-notice"]').length`)); n != 1 {
		t.Errorf("the fork's page shows %d Created notices, want 1", n)
	}
	fork, err := e.svc.Get(context.Background(), viewerOf(bob), paste.ID(strings.TrimPrefix(forkURL, "/")))
	if err != nil || fork.OwnerID != bob.id || fork.ForkedFrom != orig.ID {
		t.Fatalf("bob's fork: %+v %v", fork, err)
	}

	anon, cancelAnon := b.Incognito()
	defer cancelAnon()
	browsertest.Do(t, anon,
		chromedp.Navigate(e.base+"/"+string(orig.ID)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="fork-button"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="fork-button"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="delete-token"]`)),
	)
	if got := browsertest.Get(t, anon, chromedp.Evaluate[string](`document.querySelector('[data-testid="forked-from-link"]').getAttribute('href')`)); got != "/"+string(orig.ID) {
		t.Errorf("anonymous fork: forked from %q", got)
	}
	browsertest.Do(t, anon,
		chromedp.Navigate(e.base+"/"+string(orig.ID)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="forks"]`)),
	)
	if got := browsertest.Get(t, anon, chromedp.Evaluate[string](`document.querySelector('[data-testid="forks"]').textContent.trim()`)); got != "2 forks" {
		t.Errorf("the original says %q, want \"2 forks\"", got)
	}
	browsertest.Do(t, anon,
		chromedp.Click(chromedp.CSS(`[data-testid="paste-tags"] [data-tag="http"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="explore-tag"]`)),
	)
	if got := browsertest.Get(t, anon, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="paste-card"]').length`)); got != 3 {
		t.Errorf("explore?tag=http shows %d cards, want the original and both forks (tags are copied)", got)
	}

	if err := os.MkdirAll(filepath.Join(screenDir, "forks"), 0o755); err != nil {
		t.Fatal(err)
	}
	aliceTab, cancelAlice := b.Incognito()
	defer cancelAlice()
	signIn(t, e, aliceTab, alice)
	views := []struct{ name, path string }{
		{"paste", "/" + string(orig.ID)}, {"fork", forkURL}, {"explore-tag", "/explore?tag=go"},
		{"user", "/u/alice"}, {"new", "/"}, {"edit", "/" + string(orig.ID) + "/edit"},
	}
	for _, width := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, aliceTab, chromedp.EmulateViewport(width, 900), colourScheme(scheme))
			for _, v := range views {
				checkLayout(t, aliceTab, e.base+v.path, fmt.Sprintf("forks/%s-%d-%s", v.name, width, scheme))
				if v.name == "edit" {
					// The tags field sits below the text: its own shot.
					browsertest.Do(t, aliceTab, chromedp.ScrollIntoView(chromedp.CSS(`[data-testid="tags-input"]`)))
					png := browsertest.Get(t, aliceTab, chromedp.CaptureScreenshot())
					if err := os.WriteFile(filepath.Join(screenDir, "forks", fmt.Sprintf("edit-tags-%d-%s.png", width, scheme)), png, 0o644); err != nil {
						t.Log(err)
					}
				}
			}
		}
	}
	if problems := b.Problems(); len(problems) > 0 {
		t.Fatalf("pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}
