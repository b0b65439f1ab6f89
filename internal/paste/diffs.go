package paste

import "context"

// DiffSource is one file of one side of a diff: what the differ needs to
// compare it and to read its body.
type DiffSource struct {
	Name    string
	Syntax  string
	BlobKey string
	Size    int64
	// Binary files (a content type sniffed from their bytes) are compared
	// whole, never line by line.
	Binary bool
}

// DiffMode says what a diff is wanted for.
type DiffMode struct {
	// HTML asks for Diff.Files, each line highlighted as its file's
	// syntax, besides the unified text.
	HTML bool
}

// Diff is the comparison of two sets of files (two revisions of a paste,
// or two pastes). It may be shared with a cache: callers must not modify
// it.
type Diff struct {
	// Text is the git-style unified diff ("" when nothing changed).
	Text string
	// Files are the changed files' sections for a page (DiffMode.HTML
	// only), unchanged files left out.
	Files []FileDiff
	// Unchanged counts the files the same on both sides.
	Unchanged int
	// Added and Deleted count the inserted and deleted lines.
	Added, Deleted int
}

// The statuses of a FileDiff.
const (
	FileAdded    = "added"
	FileDeleted  = "deleted"
	FileModified = "modified"
	FileRenamed  = "renamed"
)

// FileDiff is one changed file of a Diff, ready for a page.
type FileDiff struct {
	OldName, NewName string
	Status           string // FileAdded, FileDeleted, FileModified, FileRenamed
	Similarity       int    // renames: percent of lines in common
	Binary           bool   // compared whole: there are no hunks
	Added, Deleted   int
	Hunks            []DiffHunk
	// Truncated: the diff was too long to show whole; its first hunks are
	// in Hunks, the rest only in the text.
	Truncated bool
}

// Name returns the name the file has after the change (before it, for a
// deleted file).
func (f FileDiff) Name() string {
	if f.NewName != "" {
		return f.NewName
	}
	return f.OldName
}

// DiffHunk is a run of changed lines with their context.
type DiffHunk struct {
	Header string // "@@ -a,b +c,d @@"
	Lines  []DiffLine
}

// The ops of a DiffLine.
const (
	LineContext byte = ' '
	LineDeleted byte = '-'
	LineAdded   byte = '+'
)

// DiffLine is one line of a hunk. HTML is the line highlighted as its
// file's syntax, every byte of the body escaped: safe to embed.
type DiffLine struct {
	Op       byte // LineContext, LineDeleted or LineAdded
	Old, New int  // 1-based line numbers on each side; 0 where it is not
	HTML     string
}

// DiffRow is one row of a side-by-side view: the old line on the left,
// the new one on the right; nil on a side that has none.
type DiffRow struct {
	Left, Right *DiffLine
}

// Rows pairs h's lines for a side-by-side view: a context line fills both
// sides; a run of deleted lines and the run of added lines right after it
// share rows, the longer run continuing alone.
func (h DiffHunk) Rows() []DiffRow {
	rows := make([]DiffRow, 0, len(h.Lines))
	for i := 0; i < len(h.Lines); {
		l := &h.Lines[i]
		if l.Op == LineContext {
			rows = append(rows, DiffRow{Left: l, Right: l})
			i++
			continue
		}
		del := i
		for i < len(h.Lines) && h.Lines[i].Op == LineDeleted {
			i++
		}
		add := i
		for i < len(h.Lines) && h.Lines[i].Op == LineAdded {
			i++
		}
		dels, adds := h.Lines[del:add], h.Lines[add:i]
		for k := 0; k < max(len(dels), len(adds)); k++ {
			var r DiffRow
			if k < len(dels) {
				r.Left = &dels[k]
			}
			if k < len(adds) {
				r.Right = &adds[k]
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// Differ compares two sets of files (internal/render, behind the read
// cache). body reads a file's body by its blob key; a differ that already
// holds the diff of these very files (blob keys name bodies for ever)
// need not call it.
type Differ interface {
	Diff(ctx context.Context, from, to []DiffSource, mode DiffMode, body func(ctx context.Context, key string) ([]byte, error)) (Diff, error)
}
