package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
	"pastel/views"
)

// forkExtras adds the Fork button (posting to action) and the "forked
// from" line to a paste page, as the viewer may see them.
func (a *App) forkExtras(c *fiber.Ctx, v paste.Viewer, p paste.Paste, view *views.PasteView, action string) {
	if a.deps.Pastes.CanFork(v, p) {
		view.ForkURL = action
	}
	if orig, ok := a.deps.Pastes.ForkOrigin(c.UserContext(), v, p); ok {
		view.ForkedFrom = &orig
	}
}

// forkPaste handles the Fork button (POST /{id}/fork): the fork is made
// and its page opens, with the "Created" notice its creator sees once.
func (a *App) forkPaste(c *fiber.Ctx) error {
	return a.fork(c, paste.ID(c.Params("id")))
}

// forkShared forks a paste opened through a share link (POST
// /s/{token}/fork): a private paste becomes a private paste of the
// signed-in forker.
func (a *App) forkShared(c *fiber.Ctx) error {
	_, id, err := a.sharedViewer(c)
	if err != nil {
		return err
	}
	return a.fork(c, id)
}

func (a *App) fork(c *fiber.Ctx, id paste.ID) error {
	ctx := c.UserContext()
	created, err := a.deps.Pastes.Fork(ctx, paste.ViewerFrom(ctx), id)
	var verr *paste.ValidationError
	if asValidation(err, &verr) {
		msgs := make([]string, 0, len(verr.Fields))
		for _, m := range verr.Fields {
			msgs = append(msgs, m)
		}
		return fiber.NewError(fiber.StatusUnprocessableEntity, "This paste cannot be forked: "+strings.Join(msgs, "; ")+".")
	}
	if err != nil {
		return err
	}
	a.rememberCreated(c, created)
	return redirect(c, "/"+string(created.Paste.ID))
}

// rememberCreated lets the creator's browser see a new paste's "Created"
// notice once and, for an anonymous paste, keep its delete token, scoped
// to the paste's own path, so its page can offer Delete.
func (a *App) rememberCreated(c *fiber.Ctx, created paste.Created) {
	p := created.Paste
	if created.DeleteToken != "" {
		c.Cookie(&fiber.Cookie{
			Name: deleteCookie, Value: created.DeleteToken, Path: "/" + string(p.ID),
			HTTPOnly: true, Secure: a.opts.BaseURL.Scheme == "https", SameSite: fiber.CookieSameSiteStrictMode,
			Expires: time.Now().Add(30 * 24 * time.Hour),
		})
	}
	a.setOnce(c, createdCookie, "1", "/"+string(p.ID))
}
