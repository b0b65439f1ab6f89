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
// document unless mode asks for its source (or the document is empty),
// anything else as its lines highlighted, only the first PageLines unless
// mode.Full.
func (pg *Pages) Render(ctx context.Context, p paste.Paste, mode paste.RenderMode, body func(context.Context) ([]byte, error)) (paste.Rendered, error) {
	b, err := body(ctx)
	if err != nil {
		return paste.Rendered{}, err
	}
	if p.Syntax == "markdown" && !mode.Source {
		if html := Markdown(b); html != "" || len(b) == 0 {
			return paste.Rendered{HTML: html, Markdown: true}, nil
		}
	}
	cut := false
	if !mode.Full {
		b, cut = FirstLines(b, PageLines)
	}
	r := pg.hl.Render(b, p.Syntax)
	return paste.Rendered{HTML: r.HTML, Lines: r.Lines, Binary: r.Binary, Truncated: r.Truncated || cut}, nil
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
