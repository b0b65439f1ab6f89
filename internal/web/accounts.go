package web

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/sessions"

	"pastel/internal/account"
	"pastel/internal/api"
	"pastel/internal/paste"
	"pastel/views"
)

// loadViewer turns the browser session into the request's viewer. Requests
// without a session cookie cost nothing here. A session whose account is
// gone or disabled is treated as signed out.
func (a *App) loadViewer(c *fiber.Ctx) error {
	if c.Cookies(a.sessionName()) == "" {
		return c.Next()
	}
	s, err := a.session(c)
	if err != nil {
		return err
	}
	uid, _ := s.Values[account.SessionUserKey].(int64)
	if uid == 0 {
		return c.Next()
	}
	u, err := a.deps.Accounts.UserByID(c.UserContext(), uid)
	if errors.Is(err, paste.ErrNotFound) {
		return c.Next()
	}
	if err != nil {
		return err
	}
	c.SetUserContext(paste.WithViewer(c.UserContext(), u.Viewer()))
	return c.Next()
}

// signIn starts a new session for the user: the old session (and its ID)
// is deleted first, so an ID planted before sign-in is worthless after.
func (a *App) signIn(c *fiber.Ctx, userID int64) error {
	old, err := a.session(c)
	if err != nil {
		return err
	}
	if old.ID != "" {
		old.Options.MaxAge = -1
		if err := a.saveSession(c, old); err != nil {
			return err
		}
	}
	s := sessions.NewSession(a.deps.Sessions, a.sessionName())
	s.Options = a.deps.Sessions.Options()
	s.IsNew = true
	s.Values[account.SessionUserKey] = userID
	return a.saveSession(c, s)
}

// safeNext keeps a ?next= target only when it is a path on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\\\r\n\t\x00") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	// Return what was checked, not a re-encoding of it: re-encoding
	// "/%2F x" gives "//%20x", a protocol-relative URL to another host.
	return next
}

func (a *App) authForm(c *fiber.Ctx, mode string) views.AuthForm {
	f := views.AuthForm{
		Mode: mode, Next: safeNext(c.Query("next", c.FormValue("next"))), CSRFToken: csrfToken(c),
		Registration: string(a.deps.Accounts.Registration()),
		CanReset:     a.deps.Mailer != nil,
	}
	if a.registration() == account.RegistrationInvite {
		f.Invite = c.Query("invite", c.FormValue("invite"))
	}
	a.offerOIDC(&f)
	return f
}

func (a *App) registration() account.Registration { return a.deps.Accounts.Registration() }

func (a *App) loginPage(c *fiber.Ctx) error {
	if paste.ViewerFrom(c.UserContext()).SignedIn() {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	p := a.page(c, "Sign in")
	return a.render(c, fiber.StatusOK, views.LoginPage(p, a.authForm(c, "login")))
}

func (a *App) registerPage(c *fiber.Ctx) error {
	if paste.ViewerFrom(c.UserContext()).SignedIn() {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	p := a.page(c, "Create an account")
	f := a.authForm(c, "register")
	if a.registration() == account.RegistrationInvite {
		ok, err := a.deps.Accounts.InviteUsable(c.UserContext(), f.Invite)
		if err != nil {
			return err
		}
		switch {
		case f.Invite == "":
			f.InviteProblem = "missing"
		case !ok:
			f.InviteProblem = "unusable"
		}
	}
	// An invite link is a secret: it stays out of Referer headers and
	// caches.
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	return a.render(c, fiber.StatusOK, views.RegisterPage(p, f))
}

// authFailed re-renders a login or register form with its errors.
func (a *App) authFailed(c *fiber.Ctx, status int, f views.AuthForm) error {
	if f.Mode == "register" {
		if isHTMX(c) {
			return a.render(c, status, views.RegisterFormFragment(f))
		}
		return a.render(c, status, views.RegisterPage(a.page(c, "Create an account"), f))
	}
	if isHTMX(c) {
		return a.render(c, status, views.LoginFormFragment(f))
	}
	return a.render(c, status, views.LoginPage(a.page(c, "Sign in"), f))
}

func (a *App) login(c *fiber.Ctx) error {
	f := a.authForm(c, "login")
	f.Username = c.FormValue("username")
	u, err := a.deps.Accounts.Authenticate(c.UserContext(), f.Username, c.FormValue("password"), clientAddr(c))
	var rl *account.RateLimitError
	switch {
	case errors.Is(err, account.ErrBadCredentials):
		f.Errors = map[string]string{"": "Wrong username or password."}
		return a.authFailed(c, fiber.StatusUnprocessableEntity, f)
	case errors.As(err, &rl):
		api.SetRetryAfter(c, err)
		f.Errors = map[string]string{"": "Too many sign-in attempts. Wait a few minutes and try again."}
		return a.authFailed(c, fiber.StatusTooManyRequests, f)
	case err != nil:
		return err
	}
	return a.finishSignIn(c, u.ID, f.Next)
}

func (a *App) register(c *fiber.Ctx) error {
	f := a.authForm(c, "register")
	f.Username, f.Email = c.FormValue("username"), c.FormValue("email")
	u, err := a.deps.Accounts.SignUp(c.UserContext(), account.SignUp{
		Username: f.Username, Email: f.Email, Password: c.FormValue("password"), Invite: f.Invite,
	})
	var verr *paste.ValidationError
	var refused *account.RefusedError
	switch {
	case errors.As(err, &refused):
		// The page says why in place of the form (closed, or no invite).
		if refused == account.ErrInviteRequired {
			f.InviteProblem = "missing"
		}
		if isHTMX(c) {
			return a.render(c, fiber.StatusForbidden, views.ErrorFragment(views.ErrorView{Status: fiber.StatusForbidden, Title: "Forbidden", Message: refusedMessage(refused)}))
		}
		return a.render(c, fiber.StatusForbidden, views.RegisterPage(a.page(c, "Create an account"), f))
	case asValidation(err, &verr):
		f.Errors = verr.Fields
		return a.authFailed(c, fiber.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	if err := a.signIn(c, u.ID); err != nil {
		return err
	}
	a.flash(c, "registered")
	return redirect(c, f.Next)
}

// refusedMessage says in a sentence why a sign-up was refused.
func refusedMessage(err *account.RefusedError) string {
	if err == account.ErrInviteRequired {
		return "New accounts need an invite link from an admin of this site."
	}
	return "This site is not taking new accounts."
}

// logout signs out and returns to the page the button was pressed on
// (the form's next), with a notice.
func (a *App) logout(c *fiber.Ctx) error {
	if err := a.dropSession(c); err != nil {
		return err
	}
	a.flash(c, "signed_out")
	return redirect(c, afterSignOut(c.FormValue("next")))
}

// dropSession deletes the browser's session row, if any, and clears its
// cookie.
func (a *App) dropSession(c *fiber.Ctx) error {
	s, err := a.session(c)
	if err != nil {
		return err
	}
	if s.ID == "" {
		return nil
	}
	s.Options.MaxAge = -1
	return a.saveSession(c, s)
}

// requireUser sends anonymous visitors to the sign-in page and back.
func (a *App) requireUser(c *fiber.Ctx) (paste.Viewer, bool, error) {
	v := paste.ViewerFrom(c.UserContext())
	if v.SignedIn() {
		return v, true, nil
	}
	return v, false, redirect(c, "/login?next="+url.QueryEscape(c.OriginalURL()))
}

func (a *App) userPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	u, err := a.deps.Accounts.UserByUsername(ctx, c.Params("username"))
	if err != nil {
		return err
	}
	page, err := a.deps.Pastes.ListOwned(ctx, v, u.ID, c.Query("cursor"), 30)
	if err != nil {
		return err
	}
	stars, err := a.userStats(c, u.ID)
	if err != nil {
		return err
	}
	var languages []paste.LanguageCount
	var tags []paste.TagCount
	if a.deps.Pastes.HasCommunity() {
		if languages, err = a.deps.Pastes.UserLanguages(ctx, u.ID); err != nil {
			return err
		}
		if tags, err = a.deps.Pastes.UserTags(ctx, u.ID); err != nil {
			return err
		}
	}
	p := a.page(c, u.Username)
	self := v.UserID == u.ID
	if self {
		p.Nav = "mine"
	}
	return a.render(c, fiber.StatusOK, views.UserPage(p, views.UserView{
		Username: u.Username, JoinedAt: u.CreatedAt, IsSelf: self, Items: page.Items, NextCursor: page.NextCursor, Stars: stars,
		Languages: languages, Tags: tags,
	}))
}
