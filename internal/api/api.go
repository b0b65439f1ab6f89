package api

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/account"
	"pastel/internal/admin"
	"pastel/internal/paste"
)

// Deps are the services the API calls.
type Deps struct {
	Pastes   *paste.Service
	Accounts *account.Service
	Admin    *admin.Service // account deletion, reports, /admin; nil: not mounted
	BaseURL  *url.URL
	// Idempotency keeps Idempotency-Key responses; nil: in this process only.
	Idempotency IdempotencyStore
	// RateLimits are the per-caller budgets; zero fields take the defaults.
	RateLimits RateLimits
	// Lists keeps answers of lists and searches for anonymous callers;
	// nil: none are kept.
	Lists ListCache
}

type handler struct {
	Deps
	idem   IdempotencyStore
	limits *limiters
	spec   []byte // the OpenAPI document, servers set to BaseURL
}

// Register mounts the API routes on r (the /api/v1 group).
func Register(r fiber.Router, d Deps) {
	h := &handler{Deps: d, idem: d.Idempotency, limits: newLimiters(d.RateLimits), spec: specFor(d.BaseURL)}
	if h.idem == nil {
		h.idem = NewMemoryIdempotency()
	}
	// Order matters: anonymous budgets before authentication, the user's
	// budget after it; ETags and idempotency wrap the handlers.
	r.Use(h.limitAddress, h.bearer, h.limitCaller, h.etag, h.idempotency)
	r.Get("/openapi.json", h.openapi)
	r.Post("/auth/register", h.register)
	r.Post("/auth/token", h.token)
	r.Post("/auth/refresh", h.refresh)
	r.Post("/auth/revoke", h.revoke)
	r.Get("/auth/verify", h.verify)
	r.Get("/me", h.me)
	r.Post("/pastes", h.createPaste)
	r.Get("/pastes", h.listPastes)
	r.Get("/pastes/:id", h.getPaste)
	r.Patch("/pastes/:id", h.updatePaste)
	r.Delete("/pastes/:id", h.deletePaste)
	r.Post("/pastes/:id/fork", h.forkPaste)
	r.Get("/pastes/:id/share-links", h.listShareLinks)
	r.Post("/pastes/:id/share-links", h.createShareLink)
	r.Delete("/pastes/:id/share-links/:token", h.deleteShareLink)
	r.Get("/shared/:token", h.getShared)
	r.Post("/shared/:token/fork", h.forkShared)
	h.registerCommunity(r)
	h.registerSearch(r)
	h.registerAdmin(r)
	h.registerRevisions(r)
	r.All("/*", func(*fiber.Ctx) error { return errRoute })
}

// link returns an absolute URL on the site for path.
func (h *handler) link(path string) string {
	u := *h.BaseURL
	u.Path = path
	return u.String()
}
