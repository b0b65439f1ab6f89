package web

import (
	"crypto/subtle"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/views"
)

const localCSRF = "csrf_token"

// csrfCookie names the cookie holding the CSRF token; on https the __Host-
// prefix pins it to this exact origin.
func (a *App) csrfCookie() string {
	if a.opts.BaseURL.Scheme == "https" {
		return "__Host-pastel_csrf"
	}
	return "pastel_csrf"
}

// csrf protects every state-changing browser request: the Origin (or
// Sec-Fetch-Site) must be this site, and the token from the hidden form field
// or the htmx header must match the cookie's. Safe methods only make sure a
// token exists for the forms they render. The JSON API is exempt: it uses
// bearer tokens, never cookies.
func (a *App) csrf(c *fiber.Ctx) error {
	if strings.HasPrefix(c.Path(), "/api/") {
		return c.Next()
	}
	token := c.Cookies(a.csrfCookie())
	if len(token) < 20 {
		token = randomToken(24)
		c.Cookie(&fiber.Cookie{
			Name: a.csrfCookie(), Value: token, Path: "/", HTTPOnly: true,
			Secure: a.opts.BaseURL.Scheme == "https", SameSite: fiber.CookieSameSiteLaxMode,
			Expires: time.Now().Add(365 * 24 * time.Hour),
		})
	}
	c.Locals(localCSRF, token)
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if !a.sameOrigin(c) {
		return errCSRF
	}
	sent := c.Get(views.CSRFHeader)
	if sent == "" {
		sent = c.FormValue(views.CSRFField)
	}
	if subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 || c.Cookies(a.csrfCookie()) == "" {
		return errCSRF
	}
	return c.Next()
}

// sameOrigin checks the browser's own statement of where the request comes
// from. Requests with neither header (old clients, curl) fall back on the
// token alone.
func (a *App) sameOrigin(c *fiber.Ctx) bool {
	switch c.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Scheme == a.opts.BaseURL.Scheme && u.Host == a.opts.BaseURL.Host
}

func csrfToken(c *fiber.Ctx) string {
	s, _ := c.Locals(localCSRF).(string)
	return s
}
