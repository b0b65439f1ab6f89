package render

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
)

// Default limits of a Highlighter.
const (
	DefaultMaxHighlightBytes = 512 << 10
	DefaultMaxDisplayBytes   = 2 << 20
	DefaultMaxLines          = 100_000
	DefaultHighlightBudget   = 500 * time.Millisecond
)

// HighlightOptions bounds the work of a Highlighter. Zero fields take the
// defaults.
type HighlightOptions struct {
	// MaxHighlightBytes is the largest body that is tokenised; larger bodies
	// are shown as escaped plain lines. Default 512 KiB.
	MaxHighlightBytes int
	// MaxDisplayBytes is how much of a body is shown at all; the rest is cut
	// and Rendered.Truncated set. Default 2 MiB.
	MaxDisplayBytes int
	// MaxLines is how many lines are shown at all; the rest is cut and
	// Rendered.Truncated set. It bounds the markup of bodies made of very
	// many short lines. Default 100,000.
	MaxLines int
	// HighlightBudget is the time tokenising may take before the
	// Highlighter gives up and shows plain lines. Default 500 ms, so a
	// page that needs it all still answers well within 2 s.
	HighlightBudget time.Duration
}

func (o HighlightOptions) withDefaults() HighlightOptions {
	if o.MaxHighlightBytes <= 0 {
		o.MaxHighlightBytes = DefaultMaxHighlightBytes
	}
	if o.MaxDisplayBytes <= 0 {
		o.MaxDisplayBytes = DefaultMaxDisplayBytes
	}
	if o.MaxLines <= 0 {
		o.MaxLines = DefaultMaxLines
	}
	if o.HighlightBudget <= 0 {
		o.HighlightBudget = DefaultHighlightBudget
	}
	return o
}

// Rendered is a body rendered for display.
type Rendered struct {
	// HTML is the markup described on Highlighter; empty when Binary.
	HTML string
	// Lines is the number of lines in HTML.
	Lines int
	// Highlighted reports whether a lexer's token classes were applied;
	// false for plain text, unknown syntaxes and bodies over the limits.
	Highlighted bool
	// Binary reports a body containing NUL bytes, which is not shown.
	Binary bool
	// Truncated reports that only the first MaxDisplayBytes or MaxLines of
	// the body are in HTML (or, filtered, the first LineOptions.MaxShown
	// matching lines).
	Truncated bool
	// Matches is, with LineOptions.Grep, how many lines matched; Lines
	// then counts the lines in HTML and TotalLines those of the body.
	Matches, TotalLines int
	// FirstError is, with LineOptions.FindError, the number of the first
	// line that reads as an error (see errorLine); 0: none.
	FirstError int
}

// LineOptions choose the lines RenderLines shows.
type LineOptions struct {
	// Grep keeps only the lines containing it, compared case-insensitively
	// with the line's text; they keep their own numbers and anchors.
	Grep string
	// MaxShown caps how many lines are kept (0: MaxLines).
	MaxShown int
	// FindError sets Rendered.FirstError.
	FindError bool
}

// Highlighter renders paste bodies as HTML with one element per line. It is
// safe for concurrent use.
//
// The markup is one <pre> holding one <code>; each line is a span with the
// id "L{n}" (1-based) and the class "line", holding the line-number link and
// the code span. A line ends with its "\n" inside the code span, so copying
// a selection yields the original text:
//
//	<pre class="chroma code" data-testid="code"><code><span class="line" id="L1"><a class="ln" href="#L1">1</a><span class="cl"><span class="kd">func</span> main() {
//	</span></span><span class="line" id="L2"><a class="ln" href="#L2">2</a><span class="cl">}
//	</span></span></code></pre>
//
// Line numbers are text, left-padded with spaces to the width of the largest
// one (chroma's CSS makes .ln unselectable). Token spans carry chroma's
// short class names ("k", "s2", "c1"...) and never a style attribute; CSS()
// styles them. Scripts and styles target .code, .line, #L{n} and .ln, and may
// add the class "hl" to a .line (chroma's CSS highlights .chroma .hl).
// Everything from the body is HTML-escaped; tabs are kept as tabs; CRLF and
// lone CR line endings count as LF; invalid UTF-8 is shown as U+FFFD. An
// empty body renders as an empty <code> with Lines 0.
type Highlighter struct {
	opts HighlightOptions
	idx  *syntaxIndex
}

// NewHighlighter returns a Highlighter with opts (zero fields defaulted).
func NewHighlighter(opts HighlightOptions) *Highlighter {
	return &Highlighter{opts: opts.withDefaults(), idx: sharedIndex()}
}

const (
	preOpen  = `<pre class="chroma code" data-testid="code"><code>`
	preClose = `</code></pre>`
)

// Render renders content as the syntax named by syntax (a key, name or
// alias; "text", "" or an unknown name give plain lines; ANSI plays
// terminal output, see terminalLines).
func (h *Highlighter) Render(content []byte, syntax string) Rendered {
	return h.RenderLines(content, syntax, LineOptions{})
}

// RenderLines is Render showing the lines o chooses.
func (h *Highlighter) RenderLines(content []byte, syntax string, o LineOptions) Rendered {
	if bytes.IndexByte(content, 0) >= 0 {
		return Rendered{Binary: true}
	}
	var r Rendered
	if len(content) > h.opts.MaxDisplayBytes {
		content = content[:runeCut(content, h.opts.MaxDisplayBytes)]
		r.Truncated = true
	}
	if key, _ := h.idx.canonical(syntax); key == ANSI {
		return h.renderTerminal(content, o, r)
	}
	text := normaliseText(content)
	if cut, ok := cutLines(text, h.opts.MaxLines); ok {
		text = cut
		r.Truncated = true
	}
	var keep []bool
	if o.Grep != "" || o.FindError {
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		if text == "" {
			lines = nil
		}
		keep = h.choose(lines, o, &r)
	}

	var tokens []chroma.Token
	if text != "" && len(text) <= h.opts.MaxHighlightBytes {
		if lexer := h.idx.lexer(syntax); lexer != nil {
			tokens = h.tokenise(lexer, text)
		}
	}

	lw := newLineWriter(text)
	lw.keep = keep
	if key, _ := h.idx.canonical(syntax); key == "diff" {
		lw.classes = diffLineClasses(text)
	}
	if tokens != nil {
		for _, t := range tokens {
			cls := tokenClass(t.Type)
			if cls == "w" || t.Type == chroma.Error {
				// Whitespace needs no span. An error token only means the
				// lexer did not follow the text (a wrong or partial
				// syntax): it is shown as plain text, never as a red box.
				cls = ""
			}
			lw.write(cls, t.Value)
		}
		r.Highlighted = true
	} else {
		lw.write("", text)
	}
	r.HTML, r.Lines = lw.finish()
	return r
}

// renderTerminal is RenderLines for terminal output.
func (h *Highlighter) renderTerminal(content []byte, o LineOptions, r Rendered) Rendered {
	lines := terminalLines(string(bytes.ToValidUTF8(content, []byte("\uFFFD"))))
	if len(lines) > h.opts.MaxLines {
		lines = lines[:h.opts.MaxLines]
		r.Truncated = true
	}
	texts := make([]string, len(lines))
	for i, l := range lines {
		texts[i] = l.text
	}
	var keep []bool
	if o.Grep != "" || o.FindError {
		keep = h.choose(texts, o, &r)
	}
	lw := newLineWriterN(len(lines), len(content))
	lw.keep = keep
	for _, l := range lines {
		lw.line(l.html)
	}
	r.HTML, r.Lines = lw.finish()
	r.Highlighted = true
	return r
}

// choose returns which of lines to show under o (nil: all) and sets r's
// Matches, TotalLines, FirstError and, when MaxShown cuts, Truncated.
func (h *Highlighter) choose(lines []string, o LineOptions, r *Rendered) []bool {
	r.TotalLines = len(lines)
	if o.FindError {
		for i, l := range lines {
			if errorLine(l) {
				r.FirstError = i + 1
				break
			}
		}
	}
	if o.Grep == "" {
		return nil
	}
	limit := o.MaxShown
	if limit <= 0 {
		limit = h.opts.MaxLines
	}
	want := strings.ToLower(o.Grep)
	keep := make([]bool, len(lines))
	for i, l := range lines {
		if strings.Contains(strings.ToLower(l), want) {
			r.Matches++
			if r.Matches <= limit {
				keep[i] = true
			} else {
				r.Truncated = true
			}
		}
	}
	return keep
}

// errorWords are what makes a log line read as an error.
var errorWords = []string{"error", "fail", "fatal", "panic"}

// errorLine reports whether a log line reads as an error: it contains
// error, fail, fatal or panic, in any case.
func errorLine(l string) bool {
	lower := strings.ToLower(l)
	for _, w := range errorWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// tokenise runs lexer over text within the time budget; nil when it fails
// or runs out of time, so the caller falls back to plain lines.
func (h *Highlighter) tokenise(lexer chroma.Lexer, text string) []chroma.Token {
	return h.tokeniseBy(lexer, text, time.Now().Add(h.opts.HighlightBudget))
}

// tokeniseBy is tokenise giving up at deadline.
func (h *Highlighter) tokeniseBy(lexer chroma.Lexer, text string, deadline time.Time) (tokens []chroma.Token) {
	defer func() {
		// A lexer bug must cost the colours, not the page.
		if recover() != nil {
			tokens = nil
		}
	}()
	// Not chroma.Coalesce: it pulls tokens until the type changes, so one
	// call can run through a whole body of same-typed tokens and the budget
	// is never checked. Some lexers' rules scan to the end of the text for
	// every token (two million newlines as Markdown is quadratic); the
	// budget must be able to stop them between any two tokens.
	it, err := lexer.Tokenise(&chroma.TokeniseOptions{State: "root"}, text)
	if err != nil {
		return nil
	}
	tokens = make([]chroma.Token, 0, len(text)/4+1)
	// Adjacent tokens of one type merge into one span.
	var run strings.Builder
	var runType chroma.TokenType
	flush := func() {
		if run.Len() > 0 {
			tokens = append(tokens, chroma.Token{Type: runType, Value: run.String()})
			run.Reset()
		}
	}
	for i := 0; ; i++ {
		t := it()
		if t == chroma.EOF {
			break
		}
		if t.Type != runType {
			flush()
			runType = t.Type
		}
		run.WriteString(t.Value)
		if i%16 == 0 && time.Now().After(deadline) {
			return nil
		}
	}
	flush()
	// Lexers may add a final newline; drop it so both paths agree on Lines.
	if !strings.HasSuffix(text, "\n") && len(tokens) > 0 {
		last := &tokens[len(tokens)-1]
		if v, ok := strings.CutSuffix(last.Value, "\n"); ok {
			last.Value = v
		}
	}
	return tokens
}

// normaliseText returns content as valid UTF-8 with LF line endings.
func normaliseText(content []byte) string {
	needFix := !utf8.Valid(content)
	hasCR := bytes.IndexByte(content, '\r') >= 0
	if !needFix && !hasCR {
		return string(content)
	}
	if needFix {
		content = bytes.ToValidUTF8(content, []byte("\uFFFD"))
	}
	if hasCR {
		out := make([]byte, 0, len(content))
		for i := 0; i < len(content); i++ {
			c := content[i]
			if c == '\r' {
				if i+1 < len(content) && content[i+1] == '\n' {
					continue
				}
				c = '\n'
			}
			out = append(out, c)
		}
		content = out
	}
	return string(content)
}

// cutLines returns text cut after its max-th line, and whether it cut.
func cutLines(text string, max int) (string, bool) {
	pos := 0
	for n := 0; n < max; n++ {
		i := strings.IndexByte(text[pos:], '\n')
		if i < 0 {
			return text, false
		}
		pos += i + 1
	}
	if pos == len(text) {
		return text, false
	}
	return text[:pos], true
}

// tokenClass returns chroma's class for a token type, walking up to the
// parent types as chroma's HTML formatter does.
func tokenClass(t chroma.TokenType) string {
	for t != 0 {
		if cls, ok := chroma.StandardTypes[t]; ok {
			return cls
		}
		t = t.Parent()
	}
	return chroma.StandardTypes[t]
}

// lineWriter builds the line markup, opening a line lazily so that a
// trailing newline does not start an empty line.
type lineWriter struct {
	b      strings.Builder
	num    [20]byte
	n      int
	open   bool
	digits int
	// keep says which lines are written (nil: all); skip is set while
	// a line that is not is being passed over.
	keep  []bool
	skip  bool
	shown int
	// classes are extra classes of each line ("" for none; nil: none).
	classes []string
}

func newLineWriter(text string) *lineWriter {
	return newLineWriterN(strings.Count(text, "\n")+1, len(text))
}

func newLineWriterN(lines, size int) *lineWriter {
	lw := &lineWriter{digits: len(strconv.Itoa(lines))}
	lw.b.Grow(len(preOpen) + size + lines*(70+3*lw.digits) + len(preClose))
	lw.b.WriteString(preOpen)
	return lw
}

// line writes a whole line of ready markup.
func (w *lineWriter) line(html string) {
	w.startLine()
	if !w.skip {
		w.b.WriteString(html)
		w.b.WriteString("\n</span></span>")
	}
	w.open = false
}

func (w *lineWriter) startLine() {
	w.n++
	w.open = true
	w.skip = w.keep != nil && (w.n > len(w.keep) || !w.keep[w.n-1])
	if w.skip {
		return
	}
	w.shown++
	num := strconv.AppendInt(w.num[:0], int64(w.n), 10)
	w.b.WriteString(`<span class="line`)
	if w.n <= len(w.classes) && w.classes[w.n-1] != "" {
		w.b.WriteByte(' ')
		w.b.WriteString(w.classes[w.n-1])
	}
	w.b.WriteString(`" id="L`)
	w.b.Write(num)
	w.b.WriteString(`"><a class="ln" href="#L`)
	w.b.Write(num)
	w.b.WriteString(`">`)
	for i := len(num); i < w.digits; i++ {
		w.b.WriteByte(' ')
	}
	w.b.Write(num)
	w.b.WriteString(`</a><span class="cl">`)
}

// write appends s, which may span lines, in spans of class cls ("" for
// none).
func (w *lineWriter) write(cls, s string) {
	for s != "" {
		if !w.open {
			w.startLine()
		}
		seg, rest, nl := strings.Cut(s, "\n")
		if w.skip {
			if nl {
				w.open = false
			}
			s = rest
			continue
		}
		if seg != "" {
			if cls != "" {
				w.b.WriteString(`<span class="`)
				w.b.WriteString(cls)
				w.b.WriteString(`">`)
			}
			escapeTo(&w.b, seg)
			if cls != "" {
				w.b.WriteString(`</span>`)
			}
		}
		if nl {
			w.b.WriteString("\n</span></span>")
			w.open = false
		}
		s = rest
	}
}

// finish closes the markup and returns it with the number of lines in it.
func (w *lineWriter) finish() (string, int) {
	if w.open && !w.skip {
		w.b.WriteString("</span></span>")
	}
	w.open = false
	w.b.WriteString(preClose)
	if w.keep != nil {
		return w.b.String(), w.shown
	}
	return w.b.String(), w.n
}

// escapeTo writes s to b with the five HTML special characters escaped.
func escapeTo(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}
