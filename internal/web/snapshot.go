package web

import (
	"bytes"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
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

// pageSnapshot is a rendered page cut at its stand-ins: parts[i] is
// followed by the secret holes[i] ('n' nonce, 't' token), the last part by
// nothing.
type pageSnapshot struct {
	revision int32
	made     time.Time
	parts    [][]byte
	holes    []byte
	size     int // bytes held
}

// snapshotable reports whether the request sees the page every anonymous
// visitor sees: no account, share link, delete cookie, query or htmx.
func (a *App) snapshotable(c *fiber.Ctx, v paste.Viewer) bool {
	return a.deps.Snapshots != nil && !v.SignedIn() && v.Shared == "" &&
		c.Method() == fiber.MethodGet && !isHTMX(c) &&
		len(c.Request().URI().QueryString()) == 0 && c.Cookies(deleteCookie) == ""
}

func (s *pageSnapshot) fresh(p paste.Paste, now time.Time) bool {
	return s.revision == p.Revision && now.Sub(s.made) < snapshotTTL
}

// newSnapshot cuts html at the stand-ins.
func newSnapshot(html []byte, revision int32, made time.Time) *pageSnapshot {
	s := &pageSnapshot{revision: revision, made: made, size: len(html)}
	nonce, token := []byte(nonceStandIn), []byte(tokenStandIn)
	for {
		n, t := bytes.Index(html, nonce), bytes.Index(html, token)
		switch {
		case n < 0 && t < 0:
			s.parts = append(s.parts, html)
			return s
		case t < 0 || (n >= 0 && n < t):
			s.parts, s.holes = append(s.parts, html[:n]), append(s.holes, 'n')
			html = html[n+len(nonce):]
		default:
			s.parts, s.holes = append(s.parts, html[:t]), append(s.holes, 't')
			html = html[t+len(token):]
		}
	}
}

// send writes the page with this response's nonce and token.
func (s *pageSnapshot) send(c *fiber.Ctx) {
	c.Status(fiber.StatusOK)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	w := c.Response().BodyWriter()
	n, t := nonce(c), csrfToken(c)
	for i, part := range s.parts {
		_, _ = w.Write(part)
		if i < len(s.holes) {
			if s.holes[i] == 'n' {
				_, _ = w.Write([]byte(n))
			} else {
				_, _ = w.Write([]byte(t))
			}
		}
	}
}

// renderSnapshot renders comp, built by build with the CSRF stand-in in
// place of the request's token, with the nonce stand-in, and returns it cut.
func (a *App) renderSnapshot(c *fiber.Ctx, revision int32, build func() (templ.Component, error)) (*pageSnapshot, error) {
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
