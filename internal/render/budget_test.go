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
		// The budget bounds the lexer; writing the 100,000 lines out
		// after it is linear but slow under -race on a busy CI machine
		// (1.3-1.9 s seen), so the slack is generous. Without the budget
		// the Markdown lexer is quadratic here and takes minutes.
		if d := time.Since(start); d > budget+4*time.Second {
			t.Errorf("%s: %d empty lines took %v with a budget of %v", syntax, len(in), d, budget)
		}
		if r.Lines != DefaultMaxLines {
			t.Errorf("%s: %d lines, want %d", syntax, r.Lines, DefaultMaxLines)
		}
	}
}
