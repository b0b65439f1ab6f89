package api

import (
	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
)

// warningJSON is a paste.Warning: advice about a create or edit that was
// carried out anyway ({code, message, line?}).
type warningJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Line    int    `json:"line,omitempty"`
	File    string `json:"file,omitempty"` // a paste sent as files: the file the line is in
}

// warningsOf checks new content for credentials (not an encrypted paste's:
// the server cannot read it) and lists what it found; an empty list when
// nothing was found, so create and edit answers always carry warnings.
func (h *handler) warningsOf(c *fiber.Ctx, content []byte, files []paste.FileInput, encrypted bool) *[]warningJSON {
	ws := h.Pastes.SecretWarnings(c.UserContext(), content, files, encrypted)
	out := make([]warningJSON, len(ws))
	for i, w := range ws {
		out[i] = warningJSON{Code: w.Code, Message: w.Message, Line: w.Line, File: w.File}
	}
	return &out
}
