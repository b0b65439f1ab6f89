package api

import (
	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
)

// forkRef names the paste a fork was made from.
type forkRef struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	Title string `json:"title"`
}

// withForkOrigin adds forked_from to a single paste's answer when the
// viewer may see the original named (paste.Service.ForkOrigin). Lists
// leave it out: it would cost a read per item.
func (h *handler) withForkOrigin(c *fiber.Ctx, j *pasteJSON, p paste.Paste) {
	ctx := c.UserContext()
	if orig, ok := h.Pastes.ForkOrigin(ctx, paste.ViewerFrom(ctx), p); ok {
		j.ForkedFrom = &forkRef{ID: string(orig.ID), URL: h.link("/" + string(orig.ID)), Title: orig.Title}
	}
}

// forkPaste answers POST /pastes/{id}/fork: 201 with the new paste, as a
// create answers (an anonymous fork carries its delete_token). Anyone who
// may create a paste may fork one they can read.
func (h *handler) forkPaste(c *fiber.Ctx) error {
	return h.fork(c, paste.ID(c.Params("id")))
}

// forkShared answers POST /shared/{token}/fork: the fork of a paste read
// through a share link (a private paste forks into a private paste of the
// caller's, who must be signed in).
func (h *handler) forkShared(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v, id, err := h.Pastes.Shared(ctx, paste.ViewerFrom(ctx), c.Params("token"), true)
	if err != nil {
		return err
	}
	c.SetUserContext(paste.WithViewer(ctx, v))
	return h.fork(c, id)
}

func (h *handler) fork(c *fiber.Ctx, id paste.ID) error {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	created, err := h.Pastes.Fork(ctx, v, id)
	if err != nil {
		return err
	}
	out := h.toJSON(created.Paste)
	out.DeleteToken = created.DeleteToken
	h.withForkOrigin(c, &out, created.Paste)
	c.Location(out.URL)
	return c.Status(fiber.StatusCreated).JSON(out)
}
