package views

import (
	"strconv"

	"pastel/internal/paste"
)

// SecretWarnings is the new-paste or edit form's warning that the text
// looks like it holds credentials, shown before anything is published.
type SecretWarnings struct {
	Findings []paste.SecretFinding
	// Incomplete: the text was too long to check in full.
	Incomplete bool
	// CanPrivate offers "Make it private" (signed-in users only).
	CanPrivate bool
}

// Element IDs of the encryption and secret-warning parts.
const (
	SecretWarningID = "secret-warning"
	EncryptedID     = "encrypted-paste"
)

// linesLabel names a line or a range of lines ("line 3", "lines 7-10").
func linesLabel(first, last int) string {
	if last > first {
		return "Lines " + strconv.Itoa(first) + "–" + strconv.Itoa(last)
	}
	return "Line " + strconv.Itoa(first)
}

// pasteTitle is what a paste is called on its page and in lists: its
// title, "Encrypted paste" for an encrypted one (which has none), else
// "Untitled".
func pasteTitle(p paste.Paste) string {
	if p.Encrypted && p.Title == "" {
		return "Encrypted paste"
	}
	return titleOr(p.Title)
}
