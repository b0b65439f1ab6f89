package paste

import "strings"

// Bounds of a paste's preview: PreviewLines lines of at most
// PreviewBytes bytes in all, cut on a character boundary.
const (
	PreviewLines = 3
	PreviewBytes = 300
)

// PreviewOf is the preview of a body: its first PreviewLines lines, without
// carriage returns and trailing blanks, at most PreviewBytes bytes. It is
// plain text; whoever shows it escapes it. Migration 0013 computes the same
// for pastes written before it.
func PreviewOf(text string) string {
	if len(text) > 8*PreviewBytes {
		text = text[:8*PreviewBytes]
	}
	text = strings.ReplaceAll(text, "\r", "")
	lines := strings.SplitN(text, "\n", PreviewLines+1)
	if len(lines) > PreviewLines {
		lines = lines[:PreviewLines]
	}
	out := strings.TrimRight(strings.Join(lines, "\n"), " \t\n")
	if len(out) > PreviewBytes {
		out = out[:PreviewBytes]
	}
	return strings.ToValidUTF8(out, "")
}

// ListPreview is the preview that lists and feeds may show: none for a
// private or burn-after-reading paste, whose text is for its reader only.
func (p Paste) ListPreview() string {
	if p.Visibility == Private || p.BurnAfterReading {
		return ""
	}
	return p.Preview
}
