package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/paste"
)

// TestBrowserPasteJourney drives the real page in headless Chromium: type a
// paste with a tab in it, submit with Ctrl+Enter (htmx), land on the
// highlighted page, follow a line-range link, and check nothing on the way
// raised a script error or a CSP violation.
func TestBrowserPasteJourney(t *testing.T) {
	e := newEnv(t, served())
	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()

	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/"),
		chromedp.WaitVisible(chromedp.ID("paste-content")),
		chromedp.SendKeys(chromedp.ID("field-title"), "journey.go"),
		chromedp.Click(chromedp.ID("paste-content")),
		chromedp.KeyEvent("func main() {"),
		chromedp.KeyEvent("\r"),
		chromedp.KeyEvent("\t"), // Tab inserts a tab in the editor
		chromedp.KeyEvent(`println("<b>hi</b>")`),
		chromedp.KeyEvent("\r}\r// line 4\r// line 5\r"),
	)
	value := browsertest.Get(t, ctx, chromedp.Value(chromedp.ID("paste-content")))
	if !strings.Contains(value, "\n\tprintln") {
		t.Fatalf("Tab did not insert a tab: %q", value)
	}
	// Ctrl+Enter submits through htmx, which follows HX-Redirect.
	browsertest.Do(t, ctx,
		chromedp.KeyEvent("\r", chromedp.KeyModifiers(2 /* ctrl */)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="code"]`)),
	)
	loc := browsertest.Get(t, ctx, chromedp.Location())
	id := strings.TrimPrefix(loc, e.base+"/")
	if len(id) != paste.ShortIDLen {
		t.Fatalf("landed on %q", loc)
	}
	p, err := e.svc.Get(context.Background(), paste.Anonymous, paste.ID(id))
	if err != nil || p.Title != "journey.go" || p.Syntax != "go" {
		t.Fatalf("stored paste %+v %v", p, err)
	}
	body, err := e.svc.Body(context.Background(), p)
	if err != nil || string(body) != value {
		t.Fatalf("stored body %q, typed %q", body, value)
	}
	// The markup in the code stays text.
	bold := browsertest.Get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="code"] b').length`))
	if bold != 0 {
		t.Fatal("code rendered as HTML")
	}
	// A line range in the address highlights those lines.
	browsertest.Do(t, ctx, chromedp.Navigate(loc+"#L2-L4"), chromedp.WaitVisible(chromedp.CSS("#L3.hl")))
	hl := browsertest.Get(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.line.hl')].map(e => e.id)`))
	if strings.Join(hl, ",") != "L2,L3,L4" {
		t.Fatalf("highlighted %v, want L2..L4", hl)
	}
	shot := browsertest.Get(t, ctx, chromedp.CaptureScreenshot())
	saveArtifact(t, "paste-page.png", shot)
	if problems := b.Problems(); len(problems) > 0 {
		t.Fatalf("the pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}

// saveArtifact keeps a file from a test run under testdata-artifacts/ (ignored
// by git) for people to look at.
func saveArtifact(t *testing.T, name string, data []byte) {
	t.Helper()
	dir := filepath.Join("..", "..", "testdata-artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Log(err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Log(err)
	}
}
