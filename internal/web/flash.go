package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// One-shot cookies carry what a page shows once after a redirect (Post/
// Redirect/Get): a flash code, the "Created" notice, a new share link. They
// hold codes or the viewer's own secrets, never text to display.
const (
	flashCookie    = "pastel_flash"     // a code from flashMessages, path /
	createdCookie  = "pastel_created"   // "1", path /{id}: the creator's first view
	newShareCookie = "pastel_new_share" // a share token just made, path /{id}
)

// flashMessages are the messages a flash cookie may name.
var flashMessages = map[string]string{
	"deleted":        "The paste was deleted.",
	"signed_out":     "You are signed out.",
	"registered":     "Welcome to Pastel. Your account is ready, and you are signed in.",
	"password_reset": "Your password was changed and every session signed out. Sign in with the new one.",
}

// setOnce sets a one-shot cookie for path that lives a few minutes at most.
func (a *App) setOnce(c *fiber.Ctx, name, value, path string) {
	c.Cookie(&fiber.Cookie{
		Name: name, Value: value, Path: path, MaxAge: 300, Expires: time.Now().Add(5 * time.Minute),
		HTTPOnly: true, Secure: a.opts.BaseURL.Scheme == "https", SameSite: fiber.CookieSameSiteLaxMode,
	})
}

// takeOnce returns a one-shot cookie's value and clears it. htmx requests
// leave it for the full page it was meant for.
func (a *App) takeOnce(c *fiber.Ctx, name, path string) string {
	v := c.Cookies(name)
	if v == "" || isHTMX(c) {
		return ""
	}
	c.Cookie(&fiber.Cookie{
		Name: name, Path: path, MaxAge: -1, Expires: time.Unix(0, 0),
		HTTPOnly: true, Secure: a.opts.BaseURL.Scheme == "https", SameSite: fiber.CookieSameSiteLaxMode,
	})
	return v
}

// flash sets the message the next page shows.
func (a *App) flash(c *fiber.Ctx, code string) {
	a.setOnce(c, flashCookie, code, "/")
}

// takeFlash returns the pending flash message, if any, and clears it.
func (a *App) takeFlash(c *fiber.Ctx) string {
	if c.Cookies(flashCookie) == "" {
		return ""
	}
	return flashMessages[a.takeOnce(c, flashCookie, "/")]
}

// afterSignOut is where signing out returns to: the page it was pressed
// on, unless that page needs an account.
func afterSignOut(next string) string {
	next = safeNext(next)
	path, _, _ := strings.Cut(next, "?")
	for _, p := range []string{"/settings", "/stars", "/admin"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return "/"
		}
	}
	return next
}

// pageFlash is the page's one-off message: a fixed query value's
// (flashFor), else the flash cookie's.
func (a *App) pageFlash(c *fiber.Ctx) string {
	if m := flashFor(c); m != "" {
		return m
	}
	return a.takeFlash(c)
}
