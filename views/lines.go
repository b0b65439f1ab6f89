package views

import (
	"sort"
	"strconv"
	"strings"

	"pastel/internal/paste"
)

// LineNote is a comment shown in the code, under the last of the lines it
// is about.
type LineNote struct {
	Comment paste.Comment
}

// RichAssets are the scripts and styles a Markdown document with diagrams
// or math loads; empty fields load nothing. Other pages never load them.
type RichAssets struct {
	Script   string // static/rich.js: renders the inert blocks
	KaTeXJS  string // with math
	KaTeXCSS string // with math
	// FrameURL is the sandboxed page that draws Mermaid diagrams.
	FrameURL string // with diagrams
}

// Any reports whether the page loads anything.
func (r RichAssets) Any() bool { return r.Script != "" }

// LinesLabel is how a comment names its lines: "line 7", "lines 12–18".
func LinesLabel(r paste.LineRange) string {
	if r.End <= r.Start {
		return "line " + strconv.Itoa(r.Start)
	}
	return "lines " + strconv.Itoa(r.Start) + "–" + strconv.Itoa(r.End)
}

// lineStart starts every line in the highlighter's output; lineMarker
// starts line n.
const lineStart = `<span class="line" id="L`

func lineMarker(n int) string { return lineStart + strconv.Itoa(n) + `">` }

// codeChunk is a piece of highlighted code and the notes shown after it.
type codeChunk struct {
	HTML  string
	Notes []LineNote
}

// splitCode cuts the highlighter's trusted output after the last line of
// each note, so the notes can be shown there. Notes whose line is not in
// the output (cut, or an output without line markers) are left out: they
// show in their thread only. The markers cannot come from the paste, whose
// text is escaped.
func splitCode(code string, notes []LineNote) []codeChunk {
	if len(notes) == 0 {
		return []codeChunk{{HTML: code}}
	}
	byEnd := make(map[int][]LineNote)
	var ends []int
	for _, n := range notes {
		e := n.Comment.Lines.End
		if _, ok := byEnd[e]; !ok {
			ends = append(ends, e)
		}
		byEnd[e] = append(byEnd[e], n)
	}
	sort.Ints(ends)
	var out []codeChunk
	rest := code
	for _, e := range ends {
		start := strings.Index(rest, lineMarker(e))
		if start < 0 {
			continue
		}
		// The next line shown, whatever its number (a filter skips some).
		at := strings.Index(rest[start+len(lineMarker(e)):], lineStart)
		if at >= 0 {
			at += start + len(lineMarker(e))
		} else {
			// The last line: the notes go before the closing tags.
			at = strings.LastIndex(rest, "</code></pre>")
			if at < 0 {
				continue
			}
		}
		out = append(out, codeChunk{HTML: rest[:at], Notes: byEnd[e]})
		rest = rest[at:]
	}
	return append(out, codeChunk{HTML: rest})
}
