package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/paste"
)

// TestBrowserPrivatePasteShareJourney: register, sign in, create a private
// paste, make a share link, open it in a second, signed-out browser
// context, revoke it, and see it answer 404 there at once.
func TestBrowserPrivatePasteShareJourney(t *testing.T) {
	e := newEnv(t, served())
	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()

	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/register"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/register"] input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/register"] input[name="username"]`), "yasmin"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/register"] input[name="password"]`), "a long enough password"),
		chromedp.Submit(chromedp.CSS(`form[action="/register"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="username"]`)),
	)
	// Sign out and in again through the login form.
	browsertest.Do(t, ctx,
		chromedp.Submit(chromedp.CSS(`form[action="/logout"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="nav-login"]`)),
		chromedp.Navigate(e.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/login"] input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name="username"]`), "yasmin"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name="password"]`), "a long enough password"),
		chromedp.Submit(chromedp.CSS(`form[action="/login"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="username"]`)),
	)
	// A private paste.
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/"),
		chromedp.WaitVisible(chromedp.ID("paste-content")),
		chromedp.SendKeys(chromedp.ID("paste-content"), "for your eyes only"),
		chromedp.Click(chromedp.CSS(`input[name="visibility"][value="private"]`)),
		chromedp.Click(chromedp.CSS(`#paste-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="share-panel"]`)),
	)
	loc := browsertest.Get(t, ctx, chromedp.Location())
	id := strings.TrimPrefix(loc, e.base+"/")
	if len(id) != paste.SecretIDLen {
		t.Fatalf("private paste at %q", loc)
	}
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="create-share"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="new-share-url"]`)),
	)
	shareURL := strings.TrimSpace(browsertest.Get(t, ctx, chromedp.Evaluate[string](
		`(() => { const el = document.querySelector('[data-testid="new-share-url"]'); return el.value || el.textContent })()`)))
	if !strings.HasPrefix(shareURL, e.base+"/s/") {
		t.Fatalf("share URL %q", shareURL)
	}

	// A second person's browser: no cookies.
	other, cancelOther := b.Incognito()
	defer cancelOther()
	browsertest.Do(t, other, chromedp.Navigate(loc), chromedp.WaitVisible(chromedp.CSS("main")))
	if body := browsertest.Get(t, other, chromedp.Text(chromedp.CSS("main"))); strings.Contains(body, "for your eyes only") {
		t.Fatal("private paste readable without the link")
	}
	browsertest.Do(t, other, chromedp.Navigate(shareURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="code"]`)))
	if code := browsertest.Get(t, other, chromedp.Text(chromedp.CSS(`[data-testid="code"]`))); !strings.Contains(code, "for your eyes only") {
		t.Fatalf("share link shows %q", code)
	}

	// The owner revokes the link; the other browser gets 404 at once.
	browsertest.Do(t, ctx,
		chromedp.Navigate(loc),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="revoke-share"] button`)),
		chromedp.Click(chromedp.CSS(`[data-testid="revoke-share"] button`)),
		chromedp.WaitNotPresent(chromedp.CSS(`[data-testid="revoke-share"]`)),
	)
	browsertest.Do(t, other, chromedp.Navigate(shareURL), chromedp.WaitVisible(chromedp.CSS("main")))
	if body := browsertest.Get(t, other, chromedp.Text(chromedp.CSS("main"))); strings.Contains(body, "for your eyes only") || !strings.Contains(body, "nothing here") {
		t.Fatalf("revoked link still shows: %q", body)
	}
	links, err := e.svc.ShareLinks(context.Background(), paste.Viewer{UserID: 1}, paste.ID(id))
	if err != nil || len(links) != 0 {
		t.Fatalf("links after revoke: %v %v", links, err)
	}
	saveArtifact(t, "share-revoked.png", browsertest.Get(t, other, chromedp.CaptureScreenshot()))
	var problems []string
	for _, p := range b.Problems() {
		// The two 404s this journey asks for on purpose.
		if strings.Contains(p, "status of 404") && (strings.Contains(p, "/"+id+")") || strings.Contains(p, shareURL+")")) {
			continue
		}
		problems = append(problems, p)
	}
	if len(problems) > 0 {
		t.Fatalf("pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}
