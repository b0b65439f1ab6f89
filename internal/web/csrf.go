package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/views"
)

const localCSRF = "csrf_token"

// csrfCookie names the cookie holding the browser's CSRF secret; on https
// the __Host- prefix pins it to this exact origin.
func (a *App) csrfCookie() string {
	if a.opts.BaseURL.Scheme == "https" {
		return "__Host-pastel_csrf"
	}
	return "pastel_csrf"
}

// csrfFor derives the token that forms and htmx send back: an HMAC under
// SESSION_KEY of the browser's CSRF secret (its cookie) and its session
// cookie. A token is therefore bound to the session it was rendered for:
// signing in starts a new session, so every token issued before it stops
// working (rotation), and a token taken from one browser is worthless with
// another's cookies.
func (a *App) csrfFor(secret, session string) string {
	m := hmac.New(sha256.New, a.csrfKey)
	m.Write([]byte("pastel-csrf\x00"))
	m.Write([]byte(secret))
	m.Write([]byte{0})
	m.Write([]byte(session))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrf protects every state-changing browser request: the Origin (or
// Sec-Fetch-Site) must be this site, and the token from the htmx header or
// the request body's form field must be the one derived for this browser's
// cookies. A token in the query string is never read: URLs end up in logs,
// history and Referer headers. Safe methods pass; a page that renders a
// form gets the token (and a secret, if the browser has none) through
// csrfToken. The JSON API is exempt: it uses bearer tokens, never cookies.
func (a *App) csrf(c *fiber.Ctx) error {
	if strings.HasPrefix(c.Path(), "/api/") {
		return c.Next()
	}
	secret := c.Cookies(a.csrfCookie())
	hadSecret := len(secret) >= 20
	st := &csrfState{app: a}
	if hadSecret {
		st.secret = secret
	}
	c.Locals(localCSRF, st)
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if a.routeTable != nil && !a.routeTable.serves(c.Method(), c.Path()) {
		// No handler takes this method here: the router answers 404 or
		// 405, and nothing changes.
		return c.Next()
	}
	if !hadSecret || !a.sameOrigin(c) {
		return errCSRF
	}
	sent := c.Get(views.CSRFHeader)
	if sent == "" {
		sent = bodyFormValue(c, views.CSRFField)
	}
	if !hmac.Equal([]byte(sent), []byte(st.token(c))) {
		return errCSRF
	}
	return c.Next()
}

// csrfState is a request's CSRF secret and token. The token (an HMAC) and,
// for a browser without one, the secret's cookie are made only when a page
// renders a form or a state change is checked: raw views, downloads and
// static files pay for neither.
type csrfState struct {
	app    *App
	secret string
	value  string
}

func (st *csrfState) token(c *fiber.Ctx) string {
	if st.value != "" {
		return st.value
	}
	a := st.app
	if st.secret == "" {
		st.secret = randomToken(24)
		c.Cookie(&fiber.Cookie{
			Name: a.csrfCookie(), Value: st.secret, Path: "/", HTTPOnly: true,
			Secure: a.opts.BaseURL.Scheme == "https", SameSite: fiber.CookieSameSiteLaxMode,
			Expires: time.Now().Add(365 * 24 * time.Hour),
		})
	}
	st.value = a.csrfFor(st.secret, c.Cookies(a.sessionName()))
	return st.value
}

// bodyFormValue returns a field of a urlencoded or multipart request body,
// never of the query string.
func bodyFormValue(c *fiber.Ctx, name string) string {
	if v := c.Request().PostArgs().Peek(name); len(v) > 0 {
		return string(v)
	}
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		return ""
	}
	form, err := c.MultipartForm()
	if err != nil || len(form.Value[name]) == 0 {
		return ""
	}
	return form.Value[name][0]
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

// csrfToken returns the token for the forms of the page being rendered.
func csrfToken(c *fiber.Ctx) string {
	st, ok := c.Locals(localCSRF).(*csrfState)
	if !ok {
		return ""
	}
	return st.token(c)
}
