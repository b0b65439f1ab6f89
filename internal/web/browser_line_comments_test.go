package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
)

// TestBrowserLineComments: click line 12, shift-click line 18, and the
// comment form holds 12 and 18; posting it (htmx) brings the page back
// with the comment under line 18. Layout checked and screenshots taken at
// 390 and 1280 px, light and dark.
func TestBrowserLineComments(t *testing.T) {
	e := newEnv(t, served())
	alice := e.register("alice")
	var body strings.Builder
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&body, "func step%d() error { return nil } // a fairly long line of code to show wrapping and scrolling\\n", i)
	}
	id := e.apiPaste(alice, `{"title":"thirty steps","syntax":"go","content":"`+body.String()+`"}`)

	b := browsertest.New(t)
	ctx, cancel := b.Incognito()
	defer cancel()
	signIn(t, e, ctx, alice)
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/"+id),
		chromedp.WaitVisible(chromedp.CSS(`#L12 a.ln`)),
		chromedp.Click(chromedp.CSS(`#L12 a.ln`)),
	)
	// Shift-click extends the selection.
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("#L18 a.ln").dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, shiftKey: true, button: 0}))`))
	got := browsertest.Get(t, ctx, chromedp.Evaluate[string](`location.hash + " " + document.getElementById("comment-line-start").value + "-" + document.getElementById("comment-line-end").value`))
	if got != "#L12-L18 12-18" {
		t.Fatalf("after selecting lines 12-18: %q", got)
	}
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.ID("comment-body"), "These seven could be one loop."),
		chromedp.Click(chromedp.CSS(`[data-testid="comment-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="line-notes"]`)),
	)
	next := browsertest.Get(t, ctx, chromedp.Evaluate[string](`document.getElementById("L18").nextElementSibling.textContent`))
	if !strings.Contains(next, "These seven could be one loop.") || !strings.Contains(next, "lines 12–18") {
		t.Fatalf("after line 18: %q", next)
	}
	for _, width := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(width, 900), colourScheme(scheme))
			checkLayout(t, ctx, e.base+"/"+id+"#L12-L18", fmt.Sprintf("line-comments-%d-%s", width, scheme))
			// And the note itself in view.
			browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="line-notes"]').scrollIntoView({block: "center"})`))
			png := browsertest.Get(t, ctx, chromedp.CaptureScreenshot())
			if err := os.WriteFile(filepath.Join(screenDir, fmt.Sprintf("line-comments-note-%d-%s.png", width, scheme)), png, 0o644); err != nil {
				t.Log(err)
			}
		}
	}
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("problems:\n%s", strings.Join(p, "\n"))
	}
}
