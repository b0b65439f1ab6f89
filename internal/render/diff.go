package render

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/alecthomas/chroma/v2"

	"pastel/internal/diff"
	"pastel/internal/paste"
)

// Limits of a diff's page rendering.
const (
	// MaxDiffLines is how many lines of hunks a diff's page shows, all
	// files together; the rest is in its unified text.
	MaxDiffLines = 20_000
	// maxDiffHighlightBytes is how much of a diff's lines is highlighted,
	// all files together; past it lines are shown plain.
	maxDiffHighlightBytes = 128 << 10
	// diffLead is how many lines before a hunk are lexed with it (and not
	// shown), so a hunk inside a comment or string starts right.
	diffLead = 20
)

// Diffs compares files and renders their diff; it implements paste.Differ
// (without a cache; the read cache decorates it).
type Diffs struct {
	hl *Highlighter
}

var _ paste.Differ = (*Diffs)(nil)

// NewDiffs returns a differ highlighting with hl.
func NewDiffs(hl *Highlighter) *Diffs { return &Diffs{hl: hl} }

// Diff reads the bodies of from and to and compares them (internal/diff):
// the unified text always, and with mode.HTML each changed file's hunks
// with their lines highlighted as the file's syntax. Only the lines of the
// hunks (and a few before each) are lexed, within the highlighter's time
// budget for the whole diff and at most MaxDiffLines lines are shown;
// lines past either bound are plain.
func (d *Diffs) Diff(ctx context.Context, from, to []paste.DiffSource, mode paste.DiffMode, body func(context.Context, string) ([]byte, error)) (paste.Diff, error) {
	read := map[string][]byte{}
	files := func(srcs []paste.DiffSource) ([]diff.File, error) {
		out := make([]diff.File, len(srcs))
		for i, s := range srcs {
			b, ok := read[s.BlobKey]
			if !ok {
				var err error
				if b, err = body(ctx, s.BlobKey); err != nil {
					return nil, err
				}
				read[s.BlobKey] = b
			}
			out[i] = diff.File{Name: s.Name, Syntax: s.Syntax, Body: b, Binary: s.Binary || bytes.IndexByte(b, 0) >= 0}
		}
		return out, nil
	}
	a, err := files(from)
	if err != nil {
		return paste.Diff{}, err
	}
	b, err := files(to)
	if err != nil {
		return paste.Diff{}, err
	}
	fds := diff.Compute(a, b, diff.Options{})
	out := paste.Diff{Text: diff.Unified(fds)}
	for _, f := range fds {
		if f.Status == diff.Unchanged {
			out.Unchanged++
		}
		out.Added += f.Added
		out.Deleted += f.Deleted
	}
	if mode.HTML {
		out.Files = d.pageFiles(fds, a, b)
	}
	return out, nil
}

// pageFiles turns the changed files of fds into page sections.
func (d *Diffs) pageFiles(fds []diff.FileDiff, a, b []diff.File) []paste.FileDiff {
	w := diffWork{hl: d.hl, lines: MaxDiffLines, bytes: maxDiffHighlightBytes, deadline: time.Now().Add(d.hl.opts.HighlightBudget)}
	var out []paste.FileDiff
	for _, f := range fds {
		if f.Status == diff.Unchanged {
			continue
		}
		pf := paste.FileDiff{
			OldName: f.OldName, NewName: f.NewName, Status: string(f.Status),
			Similarity: f.Similarity, Binary: f.Binary, Added: f.Added, Deleted: f.Deleted,
		}
		var oldFile, newFile diff.File
		if f.From >= 0 {
			oldFile = a[f.From]
		}
		if f.To >= 0 {
			newFile = b[f.To]
		}
		pf.Hunks, pf.Truncated = w.hunks(f.Hunks, oldFile, newFile)
		out = append(out, pf)
	}
	return out
}

// diffWork is what is left of a diff's bounds while its files are
// rendered.
type diffWork struct {
	hl       *Highlighter
	lines    int // lines still shown
	bytes    int // bytes still highlighted
	deadline time.Time
	// lines of the files, split once.
	split map[*byte][]string
}

// hunks renders hs, the hunks between oldFile and newFile; true when some
// were left out (the diff's line bound).
func (w *diffWork) hunks(hs []diff.Hunk, oldFile, newFile diff.File) ([]paste.DiffHunk, bool) {
	oldLines, newLines := w.linesOf(oldFile.Body), w.linesOf(newFile.Body)
	oldDone, newDone := 0, 0 // lines already lexed with an earlier hunk
	var out []paste.DiffHunk
	for _, h := range hs {
		if len(h.Lines) > w.lines {
			return out, true
		}
		w.lines -= len(h.Lines)
		oldHTML := w.region(oldLines, h.OldStart, h.OldLines, oldFile.Syntax, oldDone)
		newHTML := w.region(newLines, h.NewStart, h.NewLines, newFile.Syntax, newDone)
		oldDone, newDone = h.OldStart-1+h.OldLines, h.NewStart-1+h.NewLines
		ph := paste.DiffHunk{Header: h.Header(), Lines: make([]paste.DiffLine, len(h.Lines))}
		for i, l := range h.Lines {
			pl := paste.DiffLine{Op: byte(l.Op), Old: l.Old, New: l.New}
			switch {
			case l.New > 0:
				pl.HTML = newHTML[l.New-h.NewStart]
			default:
				pl.HTML = oldHTML[l.Old-h.OldStart]
			}
			ph.Lines[i] = pl
		}
		out = append(out, ph)
	}
	return out, false
}

func (w *diffWork) linesOf(body []byte) []string {
	if len(body) == 0 {
		return nil
	}
	if w.split == nil {
		w.split = map[*byte][]string{}
	}
	if l, ok := w.split[&body[0]]; ok {
		return l
	}
	l := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
	w.split[&body[0]] = l
	return l
}

// region returns the HTML of lines[start-1 : start-1+n] (1-based start),
// highlighted as syntax with up to diffLead lines before them lexed too
// (none of the first done lines, which an earlier hunk lexed), within the
// diff's bounds.
func (w *diffWork) region(lines []string, start, n int, syntax string, done int) []string {
	if n == 0 {
		return nil
	}
	from := min(max(start-1-diffLead, done, 0), start-1)
	seg := lines[from : start-1+n]
	size := 0
	for _, l := range seg {
		size += len(l) + 1
	}
	var frags []string
	if size <= w.bytes && time.Now().Before(w.deadline) {
		w.bytes -= size
		frags = w.hl.lineFragments(seg, syntax, w.deadline)
	} else {
		frags = plainFragments(seg)
	}
	return frags[start-1-from:]
}

// lineFragments returns the HTML of each of lines (without their line
// feeds) highlighted as syntax, or plain when there is no lexer for it or
// lexing runs past deadline. Every byte is escaped; a line's trailing CR is
// not shown.
func (h *Highlighter) lineFragments(lines []string, syntax string, deadline time.Time) []string {
	lexer := h.idx.lexer(syntax)
	if lexer == nil {
		return plainFragments(lines)
	}
	text := strings.ToValidUTF8(strings.Join(lines, "\n"), "\uFFFD") + "\n"
	tokens := h.tokeniseBy(lexer, text, deadline)
	if tokens == nil {
		return plainFragments(lines)
	}
	out := make([]string, 0, len(lines))
	var b strings.Builder
	for _, t := range tokens {
		cls := tokenClass(t.Type)
		if cls == "w" || t.Type == chroma.Error {
			cls = ""
		}
		s := t.Value
		for s != "" {
			seg, rest, nl := strings.Cut(s, "\n")
			seg = strings.TrimSuffix(seg, "\r")
			if seg != "" {
				if cls != "" {
					b.WriteString(`<span class="`)
					b.WriteString(cls)
					b.WriteString(`">`)
				}
				escapeTo(&b, seg)
				if cls != "" {
					b.WriteString(`</span>`)
				}
			}
			if nl {
				out = append(out, b.String())
				b.Reset()
			}
			s = rest
		}
	}
	if len(out) != len(lines) {
		// A lexer that changed the text's lines: show it plain.
		return plainFragments(lines)
	}
	return out
}

// plainFragments returns lines escaped, without highlighting.
func plainFragments(lines []string) []string {
	out := make([]string, len(lines))
	var b strings.Builder
	for i, l := range lines {
		b.Reset()
		escapeTo(&b, strings.ToValidUTF8(strings.TrimSuffix(l, "\r"), "\uFFFD"))
		out[i] = b.String()
	}
	return out
}

// diffLineClasses returns the class of each line of a unified diff shown
// as a paste: d-meta for headers ("diff --git", "index", "new file", …),
// d-file for "---"/"+++", d-hunk for "@@" lines, d-add and d-del for added
// and removed lines inside hunks, "" for context.
func diffLineClasses(text string) []string {
	lines := strings.Split(text, "\n")
	out := make([]string, len(lines))
	inHunk := false
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "@@"):
			out[i], inHunk = "d-hunk", true
		case inHunk && strings.HasPrefix(l, "+"):
			out[i] = "d-add"
		case inHunk && strings.HasPrefix(l, "-"):
			out[i] = "d-del"
		case inHunk && (l == "" || l[0] == ' ' || l[0] == '\\'):
			// context, or "\ No newline at end of file"
		case strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "+++ "):
			out[i], inHunk = "d-file", false
		case strings.HasPrefix(l, "diff ") || strings.HasPrefix(l, "index ") || strings.HasPrefix(l, "Index: ") ||
			strings.HasPrefix(l, "new file") || strings.HasPrefix(l, "deleted file") ||
			strings.HasPrefix(l, "similarity ") || strings.HasPrefix(l, "rename ") ||
			strings.HasPrefix(l, "old mode") || strings.HasPrefix(l, "new mode") || strings.HasPrefix(l, "Binary files"):
			out[i], inHunk = "d-meta", false
		default:
			inHunk = false
		}
	}
	return out
}

// diffCSS colours the lines of diffs: d-add, d-del, d-hunk, d-file and
// d-meta lines of a diff paste (.chroma .line) and of the diff pages
// (.chroma tr), in the light and dark schemes.
func diffCSS() string {
	rules := func(add, del, hunk, hunkText, meta, addNum, delNum string) string {
		return ".chroma .line.d-add, .chroma tr.d-add .dc, .chroma .dc.d-add { background-color: " + add + " }\n" +
			".chroma .line.d-del, .chroma tr.d-del .dc, .chroma .dc.d-del { background-color: " + del + " }\n" +
			".chroma tr.d-add .dn, .chroma .dn.d-add { background-color: " + addNum + " }\n" +
			".chroma tr.d-del .dn, .chroma .dn.d-del { background-color: " + delNum + " }\n" +
			".chroma .line.d-hunk, .chroma tr.d-hunk td { background-color: " + hunk + "; color: " + hunkText + " }\n" +
			".chroma .line.d-file, .chroma .line.d-meta { color: " + meta + "; font-weight: 600 }\n" +
			// The lexer's own boxes around "---" and "+++" would read as
			// a removed and an added line.
			".chroma .line.d-file span, .chroma .line.d-meta span { background-color: transparent }\n"
	}
	light := rules("#dafbe1", "#ffebe9", "#ddf4ff", "#57606a", "#24292f", "#aceebb", "#ffcecb")
	dark := rules("rgba(46,160,67,.18)", "rgba(248,81,73,.18)", "rgba(56,139,253,.15)", "#8b949e", "#e6edf3", "rgba(46,160,67,.35)", "rgba(248,81,73,.35)")
	return light + scoped(dark, `:root[data-theme="dark"] `) +
		"@media (prefers-color-scheme: dark) {\n" + scoped(dark, `:root:not([data-theme="light"]) `) + "}\n"
}
