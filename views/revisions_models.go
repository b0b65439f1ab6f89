package views

import (
	"strconv"
	"time"

	"pastel/internal/paste"
)

// RevisionsView is the revision list of a paste, with the form that
// compares any two of them.
type RevisionsView struct {
	Paste paste.Paste
	// PasteURL is the paste's page (or its share link's); DiffAction the
	// diff page the form sends from and to.
	PasteURL   string
	DiffAction string
	Items      []RevisionItem
}

// RevisionItem is one row of the revision list.
type RevisionItem struct {
	Number    int32
	Title     string
	Author    string // "" for anonymous
	CreatedAt time.Time
	Files     []string // names
	Size      int64
	URL       string // the revision's page
	// From and To check the row's radio in that column: the form starts
	// on the newest revision's changes.
	From, To bool
}

// DiffView is a diff page: two revisions of a paste, or two pastes.
type DiffView struct {
	Heading  string
	FromName string // "revision 2", or a paste's title
	ToName   string
	FromURL  string
	ToURL    string
	BackURL  string // the paste's page or its revision list
	BackText string
	// Split shows the files side by side; UnifiedURL and SplitURL switch.
	Split      bool
	UnifiedURL string
	SplitURL   string
	// TextURL is the unified diff as text (the API's text/x-diff).
	TextURL string
	Diff    paste.Diff
}

// RevisionView is a paste as it was at one of its revisions.
type RevisionView struct {
	Paste   paste.Paste // as of the revision
	Newest  int32
	URL     string // the paste's page (the newest revision)
	ListURL string // the revision list
	// DiffURL compares this revision with the newest ("" when it is).
	DiffURL string
	RawURL  string
	Files   []RevisionFile
}

// RevisionFile is one file of a revision, rendered.
type RevisionFile struct {
	Name        string
	Anchor      string
	SyntaxLabel string
	Size        int64
	CodeHTML    string // trusted: the highlighter's escaped output
	Binary      bool
	Truncated   bool
}

// diffSign is the +/- gutter mark of a diff line.
func diffSign(op byte) string {
	switch op {
	case paste.LineAdded:
		return "+"
	case paste.LineDeleted:
		return "-"
	}
	return " "
}

// diffClass is the row class of a diff line (coloured by chroma.css).
func diffClass(op byte) string {
	switch op {
	case paste.LineAdded:
		return "d-add"
	case paste.LineDeleted:
		return "d-del"
	}
	return "d-ctx"
}

// lineNo is a diff line number, "" where the line is not on that side.
func lineNo(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// fileStatusLabel says what happened to a file in words.
func fileStatusLabel(f paste.FileDiff) string {
	switch f.Status {
	case paste.FileAdded:
		return "added"
	case paste.FileDeleted:
		return "deleted"
	case paste.FileRenamed:
		if f.Similarity == 100 {
			return "renamed"
		}
		return "renamed (" + strconv.Itoa(f.Similarity) + "% similar)"
	}
	return "changed"
}

// diffFileAnchor is the id of a file's section on a diff page.
func diffFileAnchor(i int) string { return "diff-" + strconv.Itoa(i+1) }

// revisionCount is a paste's number of revisions, for its link.
func revisionCount(n int32) string { return strconv.Itoa(int(n)) }

// currentPage is the aria-current of a tab: "page" for the one shown.
func currentPage(current bool) string {
	if current {
		return "page"
	}
	return "false"
}
