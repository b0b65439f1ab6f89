package web

import (
	"github.com/gofiber/fiber/v2"

	"pastel/internal/account"
	"pastel/internal/paste"
	"pastel/views"
)

// settingsView gathers the settings page for the signed-in user.
func (a *App) settingsView(c *fiber.Ctx, v paste.Viewer) (views.SettingsView, error) {
	ctx := c.UserContext()
	u, err := a.deps.Accounts.UserByID(ctx, v.UserID)
	if err != nil {
		return views.SettingsView{}, err
	}
	s, err := a.session(c)
	if err != nil {
		return views.SettingsView{}, err
	}
	list, err := a.deps.Accounts.Sessions(ctx, v.UserID, sessionHash(s))
	if err != nil {
		return views.SettingsView{}, err
	}
	tokens, err := a.deps.Accounts.APITokens(ctx, v.UserID)
	if err != nil {
		return views.SettingsView{}, err
	}
	sv := views.SettingsView{Username: u.Username, Email: u.Email, JoinedAt: u.CreatedAt, NoPassword: u.PasswordHash == ""}
	if err := a.twoFactorView(c, v.UserID, &sv); err != nil {
		return views.SettingsView{}, err
	}
	for _, s := range list {
		sv.Sessions = append(sv.Sessions, views.SessionView{
			ID: s.ID, UserAgent: s.UserAgent, IP: s.IP, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, Current: s.Current,
		})
	}
	for _, t := range tokens {
		sv.Tokens = append(sv.Tokens, views.APITokenView{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt})
	}
	return sv, nil
}

func (a *App) renderSettings(c *fiber.Ctx, status int, v paste.Viewer, edit func(*views.SettingsView)) error {
	sv, err := a.settingsView(c, v)
	if err != nil {
		return err
	}
	if edit != nil {
		edit(&sv)
	}
	p := a.page(c, "Settings")
	p.Nav = "settings"
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, status, views.SettingsPage(p, sv))
}

func (a *App) settings(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	return a.renderSettings(c, fiber.StatusOK, v, func(sv *views.SettingsView) {
		sv.PasswordChanged = c.Query("password") == "changed"
	})
}

// changePassword ends every other session and token; this browser stays
// signed in.
func (a *App) changePassword(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	s, err := a.session(c)
	if err != nil {
		return err
	}
	err = a.deps.Accounts.ChangePassword(c.UserContext(), v.UserID, c.FormValue("old_password"), c.FormValue("new_password"), sessionHash(s))
	var verr *paste.ValidationError
	if asValidation(err, &verr) {
		return a.renderSettings(c, fiber.StatusUnprocessableEntity, v, func(sv *views.SettingsView) { sv.PasswordErrors = verr.Fields })
	}
	if err != nil {
		return err
	}
	return redirect(c, "/settings?password=changed")
}

func (a *App) endOtherSessions(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	s, err := a.session(c)
	if err != nil {
		return err
	}
	if err := a.deps.Accounts.EndOtherSessions(c.UserContext(), v.UserID, sessionHash(s)); err != nil {
		return err
	}
	return redirect(c, "/settings")
}

func (a *App) endSession(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	if err := a.deps.Accounts.EndSession(c.UserContext(), v.UserID, c.Params("sid")); err != nil {
		return err
	}
	return redirect(c, "/settings")
}

// createToken answers with the settings page itself rather than a redirect:
// the token is shown this once and never stored in clear.
func (a *App) createToken(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	name := c.FormValue("name")
	token, _, err := a.deps.Accounts.CreateAPIToken(c.UserContext(), v.UserID, name)
	var verr *paste.ValidationError
	if asValidation(err, &verr) {
		return a.renderSettings(c, fiber.StatusUnprocessableEntity, v, func(sv *views.SettingsView) {
			sv.TokenErrors, sv.NewTokenName = verr.Fields, name
		})
	}
	if err != nil {
		return err
	}
	return a.renderSettings(c, fiber.StatusOK, v, func(sv *views.SettingsView) { sv.NewToken, sv.NewTokenName = token, name })
}

func (a *App) revokeToken(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	id, err := account.ParseID(c.Params("tid"))
	if err != nil {
		return err
	}
	if err := a.deps.Accounts.RevokeAPIToken(c.UserContext(), v.UserID, id); err != nil {
		return err
	}
	return redirect(c, "/settings")
}
