package web

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/api"
	"pastel/internal/paste"
	"pastel/views"
)

// Password pastes on the web (issue 16): a page asks for the password
// (PasswordPromptPage, 401); a right one is remembered in the browser's
// session as paste.UnlockToken (scoped to the paste, never the password);
// raw, dl and embed answer the API's JSON 401 and take X-Paste-Password
// (set on the context by requestContext) like the API. An unlock lasts
// unlockLifetime (12 hours) or until the password changes.

// unlockKey is the session value holding the unlock of paste id: the
// token and when it was given (unix seconds), "token.1733400000".
func unlockKey(id paste.ID) string { return "unlock:" + string(id) }

// unlockLifetime bounds an unlock: the session cookie lasts weeks, an
// unlock one sitting.
const unlockLifetime = 12 * time.Hour

// keptUnlock returns the token of a kept unlock still within its lifetime.
func keptUnlock(v string, now time.Time) string {
	tok, at, ok := strings.Cut(v, ".")
	sec, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || now.Sub(time.Unix(sec, 0)) > unlockLifetime {
		return ""
	}
	return tok
}

// loadUnlocks gives the read rule the unlocks this browser's session holds.
// The session is loaded only when a password paste is read.
func (a *App) loadUnlocks(c *fiber.Ctx) error {
	c.SetUserContext(paste.WithUnlocks(c.UserContext(), func(id paste.ID) string {
		if c.Cookies(a.sessionName()) == "" {
			return ""
		}
		s, err := a.session(c)
		if err != nil {
			return ""
		}
		v, _ := s.Values[unlockKey(id)].(string)
		return keptUnlock(v, time.Now())
	}))
	return c.Next()
}

// unlockPaste takes the password form of /{id}.
func (a *App) unlockPaste(c *fiber.Ctx) error {
	id := paste.ID(c.Params("id"))
	return a.unlock(c, id, "/"+string(id))
}

// unlockShared takes the password form of /s/{token}.
func (a *App) unlockShared(c *fiber.Ctx) error {
	// Giving the password is no read: it takes none of the link's views.
	ctx := c.UserContext()
	v, id, err := a.deps.Pastes.Shared(ctx, paste.ViewerFrom(ctx), c.Params("token"), false)
	if err != nil {
		return err
	}
	c.SetUserContext(paste.WithViewer(ctx, v))
	return a.unlock(c, id, "/s/"+c.Params("token"))
}

// unlock checks the form's password; a right one is kept in the session
// and the reader goes back to the page (303), a wrong one shows the form
// again with 401 (429 once the guesses are spent).
func (a *App) unlock(c *fiber.Ctx, id paste.ID, back string) error {
	ctx := c.UserContext()
	tok, err := a.deps.Pastes.Unlock(ctx, paste.ViewerFrom(ctx), id, c.FormValue("password"))
	var gl *paste.GuessLimitError
	switch {
	case errors.Is(err, paste.ErrPasswordRequired):
		msg := "Enter the paste's password."
		if errors.Is(err, paste.ErrWrongPassword) {
			msg = "That password is not right. Try again."
		}
		return a.passwordPrompt(c, fiber.StatusUnauthorized, back, msg)
	case errors.As(err, &gl):
		api.SetRetryAfter(c, err)
		return a.passwordPrompt(c, fiber.StatusTooManyRequests, back, "Too many wrong passwords. Wait a minute and try again.")
	case err != nil:
		return err
	}
	if tok != "" {
		s, err := a.session(c)
		if err != nil {
			return err
		}
		s.Values[unlockKey(id)] = tok + "." + strconv.FormatInt(time.Now().Unix(), 10)
		if err := a.saveSession(c, s); err != nil {
			return err
		}
	}
	return redirect(c, back)
}

// passwordPrompt renders the password form posting to back + "/unlock".
func (a *App) passwordPrompt(c *fiber.Ctx, status int, back, msg string) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(headerRobots, "noindex")
	f := views.PasswordPrompt{Action: back + "/unlock", Error: msg, CSRFToken: csrfToken(c)}
	return a.render(c, status, views.PasswordPromptPage(a.page(c, "Password needed"), f))
}

// promptFor is the page path whose password form answers a request that
// hit a password paste, "" when the request is not for such a page (raw,
// downloads, embeds, fragments: they answer the JSON 401).
func promptFor(c *fiber.Ctx) string {
	if c.Method() != fiber.MethodGet || isHTMX(c) {
		return ""
	}
	path := c.Path()
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) == 1 && paste.ValidID(parts[0]):
		return path
	case len(parts) == 2 && parts[0] == "s":
		return path
	}
	return ""
}
