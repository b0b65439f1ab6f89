package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/paste"
)

// TestBrowserMoreReplies: a long thread shows its first replies; "More
// replies" loads the next ones in place (no page load), then the thread's
// own page works without htmx, at phone and laptop widths.
func TestBrowserMoreReplies(t *testing.T) {
	e := newEnv(t, served())
	ctx := context.Background()
	ann, bob := e.register("ann"), e.register("bob")
	p, err := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "busy thread", Content: []byte("package main\n"), Syntax: "go", Visibility: paste.Public})
	if err != nil {
		t.Fatal(err)
	}
	root, err := e.svc.AddComment(ctx, viewerOf(ann), p.Paste.ID, "What do you think?", 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := 0; i < 30; i++ {
		c, err := e.svc.AddComment(ctx, viewerOf(bob), p.Paste.ID, fmt.Sprintf("Reply number %d", i+1), root.ID)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	b := browsertest.New(t)
	for _, width := range []int64{390, 1280} {
		tab, cancel := b.Tab()
		browsertest.Do(t, tab,
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(e.base+"/"+string(p.Paste.ID)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="more-replies"]`)),
			chromedp.Evaluate[chromedp.Void](`window.__noReload = true`),
			chromedp.ScrollIntoView(chromedp.CSS(`[data-testid="more-replies"]`)),
		)
		saveArtifact(t, fmt.Sprintf("replies-first-%d.png", width), browsertest.Get(t, tab, chromedp.CaptureScreenshot()))
		if n := browsertest.Get(t, tab, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="thread"] [data-testid="comment"]').length`)); n != 1+paste.RepliesShown {
			t.Fatalf("%d px: %d comments before More replies, want %d", width, n, 1+paste.RepliesShown)
		}
		browsertest.Do(t, tab,
			chromedp.Click(chromedp.CSS(`[data-testid="more-replies"]`)),
			chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("comment-%d", ids[paste.RepliesShown+paste.RepliesPerPage-1]))),
			chromedp.ScrollIntoView(chromedp.CSS(`[data-testid="more-replies"]`)),
		)
		saveArtifact(t, fmt.Sprintf("replies-more-%d.png", width), browsertest.Get(t, tab, chromedp.CaptureScreenshot()))
		if !browsertest.Get(t, tab, chromedp.Evaluate[bool](`window.__noReload === true`)) {
			t.Fatalf("%d px: More replies loaded a new page", width)
		}
		// The last page, then nothing more.
		browsertest.Do(t, tab,
			chromedp.Click(chromedp.CSS(`[data-testid="more-replies"]`)),
			chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("comment-%d", ids[len(ids)-1]))),
		)
		if n := browsertest.Get(t, tab, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="more-replies"]').length`)); n != 0 {
			t.Fatalf("%d px: a More replies link after the last reply", width)
		}
		// Without htmx: the thread's page.
		browsertest.Do(t, tab,
			chromedp.Navigate(fmt.Sprintf("%s/%s/comments/%d?cursor=", e.base, p.Paste.ID, root.ID)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="thread-heading"]`)),
		)
		saveArtifact(t, fmt.Sprintf("replies-page-%d.png", width), browsertest.Get(t, tab, chromedp.CaptureScreenshot()))
		cancel()
	}
	if probs := b.Problems(); len(probs) > 0 {
		t.Fatalf("browser problems: %v", probs)
	}
}
