package web

import (
	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
	"pastel/views"
)

// headerRobots asks search engines not to index a response (unlisted
// pastes); robots.txt keeps them off raw bodies and share links.
const headerRobots = "X-Robots-Tag"

// robotsTxt keeps crawlers off raw bodies, downloads, share links, the API
// and per-person pages. Pages themselves are crawlable; unlisted pastes say
// noindex on their own.
const robotsTxt = `User-agent: *
Disallow: /raw/
Disallow: /dl/
Disallow: /s/
Disallow: /api/v1/
Disallow: /search
Disallow: /draft
Disallow: /settings
Disallow: /stars
Disallow: /admin
`

// registerFeeds mounts robots.txt. The Atom feeds themselves are mounted
// with the community routes (/explore/feed.atom, /u/{name}/feed.atom).
func (a *App) registerFeeds() {
	a.Get("/robots.txt", a.robots)
}

func (a *App) robots(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.SendString(robotsTxt)
}

// feedSummary is an Atom entry's text: syntax and size, then the paste's
// first lines when lists may show them (never for private or burn pastes).
func (a *App) feedSummary(p paste.Paste) string {
	s := a.deps.Syntaxes.Label(p.Syntax) + ", " + views.HumanBytes(p.Size)
	if pv := p.ListPreview(); pv != "" {
		s += "\n\n" + pv
	}
	return s
}
