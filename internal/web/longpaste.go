package web

import (
	"bytes"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/render"
)

// pageLines is how many lines a paste page shows before it links to the
// whole paste (?full=1): a 60,000-line paste opens as fast as a short one.
const pageLines = 5000

// firstLines returns the first n lines of b and whether anything was cut.
func firstLines(b []byte, n int) ([]byte, bool) {
	at := 0
	for i := 0; i < n; i++ {
		j := bytes.IndexByte(b[at:], '\n')
		if j < 0 {
			return b, false
		}
		at += j + 1
	}
	if at >= len(b) {
		return b, false // exactly n lines, the last one ended by a newline
	}
	return b[:at], true
}

// renderLines highlights body, only its first pageLines lines unless full;
// a cut body is reported as Truncated, like one over the highlighter's
// limits.
func renderLines(h *render.Highlighter, body []byte, syntax string, full bool) render.Rendered {
	cut := false
	if !full {
		body, cut = firstLines(body, pageLines)
	}
	r := h.Render(body, syntax)
	r.Truncated = r.Truncated || cut
	return r
}

// fullURL is the current page with full=1 added: the whole paste.
func fullURL(c *fiber.Ctx) string {
	q := url.Values{}
	for k, v := range c.Queries() {
		q.Set(k, v)
	}
	q.Set("full", "1")
	return c.Path() + "?" + q.Encode()
}
