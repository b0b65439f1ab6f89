package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// FuzzMarkdown: whatever the input, the sanitised HTML has no script-capable
// element, no event or htmx attribute, and no script URL.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{"# hi", "[x](javascript:alert(1))", "<script>alert(1)</script>", "<a hx-get=/x>y</a>", "![i](x\" onerror=\"alert(1))", "> > > deep", "`code`", "<svg onload=alert(1)>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := Markdown([]byte(src))
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Find("script, iframe, object, embed, svg, math, style, form, base, meta, link").Length() > 0 {
			t.Fatalf("dangerous element from %q: %s", src, out)
		}
		doc.Find("*").Each(func(_ int, s *goquery.Selection) {
			for _, a := range s.Nodes[0].Attr {
				k := strings.ToLower(a.Key)
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(k, "on") || strings.HasPrefix(k, "hx-") || k == "style" ||
					((k == "href" || k == "src") && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:"))) {
					t.Fatalf("attribute %s=%q from %q", a.Key, a.Val, src)
				}
			}
		})
	})
}

// FuzzHighlight: the highlighted page shows the input as text, never as
// markup, line for line.
func FuzzHighlight(f *testing.F) {
	for _, s := range []string{"package main\nfunc main() {}\n", "<b>x</b>", "a\r\nb", "\t\tx", "</span></pre><script>"} {
		f.Add(s, "go")
		f.Add(s, "html")
	}
	h := NewHighlighter(HighlightOptions{})
	f.Fuzz(func(t *testing.T, src, syntax string) {
		r := h.Render([]byte(src), syntax)
		if r.Binary {
			if !bytes.Contains([]byte(src), []byte{0}) {
				t.Fatalf("text %q called binary", src)
			}
			return
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.HTML))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Find("script, b, iframe, img").Length() > 0 {
			t.Fatalf("markup from %q", src)
		}
		if got := doc.Find(".line").Length(); got != r.Lines {
			t.Fatalf("%d line elements, Lines=%d", got, r.Lines)
		}
	})
}
