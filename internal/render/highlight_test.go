package render

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/alecthomas/chroma/v2"
	"github.com/google/go-cmp/cmp"
)

func parse(t *testing.T, s string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// codeText returns the text of the code spans, without line numbers: what a
// reader copying the lines gets.
func codeText(doc *goquery.Document) string {
	var b strings.Builder
	doc.Find(".code .line .cl").Each(func(_ int, s *goquery.Selection) { b.WriteString(s.Text()) })
	return b.String()
}

// checkStructure asserts the documented line markup for lines lines.
func checkStructure(t *testing.T, doc *goquery.Document, lines int) {
	t.Helper()
	pre := doc.Find(`pre.chroma.code[data-testid="code"]`)
	if pre.Length() != 1 {
		t.Fatalf("want one pre.chroma.code[data-testid=code], got %d", pre.Length())
	}
	got := pre.Find(".line")
	if got.Length() != lines {
		t.Fatalf("got %d .line elements, want %d", got.Length(), lines)
	}
	got.Each(func(i int, s *goquery.Selection) {
		n := strconv.Itoa(i + 1)
		if id, _ := s.Attr("id"); id != "L"+n {
			t.Errorf("line %d has id %q", i+1, id)
		}
		a := s.ChildrenFiltered("a.ln")
		if href, _ := a.Attr("href"); a.Length() != 1 || href != "#L"+n || strings.TrimSpace(a.Text()) != n {
			t.Errorf("line %d: bad line-number link %d %q %q", i+1, a.Length(), href, a.Text())
		}
	})
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
				t.Errorf("element %s has attribute %s", goquery.NodeName(s), a.Key)
			}
		}
	})
}

func TestRenderStructureAndText(t *testing.T) {
	h := NewHighlighter(HighlightOptions{})
	tests := []struct {
		name, syntax, in string
		lines            int
		highlighted      bool
		wantText         string // "" means the input itself
	}{
		{"go", "go", "package main\n\nfunc main() {\n\tprintln(\"<hi>\")\n}\n", 5, true, ""},
		{"go alias", "golang", "package main\n", 1, true, ""},
		{"no final newline", "go", "package main\nvar x = 1", 2, true, ""},
		{"plain", "text", "a\tb\n\tc\n", 2, false, ""},
		{"unknown syntax", "klingon", "x\ny", 2, false, ""},
		{"empty", "go", "", 0, false, ""},
		{"blank lines", "text", "\n\n\n", 3, false, ""},
		{"crlf", "python", "a = 1\r\nb = 2\r\n", 2, true, "a = 1\nb = 2\n"},
		{"lone cr", "text", "a\rb", 2, false, "a\nb"},
		{"script", "text", "<script>alert(1)</script>", 1, false, ""},
		{"script as html", "html", "<script>alert(1)</script>\n<img src=x onerror=alert(1)>", 2, true, ""},
		{"quotes and amps", "js", `x = "a" + 'b' && c < d; // </pre></code>`, 1, true, ""},
		{"invalid utf8", "text", "ok \xff\xfe bad\n", 1, false, "ok \uFFFD bad\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.Render([]byte(tt.in), tt.syntax)
			if r.Lines != tt.lines || r.Highlighted != tt.highlighted || r.Binary || r.Truncated {
				t.Errorf("got Lines=%d Highlighted=%v Binary=%v Truncated=%v", r.Lines, r.Highlighted, r.Binary, r.Truncated)
			}
			doc := parse(t, r.HTML)
			checkStructure(t, doc, tt.lines)
			want := tt.wantText
			if want == "" {
				want = tt.in
			}
			if diff := cmp.Diff(want, codeText(doc)); diff != "" {
				t.Errorf("code text (-want +got):\n%s", diff)
			}
			for _, tag := range []string{"script", "img", "style", "iframe"} {
				if n := doc.Find(tag).Length(); n != 0 {
					t.Errorf("%d <%s> elements in output", n, tag)
				}
			}
		})
	}
}

func TestRenderUsesClassesForTokens(t *testing.T) {
	r := NewHighlighter(HighlightOptions{}).Render([]byte("func main() {}\n"), "go")
	doc := parse(t, r.HTML)
	if doc.Find(".cl span.kd").Text() != "func" {
		t.Errorf("want func in span.kd, got %s", r.HTML)
	}
}

func TestRenderBinary(t *testing.T) {
	r := NewHighlighter(HighlightOptions{}).Render([]byte("abc\x00def"), "go")
	if diff := cmp.Diff(Rendered{Binary: true}, r); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRenderLimits(t *testing.T) {
	h := NewHighlighter(HighlightOptions{MaxHighlightBytes: 100, MaxDisplayBytes: 1000, MaxLines: 50})
	line := "x := 1 // é\n" // 13 bytes
	tests := []struct {
		name        string
		in          string
		lines       int
		highlighted bool
		truncated   bool
	}{
		{"under highlight cap", strings.Repeat(line, 7), 7, true, false},
		{"over highlight cap", strings.Repeat(line, 8), 8, false, false},
		{"over display cap", strings.Repeat("é", 600), 1, false, true},
		{"over line cap", strings.Repeat("\n", 60), 50, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.Render([]byte(tt.in), "go")
			if r.Lines != tt.lines || r.Highlighted != tt.highlighted || r.Truncated != tt.truncated {
				t.Errorf("got Lines=%d Highlighted=%v Truncated=%v", r.Lines, r.Highlighted, r.Truncated)
			}
			doc := parse(t, r.HTML)
			checkStructure(t, doc, tt.lines)
			text := codeText(doc)
			if !strings.HasPrefix(tt.in, text) {
				t.Errorf("shown text is not a prefix of the input")
			}
			if strings.ContainsRune(text, '\uFFFD') {
				t.Errorf("cut inside a UTF-8 sequence")
			}
		})
	}
}

func TestRenderHugeInputsAreBounded(t *testing.T) {
	h := NewHighlighter(HighlightOptions{})
	tests := []struct {
		name      string
		in        []byte
		lines     int
		truncated bool
	}{
		{"2M empty lines", bytes.Repeat([]byte("\n"), 2_000_000), DefaultMaxLines, true},
		{"one 4 MB line", bytes.Repeat([]byte("a<"), 2_000_000), 1, true},
		{"highlightable 500 KiB of Go", bytes.Repeat([]byte("func f(a int) string { return \"x\" } // c\n"), 500<<10/42), 500 << 10 / 42, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r := h.Render(tt.in, "go")
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			if r.Lines != tt.lines || r.Truncated != tt.truncated {
				t.Errorf("got Lines=%d Truncated=%v", r.Lines, r.Truncated)
			}
			// Markup overhead is bounded per line and the shown text by the caps.
			if max := DefaultMaxDisplayBytes*5 + r.Lines*100; len(r.HTML) > max {
				t.Errorf("HTML is %d bytes, want at most %d", len(r.HTML), max)
			}
		})
	}
}

func TestCSS(t *testing.T) {
	css := CSS()
	for _, want := range []string{".chroma .k ", "@media (prefers-color-scheme: dark)", ".chroma .hl", ".chroma .line:target", ".chroma .ln",
		`:root[data-theme="dark"] .chroma .k `, `:root:not([data-theme="light"]) .chroma .k `} {
		if !strings.Contains(css, want) {
			t.Errorf("CSS lacks %q", want)
		}
	}
	for line := range strings.Lines(css) {
		line = strings.TrimSpace(line)
		if line == "" || line == "}" || strings.HasPrefix(line, "/*") || strings.HasPrefix(line, "@media") {
			continue
		}
		sels, _, _ := strings.Cut(line, "{")
		for sel := range strings.SplitSeq(sels, ",") {
			// The dark rules sit under the reader's theme choice.
			sel = strings.TrimSpace(sel)
			sel = strings.TrimPrefix(sel, `:root[data-theme="dark"] `)
			sel = strings.TrimPrefix(sel, `:root:not([data-theme="light"]) `)
			if !strings.HasPrefix(sel, ".chroma") {
				t.Errorf("selector %q is not scoped under .chroma", sel)
			}
		}
	}
	if CSS() != css {
		t.Error("CSS is not stable")
	}
}

// TestErrorTokensArePlainText checks a lexer's error tokens (text it did
// not follow) are shown as plain text: no "err" class in the markup and no
// rule for it in the stylesheet, so nothing draws a red box.
func TestErrorTokensArePlainText(t *testing.T) {
	h := NewHighlighter(HighlightOptions{})
	// Markdown release notes highlighted as GDScript3 (the old detector's
	// pick) and a stray backtick in JSON make chroma emit Error tokens.
	for _, c := range []struct{ syntax, body string }{
		{"gdscript3", "## v1.2 — what's new\n- `--json` flag ¿¡ @@@ $$$\n"},
		{"json", "{\"a\": 1, `oops`}\n"},
	} {
		lexer := sharedIndex().lexer(c.syntax)
		it, err := lexer.Tokenise(nil, c.body)
		if err != nil {
			t.Fatal(err)
		}
		sawError := false
		for tok := it(); tok != chroma.EOF; tok = it() {
			sawError = sawError || tok.Type == chroma.Error
		}
		if !sawError {
			t.Fatalf("%s: the sample no longer makes error tokens; pick another", c.syntax)
		}
		r := h.Render([]byte(c.body), c.syntax)
		if strings.Contains(r.HTML, `class="err"`) {
			t.Errorf("%s: error token rendered with a class: %s", c.syntax, r.HTML)
		}
		if !r.Highlighted {
			t.Errorf("%s: not highlighted", c.syntax)
		}
	}
	if strings.Contains(CSS(), ".err") {
		t.Error("the stylesheet styles .err")
	}
}
