package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
)

// TestRichAssetsOnlyWhereNeeded: a Markdown page loads KaTeX only with
// math and the diagram frame only with diagrams (nonced, from versioned
// paths), a page with neither loads none of it, and the frame's two
// scripts may be fetched from its opaque origin.
func TestRichAssetsOnlyWhereNeeded(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice")
	pages := map[string]string{
		"math":    e.apiPaste(alice, `{"syntax":"markdown","content":"$x^2$"}`),
		"diagram": e.apiPaste(alice, `{"syntax":"markdown","content":"`+"```mermaid"+`\ngraph TD; a-->b\n`+"```"+`\n"}`),
		"neither": e.apiPaste(alice, `{"syntax":"markdown","content":"# $5 and $10"}`),
		"source":  e.apiPaste(alice, `{"syntax":"text","content":"$x^2$"}`),
	}
	type loads struct{ Rich, KaTeXJS, KaTeXCSS, Frame bool }
	want := map[string]loads{
		"math":    {Rich: true, KaTeXJS: true, KaTeXCSS: true},
		"diagram": {Rich: true, Frame: true},
		"neither": {},
		"source":  {},
	}
	var richSrc string
	for name, id := range pages {
		_, body := e.get("/" + id)
		doc := parse(t, body)
		rich := doc.Find(`script[data-testid="rich-js"]`)
		frame, _ := rich.Attr("data-rich-frame")
		got := loads{Rich: rich.Length() == 1, KaTeXJS: doc.Find(`script[data-testid="katex-js"]`).Length() == 1, KaTeXCSS: doc.Find(`link[data-testid="katex-css"]`).Length() == 1, Frame: frame != ""}
		if diff := cmp.Diff(want[name], got); diff != "" {
			t.Errorf("%s page loads (-want +got):\n%s", name, diff)
		}
		if got.Rich {
			if n, _ := rich.Attr("nonce"); n == "" {
				t.Errorf("%s page: rich.js without a nonce", name)
			}
			richSrc, _ = rich.Attr("src")
		}
	}
	if !strings.HasPrefix(richSrc, "/static/rich.") {
		t.Fatalf("rich.js at %q", richSrc)
	}
	resp, body := e.get("/diagram-frame")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("frame = %d", resp.StatusCode)
	}
	doc := parse(t, body)
	var corp []string
	doc.Find("script[src]").Each(func(_ int, s *goquery.Selection) {
		src, _ := s.Attr("src")
		r, _ := e.get(src)
		corp = append(corp, r.Header.Get("Cross-Origin-Resource-Policy"))
	})
	if diff := cmp.Diff([]string{"cross-origin", "cross-origin"}, corp); diff != "" {
		t.Errorf("the frame's scripts' CORP (-want +got):\n%s", diff)
	}
	if r, _ := e.get(richSrc); r.Header.Get("Cross-Origin-Resource-Policy") != "same-origin" {
		t.Errorf("rich.js CORP %q, want same-origin", r.Header.Get("Cross-Origin-Resource-Policy"))
	}
}
