package views

// FileView is one file of a paste of several files (or of one binary
// file), as the paste page shows it: a section with the file's name as an
// anchor, its own Raw and Copy, and its body.
type FileView struct {
	Name        string
	Anchor      string // "file-main-go"; its lines are Anchor + "-L10"
	SyntaxLabel string
	Size        int64
	// CodeHTML is trusted: the highlighter's escaped output, its line
	// anchors prefixed with Anchor. MarkdownHTML, when set, is shown
	// instead (sanitised Markdown).
	CodeHTML     string
	MarkdownHTML string
	Truncated    bool
	// Image: the file is a PNG, JPEG, GIF or WebP (sniffed from its
	// bytes), shown inline from RawURL. Binary: any other binary file,
	// offered as a download.
	Image  bool
	Binary bool
	RawURL string // "" when the page offers no raw link (a burned paste)
}

// CodeID returns the ID of the element holding f's code, which its Copy
// button copies.
func (f FileView) CodeID() string { return f.Anchor + "-code" }

// FormFile is one further file of the new-paste form: its name and text.
type FormFile struct {
	Name    string
	Content string
}
