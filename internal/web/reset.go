package web

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/account"
	"pastel/internal/paste"
	"pastel/views"
)

// registerReset mounts password reset links, and the e-mail request when
// a mailer is configured.
func (a *App) registerReset() {
	a.Get("/reset/:token", a.resetPage)
	a.Post("/reset/:token", a.resetPassword)
	if a.deps.Mailer != nil {
		a.Get("/forgot", a.forgotPage)
		a.Post("/forgot", a.limitRegistration, a.forgot)
	}
}

// ResetURL is the page a reset token opens.
func ResetURL(base, token string) string { return base + "/reset/" + token }

func resetHeaders(c *fiber.Ctx) {
	// The link is a secret: out of caches and Referer headers.
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
}

func (a *App) resetPage(c *fiber.Ctx) error {
	resetHeaders(c)
	token := c.Params("token")
	u, err := a.deps.Accounts.ResetLinkUser(c.UserContext(), token)
	if errors.Is(err, paste.ErrNotFound) {
		return a.render(c, fiber.StatusNotFound, views.ResetPage(a.page(c, "Choose a new password"), views.ResetView{Problem: true}))
	}
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.ResetPage(a.page(c, "Choose a new password"), views.ResetView{Token: token, Username: u.Username}))
}

func (a *App) resetPassword(c *fiber.Ctx) error {
	resetHeaders(c)
	token := c.Params("token")
	u, err := a.deps.Accounts.ResetPassword(c.UserContext(), token, c.FormValue("new_password"))
	var verr *paste.ValidationError
	switch {
	case errors.Is(err, paste.ErrNotFound):
		return a.render(c, fiber.StatusNotFound, views.ResetPage(a.page(c, "Choose a new password"), views.ResetView{Problem: true}))
	case asValidation(err, &verr):
		name := ""
		if lu, lerr := a.deps.Accounts.ResetLinkUser(c.UserContext(), token); lerr == nil {
			name = lu.Username
		}
		return a.render(c, fiber.StatusUnprocessableEntity, views.ResetPage(a.page(c, "Choose a new password"), views.ResetView{Token: token, Username: name, Errors: verr.Fields}))
	case err != nil:
		return err
	}
	// Every session of the account has ended, this browser's too if it
	// had one: sign in afresh with the new password.
	if err := a.dropSession(c); err != nil {
		return err
	}
	a.flash(c, "password_reset")
	return redirect(c, "/login?next=/u/"+u.Username)
}

func (a *App) forgotPage(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, fiber.StatusOK, views.ForgotPage(a.page(c, "Forgot your password"), views.ForgotView{}))
}

// forgot answers the same whether or not an account has the address, and
// at once: the link is made and sent after the answer, so neither the
// words nor the time tell.
func (a *App) forgot(c *fiber.Ctx) error {
	// The address outlives the request (the mail goes out after the
	// answer): a copy of its own, whatever the app's Immutable setting.
	email := strings.Clone(c.FormValue("email"))
	if msg := account.CheckEmail(email); msg != "" || email == "" {
		if email == "" {
			msg = "must not be empty"
		}
		return a.render(c, fiber.StatusUnprocessableEntity, views.ForgotPage(a.page(c, "Forgot your password"), views.ForgotView{Email: email, Errors: map[string]string{"email": msg}}))
	}
	base := a.opts.BaseURL.String()
	log := a.logger(c)
	ctx := context.WithoutCancel(c.UserContext())
	go func() {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		err := a.deps.Accounts.RequestResetByEmail(ctx, a.deps.Mailer, func(t string) string { return ResetURL(base, t) }, email)
		if err != nil {
			log.Warn("password reset e-mail not sent", "err", err)
		}
	}()
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, fiber.StatusOK, views.ForgotPage(a.page(c, "Forgot your password"), views.ForgotView{Sent: true}))
}

// adminResetLink makes a one-use reset link for a user and shows it once.
func (a *App) adminResetLink(c *fiber.Ctx) error {
	admin, err := adminViewer(c)
	if err != nil {
		return err
	}
	token, u, err := a.deps.Accounts.CreateResetLink(c.UserContext(), c.Params("username"), admin.UserID, 0)
	if err != nil {
		return err
	}
	page, err := a.deps.Admin.Users(c.UserContext(), admin, u.Username, "", "", 50)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, views.AdminView{
		Tab: "users", Users: page.Items, NextCursor: page.NextCursor, Query: u.Username,
		NewResetURL: ResetURL(a.opts.BaseURL.String(), token), ResetFor: u.Username,
	})
}
