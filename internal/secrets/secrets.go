// Package secrets finds credential-like text (cloud keys, tokens, private
// keys, passwords in URLs) in paste bodies before they are published. It
// adapts gitleaks' detector, used as a library with its bundled, maintained
// rule set, to the domain's paste.SecretScanner port; passwords written
// into URLs (scheme://user:password@host), which that rule set leaves out,
// are found by parsing such URLs with net/url.
//
// Cost: the rule set runs about two hundred regular expressions, so a
// scan is bounded. Text goes through in chunks cut at line breaks, and the
// scan stops at Options.Budget or Options.MaxBytes, whichever comes first,
// saying so (complete false). Chunks are small (16 KiB) because gitleaks
// runs a rule only on text holding one of its keywords: a keyword far
// away does not make every rule run over a long line. Each chunk starts
// again 4 KiB before the end of the one before (at a line), so a private
// key block is whole in one of them; a line longer than a chunk is cut.
package secrets

import (
	"bytes"
	"context"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/logging"

	"pastel/internal/paste"
)

// Options bound a scan.
type Options struct {
	// Budget is the longest one scan may take (0: 500 ms).
	Budget time.Duration
	// MaxBytes is the most of a text scanned (0: 16 MiB).
	MaxBytes int
	// ChunkBytes is the size of the pieces scanned at a time, cut at a
	// line break (0: 16 KiB).
	ChunkBytes int
}

// Scanner implements paste.SecretScanner. It is safe for concurrent use.
type Scanner struct {
	det  *detect.Detector
	opts Options
}

var _ paste.SecretScanner = (*Scanner)(nil)

// New builds a Scanner over gitleaks' bundled rules. Building compiles the
// rules (tens of milliseconds): make one per process.
func New(opts Options) (*Scanner, error) {
	if opts.Budget <= 0 {
		opts.Budget = 500 * time.Millisecond
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 16 << 20
	}
	if opts.ChunkBytes <= 0 {
		opts.ChunkBytes = 16 << 10
	}
	// gitleaks logs through a global zerolog logger; some of its trace
	// lines quote what matched. Nothing it says belongs in our logs.
	logging.Logger = zerolog.Nop()
	det, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		return nil, err
	}
	det.Redact = 100 // findings carry no secret
	det.MaxDecodeDepth = 0
	return &Scanner{det: det, opts: opts}, nil
}

// Scan implements paste.SecretScanner.
func (s *Scanner) Scan(ctx context.Context, text []byte) ([]paste.SecretFinding, bool) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Budget)
	defer cancel()
	complete := true
	if len(text) > s.opts.MaxBytes {
		text, complete = cutAtLine(text, s.opts.MaxBytes), false
	}
	var out []paste.SecretFinding
	line := 1 // the first line of the chunk
	for len(text) > 0 {
		if ctx.Err() != nil {
			complete = false
			break
		}
		chunk := cutAtLine(text, s.opts.ChunkBytes)
		//lint:ignore SA1019 DetectContext takes only this type in v8 (sources.Fragment replaces it in v9)
		for _, f := range s.det.DetectContext(ctx, detect.Fragment{Raw: string(chunk)}) {
			out = append(out, paste.SecretFinding{
				Line: line + f.StartLine, EndLine: line + f.EndLine,
				Rule: f.RuleID, Description: f.Description,
			})
		}
		out = append(out, urlPasswords(chunk, line)...)
		if len(chunk) == len(text) {
			break
		}
		// The next chunk starts again at a line among the last overlap
		// bytes of this one, so that a private key block cut here is
		// whole there (dedupe drops what both find).
		next := len(chunk)
		if back := overlapStart(chunk, overlap); back > 0 {
			next = back
		}
		line += bytes.Count(chunk[:next], []byte{'\n'})
		text = text[next:]
	}
	if ctx.Err() != nil {
		complete = false // a chunk may have been cut short between rules
	}
	return dedupe(out), complete
}

// overlap is how much of a chunk the next one scans again: more than a
// PEM block of a 4096-bit RSA key.
const overlap = 4 << 10

// overlapStart returns where in chunk a line starts within its last n
// bytes (0: none, or the chunk is not longer than n).
func overlapStart(chunk []byte, n int) int {
	if len(chunk) <= n {
		return 0
	}
	from := len(chunk) - n
	i := bytes.IndexByte(chunk[from:len(chunk)-1], '\n')
	if i < 0 {
		return 0
	}
	return from + i + 1
}

// cutAtLine returns the start of text of at most n bytes, ending after a
// line break when there is one in it (else n bytes).
func cutAtLine(text []byte, n int) []byte {
	if len(text) <= n {
		return text
	}
	if i := bytes.LastIndexByte(text[:n], '\n'); i >= 0 {
		return text[:i+1]
	}
	return text[:n]
}

// dedupe keeps one finding per line and rule, in line order.
func dedupe(fs []paste.SecretFinding) []paste.SecretFinding {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Line < fs[j].Line })
	seen := make(map[string]bool, len(fs))
	out := fs[:0]
	for _, f := range fs {
		k := f.Rule + "\x00" + strconv.Itoa(f.Line)
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}

// urlPasswordRule is the rule ID of a password written into a URL.
const urlPasswordRule = "url-password"

// urlPasswords finds URLs with a password in their user information
// (postgres://app:s3cret@db/…) in chunk, whose first line is first. Each
// "://" is widened to the URL around it and parsed with net/url: a
// password that is empty or a placeholder (${PASS}, <password>, ****)
// does not count.
func urlPasswords(chunk []byte, first int) []paste.SecretFinding {
	var out []paste.SecretFinding
	rest := chunk
	offset := 0
	for {
		i := bytes.Index(rest, []byte("://"))
		if i < 0 {
			return out
		}
		start := i
		for start > 0 && isSchemeByte(rest[start-1]) {
			start--
		}
		end := i + 3
		for end < len(rest) && !isURLEnd(rest[end]) {
			end++
		}
		if start < i && bytes.IndexByte(rest[i:end], '@') > 0 {
			if u, err := url.Parse(string(rest[start:end])); err == nil && u.User != nil {
				if pw, ok := u.User.Password(); ok && !placeholder(pw) {
					line := first + bytes.Count(chunk[:offset+i], []byte{'\n'})
					out = append(out, paste.SecretFinding{
						Line: line, EndLine: line, Rule: urlPasswordRule,
						Description: "A password written into a URL's user information (scheme://user:password@host).",
					})
				}
			}
		}
		offset += end
		rest = rest[end:]
	}
}

func isSchemeByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'
}

// isURLEnd reports whether c ends a URL written in text.
func isURLEnd(c byte) bool {
	return c <= ' ' || strings.IndexByte("\"'`<>()[]{}|\\^", c) >= 0 && c != '[' && c != ']'
}

// placeholder reports whether pw stands for a password rather than being
// one: empty, a variable, a bracketed name, or masked.
func placeholder(pw string) bool {
	if len(pw) < 3 {
		return true
	}
	if strings.ContainsAny(pw, "${}<>") || strings.Trim(pw, "*xX.") == "" {
		return true
	}
	switch strings.ToLower(pw) {
	case "password", "passwd", "pass", "secret", "changeme", "pw", "pwd":
		return true
	}
	return false
}
