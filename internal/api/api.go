package api

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
)

// Deps are the services the API calls.
type Deps struct {
	Pastes  *paste.Service
	BaseURL *url.URL
}

type handler struct {
	Deps
}

// Register mounts the API routes on r (the /api/v1 group).
func Register(r fiber.Router, d Deps) {
	h := &handler{Deps: d}
	r.Post("/pastes", h.createPaste)
	r.Get("/pastes", h.listPastes)
	r.Get("/pastes/:id", h.getPaste)
	r.Delete("/pastes/:id", h.deletePaste)
	r.All("/*", func(*fiber.Ctx) error { return errRoute })
}

// link returns an absolute URL on the site for path.
func (h *handler) link(path string) string {
	u := *h.BaseURL
	u.Path = path
	return u.String()
}
