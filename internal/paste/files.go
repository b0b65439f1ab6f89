package paste

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// File is one file of a paste revision. Its body lives in the blob store
// under BlobKey.
type File struct {
	Name   string
	Syntax string
	// ContentType is "" for text; for a binary file, the type sniffed from
	// its bytes (http.DetectContentType), never taken from its name.
	ContentType string
	Size        int64
	BlobKey     string
}

// Binary reports whether f is a binary file (kept as a download, or shown
// as an image).
func (f File) Binary() bool { return f.ContentType != "" }

// InlineImage reports whether f is an image the page may show inline: PNG,
// JPEG, GIF or WebP as sniffed from its bytes. SVG never is (it is a
// document that can carry script).
func (f File) InlineImage() bool {
	switch f.ContentType {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

// Revision is a paste as one create or edit of its content, files or title
// left it; revision 1 is the paste as created.
type Revision struct {
	Number     int32
	Title      string
	AuthorID   int64 // 0: anonymous, or the author's account is gone
	AuthorName string
	CreatedAt  time.Time
	Files      []File
}

// File limits.
const (
	// MaxFiles is the most files a paste holds.
	MaxFiles = 20
	// MaxFileNameRunes bounds a file name.
	MaxFileNameRunes = 100
)

// FileInput is one file of a create or an edit.
type FileInput struct {
	Name    string
	Content []byte
	Syntax  string // "", "auto": detect (the name first, then the content)
}

// CheckFileName reports what is wrong with a file name, or "": a name is
// one path element of printable characters, without slashes, backslashes,
// control, bidirectional or invisible formatting characters, not "." or
// "..", and at most MaxFileNameRunes long.
func CheckFileName(name string) string {
	if name == "" {
		return "must not be empty"
	}
	if !utf8.ValidString(name) {
		return "must be valid UTF-8"
	}
	if utf8.RuneCountInString(name) > MaxFileNameRunes {
		return "must be at most " + itoa(MaxFileNameRunes) + " characters"
	}
	if name == "." || name == ".." {
		return `must not be "." or ".."`
	}
	if strings.TrimSpace(name) != name {
		return "must not start or end with spaces"
	}
	for _, r := range name {
		switch {
		case r == '/' || r == '\\':
			return "must not contain slashes"
		case unicode.IsControl(r):
			return "must not contain control characters"
		case unicode.Is(unicode.Cf, r):
			// Bidirectional controls, zero-width joiners and the like
			// make a name look like another.
			return "must not contain invisible or bidirectional formatting characters"
		case !unicode.IsPrint(r) && r != ' ':
			return "must contain only printable characters"
		}
	}
	return ""
}

// DefaultFileName is the name of a paste's file when none was given: the
// title when it is a plain file name with an extension ("main.go"), else
// "paste" and the syntax's extension ("paste.go", "paste.txt"). The
// migration that made existing pastes one-file pastes names them alike
// (paste_file_name in SQL).
func DefaultFileName(title, syntax string) string {
	t := strings.TrimSpace(title)
	if plainFileName(t) {
		return t
	}
	return "paste" + extOf(syntax)
}

// plainFileName matches the SQL rule ^[A-Za-z0-9_][A-Za-z0-9._+-]{0,99}$
// with an extension of letters and digits.
func plainFileName(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if i == 0 && !alnum && c != '_' {
			return false
		}
		if !alnum && c != '_' && c != '.' && c != '+' && c != '-' {
			return false
		}
	}
	dot := strings.LastIndexByte(s, '.')
	if dot < 0 || dot == len(s)-1 {
		return false
	}
	for i := dot + 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// syntaxExts are the extensions of DefaultFileName; the SQL function
// paste_file_ext (migration 0020) holds the same list.
var syntaxExts = map[string]string{
	"go": ".go", "python": ".py", "python2": ".py", "javascript": ".js", "typescript": ".ts",
	"tsx": ".tsx", "rust": ".rs", "java": ".java", "kotlin": ".kt", "c": ".c", "cpp": ".cpp",
	"csharp": ".cs", "ruby": ".rb", "php": ".php", "bash": ".sh", "powershell": ".ps1",
	"json": ".json", "yaml": ".yaml", "toml": ".toml", "xml": ".xml", "html": ".html",
	"css": ".css", "sql": ".sql", "markdown": ".md", "diff": ".diff", "csv": ".csv",
	"tsv": ".tsv", "swift": ".swift", "lua": ".lua", "perl": ".pl", "haskell": ".hs",
	"scala": ".scala", "dockerfile": ".dockerfile", "makefile": ".mk", "ini": ".ini",
	"ansi": ".log",
}

func extOf(syntax string) string {
	if e, ok := syntaxExts[syntax]; ok {
		return e
	}
	return ".txt"
}

// FileAnchor is the page anchor of a file: "file-" and the name lowercased
// with every run of other characters than letters and digits made one "-"
// ("main.go" is "file-main-go"); its lines are FileAnchor + "-L10".
func FileAnchor(name string) string {
	var b strings.Builder
	b.WriteString("file-")
	dash := false
	for _, r := range strings.ToLower(name) {
		if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			if dash && b.Len() > len("file-") {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// FileAnchors returns the anchors of files in order, made unique by a
// numeric suffix where two names map to the same anchor ("a.go", "a-go").
func FileAnchors(files []File) []string {
	out := make([]string, len(files))
	seen := make(map[string]bool, len(files))
	for i, f := range files {
		a := FileAnchor(f.Name)
		for n := 2; seen[a]; n++ {
			a = FileAnchor(f.Name) + "-" + itoa(n)
		}
		seen[a] = true
		out[i] = a
	}
	return out
}

// FileByName returns the file of files named name.
func FileByName(files []File, name string) (File, bool) {
	for _, f := range files {
		if f.Name == name {
			return f, true
		}
	}
	return File{}, false
}

// fileBlobKey is the content-addressed key of a body in a paste: the same
// bytes in the same paste are one object, whatever revision names them.
func fileBlobKey(id ID, content []byte) string {
	sum := sha256.Sum256(content)
	return "p/" + string(id) + "/" + hex.EncodeToString(sum[:])
}

// sniffContentType returns "" for text, else the type the bytes say they
// are (http.DetectContentType, without parameters). Only the bytes count,
// never a name: an SVG file is text, shown escaped like any other.
func sniffContentType(content []byte) string {
	ct := http.DetectContentType(content)
	if strings.HasPrefix(ct, "text/") {
		return ""
	}
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return ct
}

// FilesOf returns p's files: p.Files when loaded, else the one file its row
// describes (a paste read without its files).
func FilesOf(p Paste) []File {
	if len(p.Files) > 0 {
		return p.Files
	}
	return []File{{Name: DefaultFileName(p.Title, p.Syntax), Syntax: p.Syntax, Size: p.Size, BlobKey: p.BlobKey}}
}
