package views

// ReadingView is what a paste page offers for reading logs and data: the
// other ways to see the body, a tree or table rendering, the log line
// filter and the link to the first error. The zero value offers nothing.
type ReadingView struct {
	// Views are the ways to see this paste (Source, Tree, Table,
	// Indented), the current one marked; empty: no choice.
	Views []ViewLink
	// DataHTML is trusted (the renderer escapes every key, value and cell):
	// a tree or a table, shown instead of the code.
	DataHTML string
	// DataKind is "tree" or "table" with DataHTML.
	DataKind string
	// Shown and Total count the nodes or rows; Shown < Total shows a note.
	Shown, Total int
	// Filter is the line filter of a log; nil: none.
	Filter *LineFilterView
	// FirstErrorURL links to the first line that reads as an error; "":
	// none.
	FirstErrorURL string
	// Note explains a view that could not be given, such as a tree of a
	// body that is not valid JSON.
	Note string
}

// ViewLink is one way to see a paste.
type ViewLink struct {
	Label, URL, TestID string
	Current            bool
}

// LineFilterView is the ?grep= form of a log page: a GET form, so it works
// without scripts and its state is in the URL.
type LineFilterView struct {
	Action string // the paste's path
	Grep   string // the filter in force; "" when none
	// Matches lines matched out of Total; Shown of them are on the page
	// (fewer than Matches when capped).
	Matches, Total, Shown int
	ClearURL              string
}
