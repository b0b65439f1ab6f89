package render

import (
	"bytes"
	"context"

	"pastel/internal/paste"
)

// PageLines is how many lines a paste page shows before it links to the
// whole paste (?full=1): a 60,000-line paste opens as fast as a short one.
const PageLines = 5000

// Pages renders paste bodies for their pages: Markdown documents and
// highlighted source. It implements paste.Renderer (without a cache; the
// read cache decorates it).
type Pages struct {
	hl *Highlighter
}

var _ paste.Renderer = (*Pages)(nil)

// NewPages returns a renderer highlighting with hl.
func NewPages(hl *Highlighter) *Pages { return &Pages{hl: hl} }

// Render reads p's body and renders it in mode: a Markdown paste as a
// document unless mode asks for its source (or the document is empty); a
// JSON or YAML paste as a tree with mode.Tree; a CSV or TSV paste as a
// table unless mode.Source; anything else (and what does not parse) as its
// lines highlighted, a JSON document written on one line indented unless
// mode.Source, only the first PageLines unless mode.Full, only the lines
// containing mode.Grep (at most PageLines of them) when it is set. Logs
// (ANSI terminal output and plain text) carry their first error line.
func (pg *Pages) Render(ctx context.Context, p paste.Paste, mode paste.RenderMode, body func(context.Context) ([]byte, error)) (paste.Rendered, error) {
	b, err := body(ctx)
	if err != nil {
		return paste.Rendered{}, err
	}
	if p.Syntax == "markdown" && !mode.Source {
		if html := Markdown(b); html != "" || len(b) == 0 {
			f := featuresOf(html)
			return paste.Rendered{HTML: html, Markdown: true, Mermaid: f.Mermaid, Math: f.Math}, nil
		}
	}
	if bytes.IndexByte(b, 0) < 0 {
		if t, ok := pg.data(b, p.Syntax, mode); ok {
			return t, nil
		}
	}
	pretty := false
	if p.Syntax == "json" && !mode.Source {
		b, pretty = PrettyJSON(b)
	}
	o := LineOptions{Grep: mode.Grep, FindError: p.Syntax == ANSI || p.Syntax == PlainText}
	cut := false
	if mode.Grep != "" {
		o.MaxShown = PageLines
	}
	whole := b
	if !mode.Full && mode.Grep == "" {
		b, cut = FirstLines(b, PageLines)
	}
	r := pg.hl.RenderLines(b, p.Syntax, o)
	if cut && o.FindError && r.FirstError == 0 {
		// A long log's first error is often past the lines shown: the
		// page links to it in the whole paste.
		r.FirstError = pg.hl.firstErrorLine(whole, p.Syntax)
	}
	return paste.Rendered{
		HTML: r.HTML, Lines: r.Lines, Binary: r.Binary, Truncated: r.Truncated || cut,
		Matches: r.Matches, TotalLines: r.TotalLines, FirstError: r.FirstError, Pretty: pretty,
	}, nil
}

// data renders the tree and table views; false when mode asks for neither
// or the body does not parse.
func (pg *Pages) data(b []byte, syntax string, mode paste.RenderMode) (paste.Rendered, bool) {
	switch {
	case mode.Tree && (syntax == "json" || syntax == "yaml"):
		if t, ok := RenderTree(b, syntax); ok {
			return paste.Rendered{HTML: t.HTML, View: paste.ViewTree, Shown: t.Shown, Total: t.Total}, true
		}
	case !mode.Source && (syntax == "csv" || syntax == TSV):
		comma := ','
		if syntax == TSV {
			comma = '\t'
		}
		if t, ok := RenderTable(b, comma); ok {
			return paste.Rendered{HTML: t.HTML, View: paste.ViewTable, Shown: t.Shown, Total: t.Total}, true
		}
	}
	return paste.Rendered{}, false
}

// FirstLines returns the first n lines of b and whether anything was cut.
func FirstLines(b []byte, n int) ([]byte, bool) {
	at := 0
	for i := 0; i < n; i++ {
		j := bytes.IndexByte(b[at:], '\n')
		if j < 0 {
			return b, false
		}
		at += j + 1
	}
	if at >= len(b) {
		return b, false // exactly n lines, the last one ended by a newline
	}
	return b[:at], true
}
