package paste

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"pastel/internal/crashpoint"
)

// File is one file of a paste revision. Its body lives in the blob store
// under BlobKey.
type File struct {
	Name   string
	Syntax string
	// ContentType is "" for text; for a binary file, the type sniffed from
	// its bytes (sniffContentType), never taken from its name.
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

// fileBlobKey is the content-addressed key of a body in a paste,
// "p/<paste ID in hex>/<SHA-256 in hex>": the same bytes in the same paste
// are one object, whatever revision names them. The ID is hex-encoded
// because blob keys are lower case (blob.ValidKey) and IDs are not.
func fileBlobKey(id ID, content []byte) string {
	sum := sha256.Sum256(content)
	return "p/" + hex.EncodeToString([]byte(id)) + "/" + hex.EncodeToString(sum[:])
}

// sniffContentType returns "" for text, else the type the bytes say they
// are, from their signatures (the ones http.DetectContentType knows, kept
// here because the domain does not import net/http). Only the bytes count,
// never a name: an SVG file is text, shown escaped like any other. Valid
// UTF-8 without NUL bytes is text whatever it starts with (a log with ANSI
// escapes), unless it is one of the images a page shows; so is any text
// whose first 512 bytes hold no binary control byte (Latin-1, say).
func sniffContentType(content []byte) string {
	if ct := signature(content); strings.HasPrefix(ct, "image/") {
		return ct
	}
	head := content
	if len(head) > 8<<10 {
		head = head[:8<<10]
	}
	if bytes.IndexByte(head, 0) < 0 && (utf8.Valid(content) || !binaryBytes(content)) {
		return ""
	}
	if ct := signature(content); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// signatures are the magic numbers of the binary files a paste names by
// type: the images a page shows inline, and common downloads.
var signatures = []struct{ prefix, ct string }{
	{"\x89PNG\r\n\x1a\n", "image/png"},
	{"\xff\xd8\xff", "image/jpeg"},
	{"GIF87a", "image/gif"},
	{"GIF89a", "image/gif"},
	{"PK\x03\x04", "application/zip"},
	{"%PDF-", "application/pdf"},
	{"\x1f\x8b\x08", "application/gzip"},
}

// signature returns the type content's first bytes name, or "".
func signature(content []byte) string {
	if len(content) >= 12 && string(content[:4]) == "RIFF" && string(content[8:12]) == "WEBP" {
		return "image/webp"
	}
	for _, s := range signatures {
		if bytes.HasPrefix(content, []byte(s.prefix)) {
			return s.ct
		}
	}
	return ""
}

// binaryBytes reports whether the first 512 bytes of content hold a control
// byte text does not (the WHATWG sniffing rule; ESC, tab, CR, LF and FF
// are text).
func binaryBytes(content []byte) bool {
	if len(content) > 512 {
		content = content[:512]
	}
	for _, b := range content {
		if b <= 0x08 || b == 0x0B || (b >= 0x0E && b <= 0x1A) || (b >= 0x1C && b <= 0x1F) {
			return true
		}
	}
	return false
}

// FilesOf returns p's files: p.Files when loaded, else the one file its row
// describes (a paste read without its files).
func FilesOf(p Paste) []File {
	if len(p.Files) > 0 {
		return p.Files
	}
	return []File{{Name: DefaultFileName(p.Title, p.Syntax), Syntax: p.Syntax, Size: p.Size, BlobKey: p.BlobKey}}
}

// readFiles reads the bodies of files in order.
func (s *Service) readFiles(ctx context.Context, files []File) ([][]byte, error) {
	out := make([][]byte, len(files))
	for i, f := range files {
		b, err := s.readBody(ctx, f.BlobKey)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// removeBodies deletes every body of a paste whose row is gone: the keys
// its revisions named (BodyKeys) and its row's own.
func (s *Service) removeBodies(p Paste) {
	seen := map[string]bool{}
	for _, k := range append([]string{p.BlobKey}, p.BodyKeys...) {
		if k != "" && !seen[k] {
			seen[k] = true
			s.removeBlob(k)
		}
	}
}

// dropWritten removes bodies written for a create or edit that did not
// commit, unless a row names them (an older revision of the same bytes).
func (s *Service) dropWritten(keys []string) {
	if len(keys) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	orphans, err := s.repo.UnreferencedBlobKeys(ctx, keys)
	if err != nil {
		return // the orphan sweep removes them later
	}
	for _, k := range orphans {
		s.removeBlob(k)
	}
}

// checkFiles validates the files of a create or an edit and returns them
// with their bodies, keyed for paste id: 1 to MaxFiles files, names safe
// and unique, no empty body, each and all together within MaxBytes
// (ErrTooLarge), a syntax given or detected from the name first, then the
// content.
func (s *Service) checkFiles(id ID, in []FileInput) ([]File, [][]byte, error) {
	var verr ValidationError
	if len(in) == 0 || len(in) > MaxFiles {
		verr.Add("files", "must hold 1 to "+itoa(MaxFiles)+" files")
		return nil, nil, verr.Err()
	}
	var total int64
	for _, f := range in {
		total += int64(len(f.Content))
	}
	if s.opts.MaxBytes > 0 && total > s.opts.MaxBytes {
		return nil, nil, ErrTooLarge
	}
	files := make([]File, len(in))
	bodies := make([][]byte, len(in))
	seen := make(map[string]bool, len(in))
	for i, f := range in {
		field := "files[" + itoa(i) + "]"
		name := f.Name
		if msg := CheckFileName(name); msg != "" {
			verr.Add(field+".name", msg)
		} else if seen[strings.ToLower(name)] {
			verr.Add(field+".name", "is used by another file of the paste")
		}
		seen[strings.ToLower(name)] = true
		if len(f.Content) == 0 {
			verr.Add(field+".content", "must not be empty")
		}
		ct := sniffContentType(f.Content)
		syntax, msg := s.resolveSyntax(CreateInput{Syntax: f.Syntax, Filename: name, Content: f.Content})
		if msg != "" {
			verr.Add(field+".syntax", msg)
		}
		if ct != "" && (f.Syntax == "" || strings.EqualFold(f.Syntax, "auto")) {
			syntax = "text" // a binary file is a download, never highlighted
		}
		files[i] = File{Name: name, Syntax: syntax, ContentType: ct, Size: int64(len(f.Content)), BlobKey: fileBlobKey(id, f.Content)}
		bodies[i] = f.Content
	}
	if err := verr.Err(); err != nil {
		return nil, nil, err
	}
	return files, bodies, nil
}

// createFiles returns the files of a new paste p made from in: in.Files,
// or the one file of in.Content, named in.Filename when that is a safe
// name, else DefaultFileName.
func (s *Service) createFiles(p Paste, in CreateInput) ([]File, [][]byte, error) {
	if len(in.Files) > 0 {
		if p.Encrypted {
			return nil, nil, FieldError("files", "an encrypted paste holds its one ciphertext")
		}
		return s.checkFiles(p.ID, in.Files)
	}
	name := strings.TrimSpace(in.Filename)
	if name == "" || CheckFileName(name) != "" {
		name = DefaultFileName(p.Title, p.Syntax)
	}
	f := File{Name: name, Syntax: p.Syntax, Size: int64(len(in.Content)), BlobKey: fileBlobKey(p.ID, in.Content)}
	if !p.Encrypted {
		f.ContentType = sniffContentType(in.Content)
	}
	return []File{f}, [][]byte{in.Content}, nil
}

// applyFiles makes files p's: its first file's key and syntax, and their
// total size.
func applyFiles(p *Paste, files []File) {
	p.Files = files
	p.BlobKey, p.Syntax = files[0].BlobKey, files[0].Syntax
	p.Size = 0
	for _, f := range files {
		p.Size += f.Size
	}
}

// putBodies writes the bodies of files that have (content address →
// key, the bodies a revision already names) does not hold, each under a
// key of its own, and returns the keys it wrote; on failure it removes
// them again. It sets each file's BlobKey: an unchanged body keeps the key
// that names it, a new one gets its content address and a random suffix
// ("p/<id hex>/<sha256>-<16 hex>"). A key is never written twice: a body
// that a crashed or failed write left behind is never taken for a later
// write of the same bytes, so neither the orphan sweep (whose grace period
// counts from a key's first write) nor dropWritten can remove a body that
// a later write is about to commit.
func (s *Service) putBodies(ctx context.Context, files []File, bodies [][]byte, have map[string]string) ([]string, error) {
	var written []string
	for i, f := range files {
		if bodies[i] == nil {
			continue
		}
		addr := contentAddress(f.BlobKey)
		if k, ok := have[addr]; ok {
			files[i].BlobKey = k
			continue
		}
		var nonce [8]byte
		_, _ = rand.Read(nonce[:])
		key := addr + "-" + hex.EncodeToString(nonce[:])
		have[addr] = key
		files[i].BlobKey = key
		if err := s.blobs.Put(ctx, key, bytes.NewReader(bodies[i]), int64(len(bodies[i]))); err != nil {
			s.dropWritten(written)
			return nil, fmt.Errorf("store body: %w", err)
		}
		written = append(written, key)
	}
	return written, nil
}

// contentAddress returns the content address a body key starts with: the
// key without its write suffix ("p/<id hex>/<sha256>"). Keys from before
// content addressing are their own address.
func contentAddress(key string) string {
	if !strings.HasPrefix(key, "p/") {
		return key
	}
	if i := strings.LastIndexByte(key, '-'); i > strings.LastIndexByte(key, '/') {
		return key[:i]
	}
	return key
}

// filesText is what search indexes of a paste's files: every text file's
// body, first file first, joined by newlines (binary files have none).
func filesText(files []File, bodies [][]byte) []byte {
	if len(files) == 1 {
		return bodies[0]
	}
	var b bytes.Buffer
	for i, f := range files {
		if f.Binary() {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.Write(bodies[i])
	}
	return b.Bytes()
}

// editFiles applies an edit's files or content to p (a copy of old) and
// writes the new bodies. It returns the keys written (to remove should
// the edit not commit) and the text to index, nil when no body changed.
func (s *Service) editFiles(ctx context.Context, old Paste, p *Paste, in UpdateInput) ([]string, []byte, error) {
	files := append([]File(nil), FilesOf(old)...)
	var bodies [][]byte
	switch {
	case in.Files != nil:
		nf, nb, err := s.checkFiles(p.ID, in.Files)
		if err != nil {
			return nil, nil, err
		}
		files, bodies = nf, nb
	case in.Content != nil:
		if !sameBody(files[0].BlobKey, in.Content) {
			same := false
			if !strings.HasPrefix(files[0].BlobKey, "p/") {
				// A body from before content-addressed keys: compare.
				current, err := s.readBody(ctx, files[0].BlobKey)
				if err != nil {
					return nil, nil, err
				}
				same = bytes.Equal(current, in.Content)
			}
			if !same {
				files[0].BlobKey = fileBlobKey(p.ID, in.Content)
				files[0].Size = int64(len(in.Content))
				if !p.Encrypted {
					files[0].ContentType = sniffContentType(in.Content)
				}
			}
		}
		bodies = make([][]byte, len(files))
		bodies[0] = in.Content
	}
	if in.Syntax != nil && in.Files == nil {
		files[0].Syntax = p.Syntax
	}
	applyFiles(p, files)
	if bodies == nil {
		return nil, nil, nil
	}
	have := map[string]string{}
	for _, f := range FilesOf(old) {
		have[contentAddress(f.BlobKey)] = f.BlobKey
	}
	written, err := s.putBodies(ctx, files, bodies, have)
	if err != nil {
		return nil, nil, err
	}
	applyFiles(p, files) // the keys putBodies chose
	if len(written) > 0 {
		crashpoint.Here(crashpoint.UpdateAfterBodyWrite)
	}
	// The index holds every text file: read those the edit left alone.
	for i, f := range files {
		if bodies[i] == nil && !f.Binary() {
			b, err := s.readBody(ctx, f.BlobKey)
			if err != nil {
				s.dropWritten(written)
				return nil, nil, err
			}
			bodies[i] = b
		}
	}
	return written, filesText(files, bodies), nil
}

// sameBody reports whether key is the content-addressed key of content.
func sameBody(key string, content []byte) bool {
	sum := sha256.Sum256(content)
	return strings.HasPrefix(key, "p/") && strings.HasSuffix(contentAddress(key), "/"+hex.EncodeToString(sum[:]))
}

// FileReader opens the body of one file of a paste Get has returned, for
// streaming (as BodyReader does the first file's).
func (s *Service) FileReader(ctx context.Context, p Paste, f File) (io.ReadCloser, error) {
	p.BlobKey = f.BlobKey
	return s.BodyReader(ctx, p)
}

// OpenFiles returns a paste the viewer may read with the bodies of all its
// files, first file first; a burn-after-reading paste is consumed, all of
// its files at once.
func (s *Service) OpenFiles(ctx context.Context, v Viewer, id ID) (Paste, [][]byte, error) {
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return Paste{}, nil, err
	}
	return s.openAll(ctx, v, p)
}

// fileIndex returns the position of the file named name, or -1.
func fileIndex(files []File, name string) int {
	for i, f := range files {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// RenderedFile is one file of a paste as its page shows it.
type RenderedFile struct {
	File File
	// Body is the file's rendering; zero for a binary file (Binary set).
	Body Rendered
}

// pageFiles reports whether p's page shows its files one by one: several
// files, or one binary file.
func pageFiles(p Paste) bool {
	files := FilesOf(p)
	return len(files) > 1 || files[0].Binary()
}

// fileAsPaste is p as its file f: the renderer and its cache see the
// file's key and syntax.
func fileAsPaste(p Paste, f File) Paste {
	p.Syntax, p.BlobKey, p.Size = f.Syntax, f.BlobKey, f.Size
	return p
}

// renderFiles renders every file of p, through the renderer (and its
// cache, keyed by each file's body key).
func (s *Service) renderFiles(ctx context.Context, p Paste, mode RenderMode) ([]RenderedFile, error) {
	files := FilesOf(p)
	out := make([]RenderedFile, len(files))
	for i, f := range files {
		out[i].File = f
		if f.Binary() {
			out[i].Body = Rendered{Binary: true}
			continue
		}
		r, err := s.Render(ctx, fileAsPaste(p, f), mode)
		if err != nil {
			return nil, err
		}
		out[i].Body = r
	}
	return out, nil
}

// renderBurnedFiles renders the files of a burn-after-reading paste just
// consumed, from the bodies read with it; nil when its page shows no files.
func (s *Service) renderBurnedFiles(ctx context.Context, p Paste, mode RenderMode, bodies [][]byte) ([]RenderedFile, error) {
	if !pageFiles(p) || p.Encrypted {
		return nil, nil
	}
	files := FilesOf(p)
	out := make([]RenderedFile, len(files))
	for i, f := range files {
		out[i].File = f
		if f.Binary() || i >= len(bodies) {
			out[i].Body = Rendered{Binary: true}
			continue
		}
		r, err := s.render(ctx, fileAsPaste(p, f), mode, bodies[i])
		if err != nil {
			return nil, err
		}
		out[i].Body = r
	}
	return out, nil
}
