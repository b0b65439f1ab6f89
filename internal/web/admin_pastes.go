package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/admin"
	"pastel/internal/paste"
	"pastel/views"
)

// adminPastes is /admin/pastes: every paste, filtered by title or ID,
// owner and visibility, newest first.
func (a *App) adminPastes(c *fiber.Ctx) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	f := admin.PasteFilter{Q: c.Query("q"), Owner: c.Query("owner"), Visibility: c.Query("visibility")}
	page, err := a.deps.Admin.Pastes(c.UserContext(), v, f, c.Query("cursor"), 50)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, views.AdminView{
		Tab: "pastes", Pastes: page.Items, NextCursor: page.NextCursor,
		Query: f.Q, Owner: f.Owner, Visibility: f.Visibility,
	})
}

// adminPasteVisibility changes a paste's visibility from /admin/pastes;
// the list then shows that paste (under its new ID when it got one).
func (a *App) adminPasteVisibility(c *fiber.Ctx) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	p, err := a.deps.Admin.SetPasteVisibility(c.UserContext(), v, paste.ID(c.Params("id")), paste.Visibility(c.FormValue("visibility")))
	if err != nil {
		return err
	}
	return redirect(c, "/admin/pastes?done=visibility&q="+url.QueryEscape(string(p.ID)))
}
