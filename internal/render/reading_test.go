package render

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

func parseHTML(t *testing.T, s string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// lineTexts returns each shown line's id and text (line number dropped).
func lineTexts(doc *goquery.Document) []string {
	var out []string
	doc.Find(".line").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		out = append(out, id+" "+strings.TrimSuffix(s.Find(".cl").Text(), "\n"))
	})
	return out
}

// TestANSIColoursAreClasses: SGR colours (16, 256 and 24-bit) and styles
// become term-* classes, never style attributes.
func TestANSIColoursAreClasses(t *testing.T) {
	h := NewHighlighter(HighlightOptions{})
	tests := []struct {
		name, in, text, class string
	}{
		{"red", "\x1b[31mred\x1b[0m plain", "red", "term-fg31"},
		{"bright bg", "\x1b[102mok\x1b[0m", "ok", "term-bgi102"},
		{"bold", "\x1b[1mbold\x1b[0m", "bold", "term-fg1"},
		{"256", "\x1b[38;5;208morange\x1b[0m", "orange", "term-fgx208"},
		{"truecolor to palette", "\x1b[38;2;255;0;0mtrue\x1b[0m", "true", "term-fgx196"},
		{"truecolor grey", "\x1b[48;2;128;128;128mgrey\x1b[0m", "grey", "term-bgx244"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.Render([]byte(tc.in), ANSI)
			doc := parseHTML(t, r.HTML)
			span := doc.Find(".cl span." + tc.class)
			if span.Length() != 1 || span.Text() != tc.text {
				t.Fatalf("want one span.%s holding %q; got %s", tc.class, tc.text, r.HTML)
			}
			if doc.Find("[style]").Length() > 0 || strings.Contains(r.HTML, "\x1b") {
				t.Fatalf("style attribute or raw escape in %s", r.HTML)
			}
		})
	}
}

// TestANSICarriageReturnsCollapse: a progress line rewritten with \r shows
// its last state only, in the colour it was given before.
func TestANSICarriageReturnsCollapse(t *testing.T) {
	h := NewHighlighter(HighlightOptions{})
	in := "start\n\x1b[32mDownloading  10%\rDownloading 100%\rDone\x1b[0m\nnext\r\nend\r"
	r := h.Render([]byte(in), ANSI)
	doc := parseHTML(t, r.HTML)
	want := []string{"L1 start", "L2 Done", "L3 next", "L4 end"}
	if diff := cmp.Diff(want, lineTexts(doc)); diff != "" {
		t.Fatalf("lines (-want +got):\n%s\n%s", diff, r.HTML)
	}
	if doc.Find("#L2 .term-fg32").Text() != "Done" {
		t.Fatalf("the colour set before the last \\r is lost: %s", r.HTML)
	}
}

// TestANSIHostileEscapes: escape sequences that would set titles, make
// script links or images never reach the page as markup.
func TestANSIHostileEscapes(t *testing.T) {
	h := NewHighlighter(HighlightOptions{})
	in := strings.Join([]string{
		"\x1b]0;<script>alert(1)</script>\x07title",
		"\x1b]8;;javascript:alert(1)\x1b\\click\x1b]8;;\x1b\\",
		"\x1b]8;;JaVaScRiPt:alert(1)\x07click2\x1b]8;;\x07",
		"\x1b]8;;data:text/html,<script>alert(1)</script>\x07data\x1b]8;;\x07",
		"\x1b]1337;File=name=eA==;inline=1:PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\x07img",
		"\x1b]1338;url=https://evil.example/x.png;alt=x\x07img2",
		"\x1b]1339;url=javascript:alert(1);content=<b>x</b>\x07link",
		"<script>alert(1)</script> \x1b[31m<img src=x onerror=alert(1)>\x1b[0m",
		"\x1b]8;;https://example.com/ok\x07fine\x1b]8;;\x07",
		"\x1b_bk;t=1700000000000\x07stamped",
	}, "\n")
	r := h.Render([]byte(in), ANSI)
	doc := parseHTML(t, r.HTML)
	checkTerminalMarkup(t, in, doc)
	if got := doc.Find("a[href]").Not(".ln"); got.Length() != 1 || got.AttrOr("href", "") != "https://example.com/ok" {
		t.Fatalf("want the one https link kept: %s", r.HTML)
	}
	if !strings.Contains(doc.Text(), "<script>alert(1)</script>") {
		t.Fatalf("the typed text must show as text: %s", r.HTML)
	}
}

// checkTerminalMarkup fails unless doc holds only the highlighter's own
// elements, term-* spans and http(s) links with rel noopener.
func checkTerminalMarkup(t *testing.T, in string, doc *goquery.Document) {
	t.Helper()
	doc.Find("body *").Each(func(_ int, s *goquery.Selection) {
		n := s.Nodes[0]
		switch n.Data {
		case "pre", "code", "span":
		case "a":
			href := s.AttrOr("href", "")
			if s.HasClass("ln") && strings.HasPrefix(href, "#L") {
				return
			}
			if !strings.HasPrefix(href, "https://") && !strings.HasPrefix(href, "http://") || s.AttrOr("rel", "") != "nofollow noopener noreferrer" {
				t.Fatalf("link %q from %q", href, in)
			}
		default:
			t.Fatalf("element <%s> from %q", n.Data, in)
		}
		for _, a := range n.Attr {
			switch a.Key {
			case "class", "id", "href", "rel", "data-testid":
			default:
				t.Fatalf("attribute %s=%q from %q", a.Key, a.Val, in)
			}
		}
	})
}

// FuzzTerminal: whatever the escape sequences, terminal output renders as
// styled text and http(s) links only.
func FuzzTerminal(f *testing.F) {
	for _, s := range []string{
		"\x1b[31mred\x1b[0m", "a\rb\r\nc", "\x1b]8;;javascript:alert(1)\x07x\x1b]8;;\x07",
		"\x1b]1337;File=inline=1:PHNjcmlwdD4=\x07", "\x1b]1339;url=x\"><script>;content=a\nb\x07",
		"\x1b[38;2;1;2;3;48;2;300;0;0m", "\x1b[1A\x1b[2K\x1b[999C<", "\x1b]0;</title><script>\x07",
	} {
		f.Add(s)
	}
	h := NewHighlighter(HighlightOptions{})
	f.Fuzz(func(t *testing.T, src string) {
		if strings.IndexByte(src, 0) >= 0 {
			return
		}
		r := h.Render([]byte(src), ANSI)
		doc := parseHTML(t, r.HTML)
		checkTerminalMarkup(t, src, doc)
		if got := doc.Find(".line").Length(); got != r.Lines {
			t.Fatalf("%d line elements, Lines=%d", got, r.Lines)
		}
	})
}

// TestGrepKeepsLineNumbers: a filter shows the matching lines only, with
// their own numbers and anchors, and counts them; the first error line is
// found whatever the filter.
func TestGrepKeepsLineNumbers(t *testing.T) {
	h := NewHighlighter(HighlightOptions{})
	log := "ok one\nwarn: disk\nok two\nWARN: cpu\nFATAL: gone\n"
	for _, syntax := range []string{PlainText, ANSI, "go"} {
		t.Run(syntax, func(t *testing.T) {
			in := log
			if syntax == ANSI {
				in = strings.ReplaceAll(log, "WARN", "\x1b[33mWARN\x1b[0m")
			}
			r := h.RenderLines([]byte(in), syntax, LineOptions{Grep: "Warn", FindError: true})
			doc := parseHTML(t, r.HTML)
			if diff := cmp.Diff([]string{"L2 warn: disk", "L4 WARN: cpu"}, lineTexts(doc)); diff != "" {
				t.Fatalf("lines (-want +got):\n%s", diff)
			}
			got := [4]int{r.Matches, r.Lines, r.TotalLines, r.FirstError}
			if got != [4]int{2, 2, 5, 5} {
				t.Fatalf("matches, lines, total, first error = %v", got)
			}
			if doc.Find(`a.ln[href="#L4"]`).Length() != 1 {
				t.Fatalf("line 4 keeps its anchor: %s", r.HTML)
			}
		})
	}
	r := h.RenderLines([]byte("a\nb\na\na\n"), PlainText, LineOptions{Grep: "a", MaxShown: 2})
	if r.Matches != 3 || r.Lines != 2 || !r.Truncated {
		t.Fatalf("capped filter: matches %d lines %d truncated %v", r.Matches, r.Lines, r.Truncated)
	}
}

// TestDetectANSI: terminal output is detected as ansi, whatever its name.
func TestDetectANSI(t *testing.T) {
	s := NewSyntaxes()
	for _, tc := range []struct{ filename, content string }{
		{"", "\x1b[32m✓\x1b[0m 12 tests passed\n\x1b[31m✗\x1b[0m 1 failed\n"},
		{"build.log", "Step 1/3 : FROM golang\n\x1b[1m\x1b[34m==>\x1b[0m building\n"},
		{"", "progress \x1b[2K\x1b[1G50%\n"},
	} {
		if got := s.Detect(tc.filename, []byte(tc.content)); got != ANSI {
			t.Errorf("Detect(%q, %q) = %q, want ansi", tc.filename, tc.content, got)
		}
	}
	if got := s.Detect("", []byte("plain log line\nerror: nothing coloured\n")); got == ANSI {
		t.Error("text without escapes detected as ansi")
	}
	if k, ok := s.Canonical("ANSI"); !ok || k != ANSI || s.Label(ANSI) == ANSI {
		t.Errorf("ansi is not a listed syntax: %q %v %q", k, ok, s.Label(ANSI))
	}
}

// TestTreePathsAndEscaping: a JSON or YAML document becomes nested
// details in document order, each node with its path; hostile keys and
// values are text.
func TestTreePathsAndEscaping(t *testing.T) {
	tests := []struct {
		syntax, in string
	}{
		{"json", `{"items":[{"name":"a"},{"name":"<script>x</script>","odd key\"<b>":null}],"n":1.50}`},
		{"yaml", "items:\n  - name: a\n  - name: <script>x</script>\n    \"odd key\\\"<b>\": null\nn: 1.50\n"},
	}
	for _, tc := range tests {
		t.Run(tc.syntax, func(t *testing.T) {
			tr, ok := RenderTree([]byte(tc.in), tc.syntax)
			if !ok {
				t.Fatal("did not parse")
			}
			doc := parseHTML(t, tr.HTML)
			var paths []string
			doc.Find("[data-copy-path]").Each(func(_ int, s *goquery.Selection) {
				paths = append(paths, s.AttrOr("data-copy-path", ""))
			})
			want := []string{".", ".items", ".items[0]", ".items[0].name", ".items[1]", ".items[1].name", `.items[1]["odd key\"<b>"]`, ".n"}
			if diff := cmp.Diff(want, paths); diff != "" {
				t.Fatalf("paths (-want +got):\n%s", diff)
			}
			if doc.Find("script, b").Length() > 0 || !strings.Contains(doc.Text(), `"<script>x</script>"`) {
				t.Fatalf("hostile value not text: %s", tr.HTML)
			}
			if doc.Find("details").Length() != 4 || tr.Shown != 8 || tr.Total != 8 {
				t.Fatalf("%d details, shown %d of %d", doc.Find("details").Length(), tr.Shown, tr.Total)
			}
		})
	}
	if _, ok := RenderTree([]byte(`{"a":`), "json"); ok {
		t.Error("broken JSON made a tree")
	}
	if _, ok := RenderTree([]byte(`{} {}`), "json"); ok {
		t.Error("two JSON values made a tree")
	}
}

// TestTreeIsCapped: a huge document shows MaxTreeNodes nodes and counts
// them all; YAML aliases are never expanded.
func TestTreeIsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < 3*MaxTreeNodes; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%d", i)
	}
	b.WriteString("]")
	tr, ok := RenderTree([]byte(b.String()), "json")
	if !ok || tr.Shown != MaxTreeNodes || tr.Total != 3*MaxTreeNodes+1 {
		t.Fatalf("ok %v shown %d total %d", ok, tr.Shown, tr.Total)
	}
	laughs := "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	tr, ok = RenderTree([]byte(laughs), "yaml")
	if !ok || tr.Total != 1+4+9*4 {
		t.Fatalf("aliases expanded? ok %v total %d", ok, tr.Total)
	}
}

// TestTable: CSV and TSV become a table with a header row; cells are text;
// rows past the cap are counted.
func TestTable(t *testing.T) {
	tb, ok := RenderTable([]byte("name,note\nann,\"<img src=x onerror=alert(1)>\"\nbob,\"two, parts\"\n"), ',')
	if !ok {
		t.Fatal("did not parse")
	}
	doc := parseHTML(t, tb.HTML)
	var head []string
	doc.Find("thead th").Each(func(_ int, s *goquery.Selection) { head = append(head, s.Text()) })
	if diff := cmp.Diff([]string{"#", "name", "note"}, head); diff != "" {
		t.Fatalf("header (-want +got):\n%s", diff)
	}
	if doc.Find("img").Length() > 0 || doc.Find("#R2 td").Eq(2).Text() != "two, parts" || tb.Shown != 2 || tb.Total != 2 {
		t.Fatalf("table: %s", tb.HTML)
	}
	tsv, ok := RenderTable([]byte("a\tb\n1\t2\n"), '\t')
	if !ok || parseHTML(t, tsv.HTML).Find("#R1 td").Eq(2).Text() != "2" {
		t.Fatalf("tsv: %s", tsv.HTML)
	}
	big := "h\n" + strings.Repeat("r\n", MaxTableRows+5)
	tb, _ = RenderTable([]byte(big), ',')
	if tb.Shown != MaxTableRows || tb.Total != MaxTableRows+5 || parseHTML(t, tb.HTML).Find("tbody tr").Length() != MaxTableRows {
		t.Fatalf("cap: shown %d total %d", tb.Shown, tb.Total)
	}
}

// TestPagesDataViews: the renderer port picks the view from the syntax
// and mode: minified JSON indented unless Source, tree, table, and source
// when a body does not parse.
func TestPagesDataViews(t *testing.T) {
	pg := NewPages(NewHighlighter(HighlightOptions{}))
	render := func(syntax, body string, mode paste.RenderMode) paste.Rendered {
		t.Helper()
		r, err := pg.Render(context.Background(), paste.Paste{Syntax: syntax}, mode, func(context.Context) ([]byte, error) { return []byte(body), nil })
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := render("json", `{"a":[1,2]}`, paste.RenderMode{})
	if !r.Pretty || r.Lines != 6 {
		t.Fatalf("minified JSON: pretty %v, %d lines", r.Pretty, r.Lines)
	}
	if r := render("json", `{"a":[1,2]}`, paste.RenderMode{Source: true}); r.Pretty || r.Lines != 1 {
		t.Fatalf("source: pretty %v, %d lines", r.Pretty, r.Lines)
	}
	if r := render("yaml", "a: [1, 2]\n", paste.RenderMode{Tree: true}); r.View != paste.ViewTree || r.Total != 4 {
		t.Fatalf("yaml tree: view %q total %d", r.View, r.Total)
	}
	if r := render("json", `{"a":`, paste.RenderMode{Tree: true}); r.View != "" || r.Lines != 1 {
		t.Fatalf("broken JSON: view %q lines %d", r.View, r.Lines)
	}
	if r := render("csv", "a,b\n1,2\n", paste.RenderMode{}); r.View != paste.ViewTable || r.Total != 1 {
		t.Fatalf("csv: view %q total %d", r.View, r.Total)
	}
	if r := render("csv", "a,b\n1,2\n", paste.RenderMode{Source: true}); r.View != "" || r.Lines != 2 {
		t.Fatalf("csv source: view %q lines %d", r.View, r.Lines)
	}
	if r := render(ANSI, "ok\nboom: Error\n", paste.RenderMode{}); r.FirstError != 2 {
		t.Fatalf("first error %d", r.FirstError)
	}
	long := strings.Repeat("\x1b[32mok\x1b[0m\n", PageLines+100) + "\x1b[31mpanic: boom\x1b[0m\n"
	if r := render(ANSI, long, paste.RenderMode{}); !r.Truncated || r.Lines != PageLines || r.FirstError != PageLines+101 {
		t.Fatalf("error past the cut: truncated %v, %d lines, first error %d", r.Truncated, r.Lines, r.FirstError)
	}
	if r := render(PlainText, strings.Repeat("fine\r\n", PageLines+1)+"FAILED\n", paste.RenderMode{}); r.FirstError != PageLines+2 {
		t.Fatalf("plain text error past the cut: %d", r.FirstError)
	}
}
