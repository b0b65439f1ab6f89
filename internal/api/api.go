package api

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/account"
	"pastel/internal/paste"
)

// Deps are the services the API calls.
type Deps struct {
	Pastes   *paste.Service
	Accounts *account.Service
	BaseURL  *url.URL
}

type handler struct {
	Deps
}

// Register mounts the API routes on r (the /api/v1 group).
func Register(r fiber.Router, d Deps) {
	h := &handler{Deps: d}
	r.Use(h.bearer)
	r.Post("/auth/register", h.register)
	r.Post("/auth/token", h.token)
	r.Post("/auth/refresh", h.refresh)
	r.Post("/auth/revoke", h.revoke)
	r.Get("/me", h.me)
	r.Post("/pastes", h.createPaste)
	r.Get("/pastes", h.listPastes)
	r.Get("/pastes/:id", h.getPaste)
	r.Patch("/pastes/:id", h.updatePaste)
	r.Delete("/pastes/:id", h.deletePaste)
	r.Get("/pastes/:id/share-links", h.listShareLinks)
	r.Post("/pastes/:id/share-links", h.createShareLink)
	r.Delete("/pastes/:id/share-links/:token", h.deleteShareLink)
	h.registerCommunity(r)
	h.registerSearch(r)
	r.All("/*", func(*fiber.Ctx) error { return errRoute })
}

// link returns an absolute URL on the site for path.
func (h *handler) link(path string) string {
	u := *h.BaseURL
	u.Path = path
	return u.String()
}
