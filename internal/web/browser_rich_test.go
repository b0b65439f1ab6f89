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

// TestBrowserDiagramsAndMath: a Markdown paste with a Mermaid block and
// KaTeX math shows the diagram as an SVG (drawn in the sandboxed frame)
// and the math as KaTeX output, under the pages' CSP with no violation or
// console error; a Markdown paste without them loads none of their
// scripts. Screenshots at 390 and 1280 px, light and dark.
func TestBrowserDiagramsAndMath(t *testing.T) {
	e := newEnv(t, served())
	alice := e.register("alice")
	rich := e.apiPaste(alice, `{"title":"Diagram and math","syntax":"markdown","content":"# Flow\n\nEnergy $E = mc^2$ and a sum:\n\n$$\n\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}\n$$\n\n`+"```mermaid"+`\ngraph TD\n  A[Start] --> B{Ready?}\n  B -->|yes| C[Ship it]\n  B -->|no| D[Wait]\n`+"```"+`\n\nThe end.\n"}`)
	plain := e.apiPaste(alice, `{"title":"Just prose","syntax":"markdown","content":"# Prose\n\nNo diagrams here, and $5 is not math.\n"}`)

	b := browsertest.New(t)
	ctx, cancel := b.Incognito()
	defer cancel()
	if err := os.MkdirAll(screenDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(width, 900), colourScheme(scheme),
				chromedp.Navigate(e.base+"/"+rich),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="mermaid-svg"]`)),
				chromedp.WaitReady(chromedp.CSS(`.math-display .katex-display`)),
			)
			// The diagram is an SVG document with the diagram's labels.
			svg := browsertest.Get(t, ctx, chromedp.Evaluate[string](`decodeURIComponent(document.querySelector('[data-testid="mermaid-svg"]').src.split(",")[1])`))
			if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "Ship") {
				t.Fatalf("the diagram is not an SVG with its labels: %.200q", svg)
			}
			if w := browsertest.Get(t, ctx, chromedp.Evaluate[float64](`document.querySelector('[data-testid="mermaid-svg"]').naturalWidth`)); w < 50 {
				t.Errorf("the diagram image is %v px wide", w)
			}
			// Math: KaTeX's HTML and MathML, inline and display.
			n := browsertest.Get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.markdown .math.rendered .katex .katex-mathml math').length`))
			if n != 2 {
				t.Errorf("%d math elements rendered by KaTeX, want 2", n)
			}
			checkLayout(t, ctx, e.base+"/"+rich, fmt.Sprintf("rich-%d-%s", width, scheme))
			browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="mermaid-svg"]`)))
			png := browsertest.Get(t, ctx, chromedp.CaptureScreenshot())
			if err := os.WriteFile(filepath.Join(screenDir, fmt.Sprintf("rich-drawn-%d-%s.png", width, scheme)), png, 0o644); err != nil {
				t.Log(err)
			}
		}
	}
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("the diagram and math page reported problems:\n%s", strings.Join(p, "\n"))
	}

	// A page without diagrams or math loads none of it.
	browsertest.Do(t, ctx, chromedp.Navigate(e.base+"/"+plain), chromedp.WaitReady(chromedp.CSS("footer.site-footer")))
	loaded := browsertest.Get(t, ctx, chromedp.Evaluate[string](`performance.getEntriesByType("resource").map(function (r) { return r.name }).filter(function (n) { return /katex|mermaid|rich|diagram-frame/.test(n) }).join(" ")`))
	if loaded != "" {
		t.Errorf("a page without diagrams or math loaded %s", loaded)
	}
	if n := browsertest.Get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('iframe, script[src*="katex"], link[href*="katex"]').length`)); n != 0 {
		t.Errorf("a page without diagrams or math has %d frames or KaTeX tags", n)
	}
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("the plain page reported problems:\n%s", strings.Join(p, "\n"))
	}
}
