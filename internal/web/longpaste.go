package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"
)

// A page shows the first render.PageLines lines of a long paste and links
// to all of it: fullURL.

// fullURL is the current page with full=1 added: the whole paste.
func fullURL(c *fiber.Ctx) string {
	q := url.Values{}
	for k, v := range c.Queries() {
		q.Set(k, v)
	}
	q.Set("full", "1")
	return c.Path() + "?" + q.Encode()
}
