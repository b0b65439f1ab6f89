package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/paste"
)

// TestBrowserCommunityJourney: sign up, comment on a paste, edit the
// comment in place, like and star the paste (all through htmx, no page
// loads), then find it under "My stars" and in the popular list.
func TestBrowserCommunityJourney(t *testing.T) {
	e := newEnv(t, served())
	p := e.create(paste.CreateInput{Title: "community paste", Content: []byte("package main\n"), Visibility: paste.Public, Syntax: "go"})
	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()

	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/register"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/register"] input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/register"] input[name="username"]`), "zelda"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/register"] input[name="password"]`), "a long enough password"),
		chromedp.Submit(chromedp.CSS(`form[action="/register"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="nav-stars"]`)),
		chromedp.Navigate(e.base+"/"+string(p.ID)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="comment-form"]`)),
		// A mark that disappears on a full page load: everything below must
		// happen in place.
		chromedp.Evaluate[chromedp.Void](`window.__noReload = true`),
		chromedp.SendKeys(chromedp.ID("comment-body"), "Nice one, see https://go.dev/doc"),
		chromedp.Click(chromedp.CSS(`[data-testid="comment-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="comment-link"]`)),
	)
	// The form came back empty, out of band.
	if v := browsertest.Get(t, ctx, chromedp.Evaluate[string](`document.getElementById("comment-body").value`)); v != "" {
		t.Fatalf("the comment form still holds %q", v)
	}
	e.clock.Advance(time.Minute) // the test clock stands still otherwise
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="edit-toggle"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="edit-body-input"]`)),
		chromedp.Clear(chromedp.CSS(`[data-testid="edit-body-input"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="edit-body-input"]`), "Edited: even nicer"),
		chromedp.Click(chromedp.CSS(`[data-testid="edit-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="comment-edited"]`)),
	)
	if got := browsertest.Get(t, ctx, chromedp.Text(chromedp.CSS(`[data-testid="comment-body"]`))); strings.TrimSpace(got) != "Edited: even nicer" {
		t.Fatalf("edited comment shows %q", got)
	}
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`#paste-votes [data-testid="like"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#paste-votes [data-testid="like"][aria-pressed="true"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="star-button"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="star-button"][aria-pressed="true"]`)),
	)
	if likes := browsertest.Get(t, ctx, chromedp.Text(chromedp.CSS(`#paste-votes [data-testid="likes"]`))); likes != "1" {
		t.Fatalf("likes shown %q", likes)
	}
	if !browsertest.Get(t, ctx, chromedp.Evaluate[bool](`window.__noReload === true`)) {
		t.Fatal("the page reloaded: comment, edit, like and star should happen in place")
	}

	// My stars.
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="nav-stars"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="stars-heading"]`)),
	)
	if got := browsertest.Get(t, ctx, chromedp.Text(chromedp.CSS(`[data-testid="paste-card-title"]`))); got != "community paste" {
		t.Fatalf("my stars lists %q", got)
	}
	// The popular list, after the scheduled refresh (run here directly).
	if _, err := e.svc.RefreshPopular(context.Background()); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/explore?sort=popular"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="paste-card-title"]`)),
	)
	if got := browsertest.Get(t, ctx, chromedp.Text(chromedp.CSS(`[data-testid="paste-card-title"]`))); got != "community paste" {
		t.Fatalf("popular lists %q", got)
	}
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/"+string(p.ID)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="comment-edited"]`)),
	)
	saveArtifact(t, "community.png", browsertest.Get(t, ctx, chromedp.CaptureScreenshot()))
	if problems := b.Problems(); len(problems) > 0 {
		t.Fatalf("pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}
