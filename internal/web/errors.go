package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/api"
	"pastel/internal/paste"
	"pastel/views"
)

// errCSRF is a refused cross-site or token-less state change.
var errCSRF = fiber.NewError(fiber.StatusForbidden, "This form has expired or came from another site. Reload the page and try again.")

// handleError is the one place errors become responses. The status comes
// from the API's table (one mapping for the whole app); the surface decides
// the shape: JSON under /api/, an HTMX fragment for htmx requests, a full page
// otherwise. 5xx are logged here, once, with the request ID, and their bodies
// stay generic.
func (a *App) handleError(c *fiber.Ctx, err error) error {
	err = a.methodNotAllowed(c, err)
	status, body := api.Status(err)
	if status >= 500 {
		a.logger(c).Error("request failed", "status", status, "method", c.Method(), "err", err)
	}
	// The response may hold a half-written page: start again.
	c.Response().ResetBody()
	a.securityHeaders(c)
	if errors.Is(err, paste.ErrPasswordRequired) {
		if back := promptFor(c); back != "" {
			return a.passwordPrompt(c, fiber.StatusUnauthorized, back, "")
		}
		api.WriteError(c, err) // raw, dl, embed: the API's 401, like the API
		return nil
	}
	if strings.HasPrefix(c.Path(), "/api/") {
		api.WriteError(c, err)
		return nil
	}
	if status == fiber.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, "5")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	ev := views.ErrorView{Status: status, Title: http.StatusText(status), Message: pageMessage(status, body.Message, err)}
	if isHTMX(c) {
		return a.render(c, status, views.ErrorFragment(ev))
	}
	return a.render(c, status, views.ErrorPage(a.page(c, ev.Title), ev))
}

func pageMessage(status int, apiMsg string, err error) string {
	var ferr *fiber.Error
	switch {
	case status == fiber.StatusNotFound:
		return "There is nothing here. The paste may have expired, been deleted or read once, or it never existed."
	case status == fiber.StatusRequestEntityTooLarge:
		return "That is larger than this server accepts."
	case status == fiber.StatusServiceUnavailable:
		return "Part of Pastel is not answering right now. Nothing was lost; try again in a moment."
	case status >= 500:
		return "Something went wrong on our side. Try again in a moment."
	case errors.As(err, &ferr):
		return ferr.Message
	}
	return apiMsg
}

func isHTMX(c *fiber.Ctx) bool { return c.Get("HX-Request") == "true" }
