package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/api"
	"pastel/views"
)

// registerAPIDocs mounts the human-readable API page.
func (a *App) registerAPIDocs() {
	a.Get("/api", a.apiDocs)
}

// apiDocs shows the API with curl examples for this server's BASE_URL and
// the routes from the OpenAPI document, so the page lists what is served.
func (a *App) apiDocs(c *fiber.Ctx) error {
	v := views.APIDocsView{Base: strings.TrimSuffix(a.opts.BaseURL.String(), "/")}
	for _, r := range api.Routes() {
		v.Routes = append(v.Routes, views.APIRoute{Method: r.Method, Path: r.Path, Summary: r.Summary, Auth: r.Auth})
	}
	return a.render(c, fiber.StatusOK, views.APIDocsPage(a.page(c, "API"), v))
}
