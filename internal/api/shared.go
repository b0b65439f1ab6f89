package api

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
)

// getShared reads a paste through a share link: the same answer as
// GET /pastes/{id} for a caller holding the link, and the same 404 for an
// unknown or revoked token as for a paste the caller may not read.
func (h *handler) getShared(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v, id, err := h.Pastes.Shared(ctx, paste.ViewerFrom(ctx), c.Params("token"), c.Method() != fiber.MethodHead)
	if err != nil {
		return err
	}
	c.SetUserContext(paste.WithViewer(ctx, v))
	// The link is the credential: nothing of the answer may be kept by a
	// shared cache or shown in a Referer.
	c.Set("Referrer-Policy", "no-referrer")
	return h.sendPaste(c, id)
}

// throughLink makes a paste read through the share link token name the
// link, never the paste: its id is left empty and its addresses are the
// link's own pages, so that holding a link never reveals an ID that would
// outlive the link's revocation (the web's /s/{token} pages do the same).
func (h *handler) throughLink(j *pasteJSON, token string) {
	j.ID = ""
	j.URL = h.link("/s/" + token)
	j.RawURL = h.link("/s/" + token + "/raw")
	j.DeleteToken = ""
	for i := range j.Files {
		j.Files[i].RawURL = h.link("/s/" + token + "/raw/" + url.PathEscape(j.Files[i].Name))
	}
}
