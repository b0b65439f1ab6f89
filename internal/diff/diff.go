// Package diff compares two sets of files (two revisions of a paste, or two
// pastes): which files were added, deleted, renamed or changed, and for each
// changed text file its hunks of lines, with both sides' line numbers. It
// writes the comparison as a git-style unified diff (Unified) and hands the
// structured hunks to the HTML renderer.
//
// The line comparison is go-udiff's (the Go tools' Myers implementation,
// bounded in depth, so two large, very different bodies cost linear time and
// give a correct if not minimal diff); this package groups its edits into
// hunks with context and pairs files by name, then by content.
package diff

import (
	"bytes"
	"sort"
	"strings"

	"github.com/aymanbagabas/go-udiff/lcs"
)

// File is one file of one side.
type File struct {
	Name   string
	Syntax string
	Body   []byte
	// Binary files are compared whole: equal or not.
	Binary bool
}

// Status says what happened to a file between the sides.
type Status string

// The statuses of a FileDiff.
const (
	Added     Status = "added"
	Deleted   Status = "deleted"
	Modified  Status = "modified"
	Renamed   Status = "renamed" // maybe changed as well: see Hunks
	Unchanged Status = "unchanged"
)

// Op is what a line of a hunk does.
type Op byte

// The ops of a Line, as a unified diff writes them.
const (
	Context Op = ' '
	Delete  Op = '-'
	Insert  Op = '+'
)

// Line is one line of a hunk.
type Line struct {
	Op Op
	// Old and New are the line's 1-based numbers on each side; 0 on the
	// side it is not on.
	Old, New int
	// Text is the line without its line feed.
	Text string
	// NoEOL: the line is its side's last and ends without a line feed.
	NoEOL bool
}

// Hunk is a run of changed lines with their context.
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
	Lines              []Line
}

// Header returns the hunk's "@@ -a,b +c,d @@" line, as git writes it.
func (h Hunk) Header() string {
	var b strings.Builder
	b.WriteString("@@ -")
	writeRange(&b, h.OldStart, h.OldLines)
	b.WriteString(" +")
	writeRange(&b, h.NewStart, h.NewLines)
	b.WriteString(" @@")
	return b.String()
}

func writeRange(b *strings.Builder, start, n int) {
	if n == 0 {
		// An empty side starts before its first line (git: "-0,0").
		b.WriteString(itoa(max(start-1, 0)))
		b.WriteString(",0")
		return
	}
	b.WriteString(itoa(start))
	if n != 1 {
		b.WriteByte(',')
		b.WriteString(itoa(n))
	}
}

// FileDiff is what happened to one file.
type FileDiff struct {
	// From and To index the file in the old and new sides; -1 when it is
	// not on that side (added, deleted).
	From, To         int
	OldName, NewName string
	Status           Status
	// Similarity is, for a rename, how much of the content the two files
	// share, in percent (100: the same bytes).
	Similarity int
	// Binary: one side is binary, so there are no hunks.
	Binary bool
	// Added and Deleted count the inserted and deleted lines.
	Added, Deleted int
	Hunks          []Hunk
}

// Options tune Compute. Zero fields take the defaults.
type Options struct {
	// Context is the number of unchanged lines around each change
	// (default 3).
	Context int
	// RenameThreshold is the least similarity, in percent, at which a
	// deleted and an added file count as one renamed file (default 50,
	// git's).
	RenameThreshold int
}

func (o Options) withDefaults() Options {
	if o.Context <= 0 {
		o.Context = 3
	}
	if o.RenameThreshold <= 0 {
		o.RenameThreshold = 50
	}
	return o
}

// Compute compares the files of the old side with those of the new one.
// Files are paired by name first; what is left on both sides is paired by
// content (the same bytes, or at least RenameThreshold similar lines), the
// most similar pairs first, as renames; the rest are deleted and added.
// The result lists files in the new side's order, then the deleted ones in
// the old side's order; unchanged files are included (Status Unchanged).
func Compute(old, new []File, o Options) []FileDiff {
	o = o.withDefaults()
	pairedOld := make([]int, len(old)) // index in new + 1; 0: unpaired
	pairedNew := make([]int, len(new))
	byName := make(map[string]int, len(old))
	for i, f := range old {
		byName[f.Name] = i
	}
	for j, f := range new {
		if i, ok := byName[f.Name]; ok && pairedOld[i] == 0 {
			pairedOld[i], pairedNew[j] = j+1, i+1
		}
	}
	similarity := pairRenames(old, new, pairedOld, pairedNew, o.RenameThreshold)

	var out []FileDiff
	for j, f := range new {
		if pairedNew[j] == 0 {
			out = append(out, compareFiles(nil, &f, -1, j, o))
			continue
		}
		i := pairedNew[j] - 1
		d := compareFiles(&old[i], &f, i, j, o)
		if old[i].Name != f.Name {
			d.Status = Renamed
			d.Similarity = similarity[j]
		}
		out = append(out, d)
	}
	for i, f := range old {
		if pairedOld[i] == 0 {
			out = append(out, compareFiles(&f, nil, i, -1, o))
		}
	}
	return out
}

// pairRenames pairs files left unpaired on both sides by content, and
// returns the similarity of each new file so paired (by its index).
func pairRenames(old, new []File, pairedOld, pairedNew []int, threshold int) map[int]int {
	type candidate struct{ i, j, score int }
	var cands []candidate
	counts := map[int]map[string]int{}
	lineCounts := func(f File) map[string]int {
		m := map[string]int{}
		for l := range strings.Lines(string(f.Body)) {
			m[l]++
		}
		return m
	}
	for i := range old {
		if pairedOld[i] != 0 {
			continue
		}
		for j := range new {
			if pairedNew[j] != 0 {
				continue
			}
			a, b := old[i], new[j]
			if bytes.Equal(a.Body, b.Body) {
				cands = append(cands, candidate{i, j, 100})
				continue
			}
			if a.Binary || b.Binary || len(a.Body) == 0 || len(b.Body) == 0 {
				continue
			}
			// Sizes far apart cannot reach the threshold: skip the count.
			small, large := min(len(a.Body), len(b.Body)), max(len(a.Body), len(b.Body))
			if small*200 < large*threshold {
				continue
			}
			if counts[i] == nil {
				counts[i] = lineCounts(a)
			}
			if counts[-1-j] == nil {
				counts[-1-j] = lineCounts(b)
			}
			if s := shared(counts[i], counts[-1-j]); s >= threshold {
				cands = append(cands, candidate{i, j, min(s, 99)})
			}
		}
	}
	sort.SliceStable(cands, func(x, y int) bool { return cands[x].score > cands[y].score })
	sim := map[int]int{}
	for _, c := range cands {
		if pairedOld[c.i] != 0 || pairedNew[c.j] != 0 {
			continue
		}
		pairedOld[c.i], pairedNew[c.j] = c.j+1, c.i+1
		sim[c.j] = c.score
	}
	return sim
}

// shared returns how many of the lines of a and b (multisets of lines) the
// two have in common, in percent of all their lines.
func shared(a, b map[string]int) int {
	common, total := 0, 0
	for l, n := range a {
		total += n
		common += min(n, b[l])
	}
	for _, n := range b {
		total += n
	}
	if total == 0 {
		return 0
	}
	return 200 * common / total
}

// compareFiles compares one file of each side; nil for a side it is not on.
func compareFiles(a, b *File, i, j int, o Options) FileDiff {
	d := FileDiff{From: i, To: j}
	var oldBody, newBody []byte
	switch {
	case a == nil:
		d.Status, d.NewName, d.Binary = Added, b.Name, b.Binary
		newBody = b.Body
	case b == nil:
		d.Status, d.OldName, d.Binary = Deleted, a.Name, a.Binary
		oldBody = a.Body
	default:
		d.Status, d.OldName, d.NewName = Modified, a.Name, b.Name
		d.Binary = a.Binary || b.Binary
		oldBody, newBody = a.Body, b.Body
		if bytes.Equal(oldBody, newBody) {
			d.Status = Unchanged
			return d
		}
	}
	if d.Binary {
		return d
	}
	d.Hunks = Hunks(oldBody, newBody, o.Context)
	for _, h := range d.Hunks {
		for _, l := range h.Lines {
			switch l.Op {
			case Insert:
				d.Added++
			case Delete:
				d.Deleted++
			}
		}
	}
	return d
}

// Hunks compares two bodies line by line and returns the changes with
// context lines of context around them; nil when they are equal.
func Hunks(old, new []byte, context int) []Hunk {
	a, b := splitLines(old), splitLines(new)
	edits := lcs.DiffLines(a, b)
	if len(edits) == 0 {
		return nil
	}
	var hunks []Hunk
	var h *Hunk
	ai, bi := 0, 0 // next line of each side not yet in a hunk
	for k, e := range edits {
		if h != nil && e.Start-ai > 2*context {
			// Too far from the last change: close the hunk.
			addContext(h, a, ai, bi, context)
			hunks = append(hunks, *h)
			h = nil
		}
		if h == nil {
			lead := min(context, e.Start)
			if k > 0 {
				// Never reach back into the previous hunk's lines.
				lead = min(lead, e.Start-ai)
			}
			start := e.Start - lead
			h = &Hunk{OldStart: start + 1, NewStart: bi + (start - ai) + 1}
			ai, bi = start, bi+(start-ai)
		}
		addContext(h, a, ai, bi, e.Start-ai)
		bi += e.Start - ai
		ai = e.Start
		for ; ai < e.End; ai++ {
			h.Lines = append(h.Lines, line(Delete, a[ai], ai+1, 0, ai == len(a)-1))
			h.OldLines++
		}
		for ; bi < e.ReplEnd; bi++ {
			h.Lines = append(h.Lines, line(Insert, b[bi], 0, bi+1, bi == len(b)-1))
			h.NewLines++
		}
	}
	addContext(h, a, ai, bi, context)
	return append(hunks, *h)
}

// addContext appends up to n unchanged lines starting at a[ai] (b[bi]).
func addContext(h *Hunk, a []string, ai, bi, n int) {
	for k := 0; k < n && ai+k < len(a); k++ {
		h.Lines = append(h.Lines, line(Context, a[ai+k], ai+k+1, bi+k+1, ai+k == len(a)-1))
		h.OldLines++
		h.NewLines++
	}
}

func line(op Op, s string, old, new int, last bool) Line {
	text, eol := strings.CutSuffix(s, "\n")
	return Line{Op: op, Old: old, New: new, Text: text, NoEOL: last && !eol}
}

// splitLines splits b into lines, each keeping its line feed (so a last
// line without one differs from the same line with one).
func splitLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	s := string(b)
	out := make([]string, 0, strings.Count(s, "\n")+1)
	for l := range strings.Lines(s) {
		out = append(out, l)
	}
	return out
}

func itoa(n int) string {
	if n >= 0 && n < 10 {
		return string(rune('0' + n))
	}
	var buf [20]byte
	i := len(buf)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}
