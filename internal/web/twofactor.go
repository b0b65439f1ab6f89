package web

import (
	"errors"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/account"
	"pastel/internal/api"
	"pastel/internal/paste"
	"pastel/views"
)

// Session values of a sign-in waiting for its second factor: the account
// whose password (or provider) checked out, and when. The browser is not
// signed in meanwhile.
const (
	pendingUserKey = "2fa_user"
	pendingAtKey   = "2fa_at"
	// pendingTTL is how long the code may take after the password.
	pendingTTL = 5 * time.Minute
	// totpIssuer names Pastel in authenticator apps.
	totpIssuer = "Pastel"
)

// registerTwoFactor mounts the second sign-in step and the settings forms.
func (a *App) registerTwoFactor() {
	a.Get("/login/2fa", a.secondFactorPage)
	a.Post("/login/2fa", a.secondFactor)
	a.Post("/settings/2fa/setup", a.totpSetup)
	a.Get("/settings/2fa/qr.svg", a.totpQR)
	a.Post("/settings/2fa/enable", a.totpEnable)
	a.Post("/settings/2fa/disable", a.totpDisable)
}

// finishSignIn signs the account in, or, when it has two-factor sign-in
// on, keeps it pending in the session and asks for the code.
func (a *App) finishSignIn(c *fiber.Ctx, userID int64, next string) error {
	on, err := a.deps.Accounts.TwoFactorEnabled(c.UserContext(), userID)
	if err != nil {
		return err
	}
	if !on {
		if err := a.signIn(c, userID); err != nil {
			return err
		}
		return redirect(c, next)
	}
	s, err := a.session(c)
	if err != nil {
		return err
	}
	s.Values[pendingUserKey] = userID
	s.Values[pendingAtKey] = time.Now().Unix()
	if err := a.saveSession(c, s); err != nil {
		return err
	}
	return redirect(c, "/login/2fa?next="+url.QueryEscape(next))
}

// pendingUser is the account waiting for its code, 0 when none (or too
// late).
func (a *App) pendingUser(c *fiber.Ctx) (int64, error) {
	if c.Cookies(a.sessionName()) == "" {
		return 0, nil
	}
	s, err := a.session(c)
	if err != nil {
		return 0, err
	}
	uid, _ := s.Values[pendingUserKey].(int64)
	at, _ := s.Values[pendingAtKey].(int64)
	if uid == 0 || time.Since(time.Unix(at, 0)) > pendingTTL {
		return 0, nil
	}
	return uid, nil
}

func (a *App) secondFactorPage(c *fiber.Ctx) error {
	uid, err := a.pendingUser(c)
	if err != nil {
		return err
	}
	if uid == 0 {
		return redirect(c, "/login")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, fiber.StatusOK, views.TwoFactorPage(a.page(c, "Two-factor sign-in"), views.TwoFactorForm{Next: safeNext(c.Query("next"))}))
}

func (a *App) secondFactor(c *fiber.Ctx) error {
	uid, err := a.pendingUser(c)
	if err != nil {
		return err
	}
	if uid == 0 {
		return redirect(c, "/login")
	}
	f := views.TwoFactorForm{Next: safeNext(c.FormValue("next")), CSRFToken: csrfToken(c)}
	err = a.deps.Accounts.CheckSecondFactor(c.UserContext(), uid, c.FormValue("code"), clientAddr(c))
	var rl *account.RateLimitError
	switch {
	case errors.As(err, &rl):
		api.SetRetryAfter(c, err)
		f.Errors = map[string]string{"": "Too many wrong codes. Wait a few minutes and try again."}
		return a.render(c, fiber.StatusTooManyRequests, views.TwoFactorPage(a.page(c, "Two-factor sign-in"), f))
	case errors.Is(err, account.ErrOTPWrong) || errors.Is(err, account.ErrOTPRequired):
		f.Errors = map[string]string{"code": "is not the current code or an unused recovery code"}
		return a.render(c, fiber.StatusUnprocessableEntity, views.TwoFactorPage(a.page(c, "Two-factor sign-in"), f))
	case err != nil:
		return err
	}
	// signIn starts a new session: the pending values go with the old one.
	if err := a.signIn(c, uid); err != nil {
		return err
	}
	return redirect(c, f.Next)
}

func (a *App) totpSetup(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	if _, _, err := a.deps.Accounts.BeginTOTP(c.UserContext(), v.UserID, totpIssuer); err != nil {
		return err
	}
	return redirect(c, "/settings#two-factor")
}

// totpQR draws the pending secret's otpauth:// URL; it is the owner's
// only, never cached.
func (a *App) totpQR(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	_, u, err := a.deps.Accounts.PendingTOTP(c.UserContext(), v.UserID, totpIssuer)
	if err != nil {
		return err
	}
	svg, err := qrSVG(u)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml")
	c.Set("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(svg)
}

func (a *App) totpEnable(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	codes, err := a.deps.Accounts.EnableTOTP(c.UserContext(), v.UserID, c.FormValue("code"))
	var verr *paste.ValidationError
	if asValidation(err, &verr) {
		return a.renderSettings(c, fiber.StatusUnprocessableEntity, v, func(sv *views.SettingsView) { sv.TwoFactorErrors = verr.Fields })
	}
	if err != nil {
		return err
	}
	// The codes are shown on this answer only (a redirect would have to
	// carry them).
	return a.renderSettings(c, fiber.StatusOK, v, func(sv *views.SettingsView) { sv.RecoveryCodes = codes })
}

func (a *App) totpDisable(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	err = a.deps.Accounts.DisableTOTP(c.UserContext(), v.UserID, c.FormValue("code"), clientAddr(c))
	var verr *paste.ValidationError
	var rl *account.RateLimitError
	switch {
	case asValidation(err, &verr):
		return a.renderSettings(c, fiber.StatusUnprocessableEntity, v, func(sv *views.SettingsView) { sv.TwoFactorErrors = verr.Fields })
	case errors.As(err, &rl):
		api.SetRetryAfter(c, err)
		return a.renderSettings(c, fiber.StatusTooManyRequests, v, func(sv *views.SettingsView) {
			sv.TwoFactorErrors = map[string]string{"code": "too many wrong codes: wait a few minutes"}
		})
	case err != nil:
		return err
	}
	return redirect(c, "/settings#two-factor")
}

// twoFactorView fills the settings page's two-factor section.
func (a *App) twoFactorView(c *fiber.Ctx, userID int64, sv *views.SettingsView) error {
	ctx := c.UserContext()
	sv.TwoFactor = "off"
	on, err := a.deps.Accounts.TwoFactorEnabled(ctx, userID)
	if err != nil {
		return err
	}
	if on {
		sv.TwoFactor = "on"
		sv.RecoveryLeft, err = a.deps.Accounts.RecoveryCodesLeft(ctx, userID)
		return err
	}
	secret, _, err := a.deps.Accounts.PendingTOTP(ctx, userID, totpIssuer)
	switch {
	case errors.Is(err, paste.ErrNotFound):
		return nil
	case err != nil:
		return err
	}
	sv.TwoFactor, sv.TOTPSecret = "pending", secret
	return nil
}
