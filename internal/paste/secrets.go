package paste

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Warning is advice about a create or edit that was carried out anyway
// (the API's warnings: [{code, message, line?}]).
type Warning struct {
	Code    string
	Message string
	Line    int    // 1-based; 0: not about one line
	File    string // the file Line is in, for a paste sent as files; "" for content
}

// WarnPossibleSecret is the code of a Warning about text that looks like a
// credential.
const WarnPossibleSecret = "possible_secret"

// SecretFinding is one credential-like stretch of a text: the lines it
// spans (1-based) and what it looks like. It never holds the secret.
type SecretFinding struct {
	Line, EndLine int
	Rule          string // the rule's ID, such as "aws-access-token"
	Description   string // what the rule finds, in words
	File          string // set by callers that scan several files: the one it is in
}

// SecretScanner finds credential-like text (internal/secrets).
type SecretScanner interface {
	// Scan returns the findings in text, by line. complete is false when
	// the scan stopped at its time or size budget before the end of text.
	Scan(ctx context.Context, text []byte) (findings []SecretFinding, complete bool)
}

// SecretFindings scans content for credentials unless the paste is
// encrypted (the server cannot read it). Without a scanner it finds
// nothing.
func (s *Service) SecretFindings(ctx context.Context, content []byte, encrypted bool) ([]SecretFinding, bool) {
	if s.opts.Secrets == nil || encrypted || len(content) == 0 {
		return nil, true
	}
	return s.opts.Secrets.Scan(ctx, content)
}

// SecretWarnings is SecretFindings over content and each of files as the
// API's warnings, one per finding, plus one per text the scan did not
// reach the end of. All of them share one scan's time budget at most
// twice over (secretsBudget).
func (s *Service) SecretWarnings(ctx context.Context, content []byte, files []FileInput, encrypted bool) []Warning {
	ctx, cancel := context.WithTimeout(ctx, secretsBudget)
	defer cancel()
	var out []Warning
	scan := func(file string, text []byte) {
		findings, complete := s.SecretFindings(ctx, text, encrypted)
		for _, f := range findings {
			msg := f.Message()
			if file != "" {
				msg = file + ", " + msg
			}
			out = append(out, Warning{Code: WarnPossibleSecret, Line: f.Line, File: file, Message: msg})
		}
		if !complete {
			out = append(out, Warning{Code: "secret_scan_incomplete", File: file, Message: "the text is too long to check for credentials in full; only its start was checked"})
		}
	}
	scan("", content)
	for _, f := range files {
		scan(f.Name, f.Content)
	}
	return out
}

// secretsBudget bounds all the credential checks of one create or edit.
const secretsBudget = time.Second

// Message says what f found where, without the secret.
func (f SecretFinding) Message() string {
	where := fmt.Sprintf("line %d", f.Line)
	if f.EndLine > f.Line {
		where = fmt.Sprintf("lines %d-%d", f.Line, f.EndLine)
	}
	what := strings.TrimSpace(f.Description)
	if what == "" {
		what = f.Rule
	}
	return fmt.Sprintf("%s may hold a credential (%s): %s", where, f.Rule, what)
}

// RemoveLines returns text without the lines the findings span.
func RemoveLines(text string, findings []SecretFinding) string {
	drop := make(map[int]bool)
	for _, f := range findings {
		for l := f.Line; l <= max(f.Line, f.EndLine); l++ {
			drop[l] = true
		}
	}
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	b.Grow(len(text))
	for i, l := range lines {
		if !drop[i+1] {
			b.WriteString(l)
		}
	}
	return b.String()
}
