package web

import (
	"bytes"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
	"pastel/internal/readcache"
)

// A paste page as an anonymous visitor sees it is the same for every such
// visitor but for two secrets of their own: the CSP nonce and the CSRF
// token. The page is rendered once with stand-ins for both, kept as a
// pageSnapshot with the paste's read-cache entry (so any change to the
// paste, its comments or its owner drops it, on every replica), and each
// later view splices in its own nonce and token.
//
// The stand-ins are random per process and never leave it: every response
// replaces them, so no paste can know them to plant one.
var (
	nonceStandIn = "nonce" + randomToken(24)
	tokenStandIn = "csrf" + randomToken(24)
)

// snapshotTTL bounds how old the relative times on a kept page ("expires
// in 5 minutes") may get.
const snapshotTTL = time.Second

// A page snapshot (readcache.Snapshot) is a rendered page cut at its
// stand-ins: Parts[i] is followed by the secret Holes[i] ('n' nonce, 't'
// token), the last part by nothing.

// snapshotable reports whether the request sees the page every anonymous
// visitor sees: no account, share link, delete cookie, query or htmx.
func (a *App) snapshotable(c *fiber.Ctx, v paste.Viewer) bool {
	return a.deps.Snapshots != nil && !v.SignedIn() && v.Shared == "" &&
		c.Method() == fiber.MethodGet && !isHTMX(c) &&
		len(c.Request().URI().QueryString()) == 0 && c.Cookies(deleteCookie) == ""
}

// freshSnapshot reports whether s still shows p as it is now.
func freshSnapshot(s *readcache.Snapshot, p paste.Paste, now time.Time) bool {
	return s != nil && s.Revision == p.Revision && now.Sub(s.Made) < snapshotTTL
}

// newSnapshot cuts html at the stand-ins.
func newSnapshot(html []byte, revision int32, made time.Time) *readcache.Snapshot {
	s := &readcache.Snapshot{Revision: revision, Made: made}
	nonce, token := []byte(nonceStandIn), []byte(tokenStandIn)
	for {
		n, t := bytes.Index(html, nonce), bytes.Index(html, token)
		switch {
		case n < 0 && t < 0:
			s.Parts = append(s.Parts, html)
			return s
		case t < 0 || (n >= 0 && n < t):
			s.Parts, s.Holes = append(s.Parts, html[:n]), append(s.Holes, 'n')
			html = html[n+len(nonce):]
		default:
			s.Parts, s.Holes = append(s.Parts, html[:t]), append(s.Holes, 't')
			html = html[t+len(token):]
		}
	}
}

// sendSnapshot writes the page with this response's nonce and token.
func sendSnapshot(c *fiber.Ctx, s *readcache.Snapshot) {
	c.Status(fiber.StatusOK)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	w := c.Response().BodyWriter()
	n, t := nonce(c), csrfToken(c)
	for i, part := range s.Parts {
		_, _ = w.Write(part)
		if i < len(s.Holes) {
			if s.Holes[i] == 'n' {
				_, _ = w.Write([]byte(n))
			} else {
				_, _ = w.Write([]byte(t))
			}
		}
	}
}

// renderSnapshot renders comp, built by build with the CSRF stand-in in
// place of the request's token, with the nonce stand-in, and returns it cut.
func (a *App) renderSnapshot(c *fiber.Ctx, revision int32, build func() (templ.Component, error)) (*readcache.Snapshot, error) {
	own := c.Locals(localCSRF)
	c.Locals(localCSRF, &csrfState{value: tokenStandIn})
	comp, err := build()
	c.Locals(localCSRF, own)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := comp.Render(templ.WithNonce(c.UserContext(), nonceStandIn), &buf); err != nil {
		return nil, err
	}
	// A copy of exactly the page's size: the buffer's spare capacity
	// would be kept too, and not counted.
	return newSnapshot(bytes.Clone(buf.Bytes()), revision, time.Now()), nil
}
