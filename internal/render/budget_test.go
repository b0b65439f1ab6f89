package render

import (
	"bytes"
	"testing"
	"time"
)

// TestBudgetStopsSlowLexers: some lexers do work proportional to the rest
// of the text for every token (Markdown over many empty lines), so a body
// costs quadratic time; the budget must stop them between any two tokens,
// not only when the token type changes, and the page falls back to plain
// lines.
func TestBudgetStopsSlowLexers(t *testing.T) {
	const budget = 200 * time.Millisecond
	h := NewHighlighter(HighlightOptions{HighlightBudget: budget})
	for _, syntax := range []string{"markdown", "md", "html", "go"} {
		in := bytes.Repeat([]byte("\n"), DefaultMaxLines)
		start := time.Now()
		r := h.Render(in, syntax)
		if d := time.Since(start); d > budget+time.Second {
			t.Errorf("%s: %d empty lines took %v with a budget of %v", syntax, len(in), d, budget)
		}
		if r.Lines != DefaultMaxLines {
			t.Errorf("%s: %d lines, want %d", syntax, r.Lines, DefaultMaxLines)
		}
	}
}
