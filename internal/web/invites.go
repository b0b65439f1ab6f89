package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/account"
	"pastel/internal/paste"
	"pastel/views"
)

// invitesShown is how many of the newest invites /admin/invites lists.
const invitesShown = 100

// inviteTTLs are the lifetimes the admin form offers.
var inviteTTLs = map[string]time.Duration{
	"1d": 24 * time.Hour, "7d": 7 * 24 * time.Hour, "30d": 30 * 24 * time.Hour,
}

// InviteURL is the registration link an invite token opens.
func InviteURL(base, token string) string {
	return base + "/register?invite=" + token
}

func (a *App) invitesView(c *fiber.Ctx) (views.AdminView, error) {
	list, err := a.deps.Accounts.Invites(c.UserContext(), invitesShown)
	if err != nil {
		return views.AdminView{}, err
	}
	return views.AdminView{Tab: "invites", Invites: list, Registration: string(a.registration())}, nil
}

func (a *App) adminInvites(c *fiber.Ctx) error {
	if _, err := adminViewer(c); err != nil {
		return err
	}
	v, err := a.invitesView(c)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, v)
}

// adminCreateInvite makes an invite and shows its link once, on the page
// it answers with (a redirect would have to carry the secret).
func (a *App) adminCreateInvite(c *fiber.Ctx) error {
	admin, err := adminViewer(c)
	if err != nil {
		return err
	}
	note := c.FormValue("note")
	ttl, ok := inviteTTLs[c.FormValue("expires_in", "7d")]
	var token string
	if !ok {
		err = paste.FieldError("expires_in", "must be 1d, 7d or 30d")
	} else {
		token, _, err = a.deps.Accounts.CreateInvite(c.UserContext(), admin.UserID, ttl, note)
	}
	var verr *paste.ValidationError
	if asValidation(err, &verr) {
		v, lerr := a.invitesView(c)
		if lerr != nil {
			return lerr
		}
		v.InviteNote, v.InviteErrors = note, verr.Fields
		c.Set(fiber.HeaderCacheControl, "no-store")
		return a.render(c, fiber.StatusUnprocessableEntity, views.AdminPage(a.page(c, "Admin"), v))
	}
	if err != nil {
		return err
	}
	v, err := a.invitesView(c)
	if err != nil {
		return err
	}
	v.NewInviteURL = InviteURL(a.opts.BaseURL.String(), token)
	return a.renderAdmin(c, v)
}

func (a *App) adminRevokeInvite(c *fiber.Ctx) error {
	if _, err := adminViewer(c); err != nil {
		return err
	}
	id, err := account.ParseID(c.Params("iid"))
	if err != nil {
		return err
	}
	if err := a.deps.Accounts.RevokeInvite(c.UserContext(), id); err != nil {
		return err
	}
	return redirect(c, "/admin/invites?done=invite-revoked")
}
