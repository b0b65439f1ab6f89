package store

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxIndexWordBytes bounds the words PostgreSQL's text-search parser sees
// whole. Its parser backtracks: a long run of characters that may continue
// a file path, URL, host or e-mail (abc_abc_…, ./././…, ~/~/…) is scanned to
// its end, rejected, and scanned again from one character further on, so
// the cost of to_tsvector grows with the square of the run. A word longer
// than this keeps only its letters, digits and marks (its parts, which the
// parser would index anyway); shorter words, where file.go, fmt.Println,
// foo-bar, user@example.org and URLs live, reach the parser as typed.
const maxIndexWordBytes = 64

// inlineIndexBytes is the most indexed text a create's batch computes a
// tsvector and trigrams for. Longer texts are indexed right after the
// batch commits, in their own statement, so no create waits on another's
// indexing.
const inlineIndexBytes = 4 << 10

// indexTerms is the text that stands for a paste body in the full-text and
// trigram indexes (paste_search.terms): what to_tsvector parses in time
// linear in the text, for any input. '<' becomes a space, so the parser
// never starts a tag or a comment: those scan to a closing '>' or '-->'
// that may never come, from every '<' again (64 KiB of "<!--" took seconds).
// Every other separator becomes a space too (the parser may not agree with
// Go on what a space is), and words longer than maxIndexWordBytes are cut
// into their letters and digits. The result is never longer than text, and
// the words a search looks for in ordinary text are left alone.
func indexTerms(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if isIndexSeparator(r, size) {
			b.WriteByte(' ')
			i += size
			continue
		}
		end := i + size
		for end < len(text) {
			r, size := utf8.DecodeRuneInString(text[end:])
			if isIndexSeparator(r, size) {
				break
			}
			end += size
		}
		word := text[i:end]
		if len(word) <= maxIndexWordBytes {
			b.WriteString(word)
		} else {
			for _, r := range word {
				if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
					b.WriteRune(r)
				} else {
					b.WriteByte(' ')
				}
			}
		}
		i = end
	}
	return b.String()
}

// isIndexSeparator reports whether r (of size bytes) ends a word for
// indexTerms: white space, control characters, '<' and invalid UTF-8.
func isIndexSeparator(r rune, size int) bool {
	return r == '<' || unicode.IsSpace(r) || unicode.IsControl(r) || (r == utf8.RuneError && size <= 1)
}
