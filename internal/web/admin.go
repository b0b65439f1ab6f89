package web

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/admin"
	"pastel/internal/paste"
	"pastel/views"
)

// registerAdmin mounts account deletion, reports and /admin. Without an
// admin service (some tests) none of it exists.
func (a *App) registerAdmin() {
	if a.deps.Admin == nil {
		return
	}
	a.Post("/settings/delete", a.deleteAccount)
	a.Post("/c/:cid/report", a.limitWrite, a.reportComment)
	a.Post("/:id/report", a.limitWrite, a.reportPaste)
	a.Get("/admin", a.adminUsers)
	a.Get("/admin/reports", a.adminReports)
	a.Get("/admin/log", a.adminLog)
	a.Post("/admin/users/:username/disable", a.adminDisable)
	a.Post("/admin/users/:username/enable", a.adminEnable)
	a.Post("/admin/users/:username/delete", a.adminDeleteUser)
	a.Post("/admin/users/:username/reset-link", a.adminResetLink)
	a.Post("/admin/reports/:rid/resolve", a.adminResolve)
	a.Get("/admin/pastes", a.adminPastes)
	a.Post("/admin/pastes/:id/visibility", a.adminPasteVisibility)
	a.Get("/admin/invites", a.adminInvites)
	a.Post("/admin/invites", a.limitWrite, a.adminCreateInvite)
	a.Post("/admin/invites/:iid/revoke", a.adminRevokeInvite)
	// Anything else under /admin is as unknown as it is to everybody else.
	a.All("/admin/*", func(*fiber.Ctx) error { return paste.ErrNotFound })
}

// Flash messages after a redirect, chosen by a fixed query value so that
// no text travels in the URL.
func flashFor(c *fiber.Ctx) string {
	switch {
	case c.Query("reported") == "1":
		return "Thank you: your report was sent to the moderators."
	case c.Query("reported") == "already":
		return "You have already reported this; a moderator will look at it."
	case c.Query("account") == "deleted":
		return "Your account and everything it owned were deleted."
	}
	return ""
}

// deleteAccount is Settings → "Delete my account".
func (a *App) deleteAccount(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	err = a.deps.Admin.DeleteOwnAccount(c.UserContext(), v, c.FormValue("password"))
	var verr *paste.ValidationError
	if asValidation(err, &verr) {
		if isHTMX(c) {
			sv, err := a.settingsView(c, v)
			if err != nil {
				return err
			}
			sv.DeleteErrors = verr.Fields
			return a.render(c, fiber.StatusUnprocessableEntity, views.DeleteAccountFragment(a.page(c, "Settings"), sv))
		}
		return a.renderSettings(c, fiber.StatusUnprocessableEntity, v, func(sv *views.SettingsView) { sv.DeleteErrors = verr.Fields })
	}
	if err != nil {
		return err
	}
	// The session row is gone already; this clears the cookie.
	if err := a.dropSession(c); err != nil {
		return err
	}
	return redirect(c, "/?account=deleted")
}

func (a *App) reportPaste(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	id := paste.ID(c.Params("id"))
	_, err = a.deps.Admin.Report(c.UserContext(), v, admin.ReportInput{PasteID: id, Reason: c.FormValue("reason"), Details: c.FormValue("details")})
	return a.reported(c, "/"+string(id), "", err)
}

func (a *App) reportComment(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	cid, err := commentID(c)
	if err != nil {
		return err
	}
	cm, err := a.deps.Pastes.Comment(c.UserContext(), v, cid)
	if err != nil {
		return err
	}
	_, err = a.deps.Admin.Report(c.UserContext(), v, admin.ReportInput{CommentID: cid, Reason: c.FormValue("reason"), Details: c.FormValue("details")})
	// Back to the page only when the form says it came from it (cameFrom).
	if back := reportBack(c, cm.PasteID); back != "" {
		return a.reported(c, back, "#"+views.CommentElemID(cid), err)
	}
	return a.reported(c, "/", "", err)
}

// reported sends the reporter back to the item with a notice. A refused
// report (one's own item) says why in words.
func (a *App) reported(c *fiber.Ctx, path, anchor string, err error) error {
	var verr *paste.ValidationError
	switch {
	case errors.As(err, &verr) && verr.Fields["reason"] != "":
		return fiber.NewError(fiber.StatusUnprocessableEntity, verr.Fields["reason"])
	case errors.Is(err, admin.ErrAlreadyReported):
		return redirect(c, path+"?reported=already"+anchor)
	case err != nil:
		return err
	}
	return redirect(c, path+"?reported=1"+anchor)
}

// adminViewer is the admin making the request; everybody else gets the
// site's ordinary 404.
func adminViewer(c *fiber.Ctx) (paste.Viewer, error) {
	v := paste.ViewerFrom(c.UserContext())
	if !v.SignedIn() || !v.IsAdmin {
		return v, paste.ErrNotFound
	}
	return v, nil
}

func (a *App) renderAdmin(c *fiber.Ctx, v views.AdminView) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	switch c.Query("done") {
	case "disable":
		v.Notice = "The account was disabled."
	case "enable":
		v.Notice = "The account was enabled."
	case "delete":
		v.Notice = "The account is being deleted."
	case "dismiss":
		v.Notice = "The report was dismissed."
	case "removed":
		v.Notice = "The reported item was deleted."
	case "visibility":
		v.Notice = "The paste's visibility was changed; the change is in the log."
	case "invite-revoked":
		v.Notice = "The invite was revoked: its link no longer works."
	}
	return a.render(c, fiber.StatusOK, views.AdminPage(a.page(c, "Admin"), v))
}

func (a *App) adminUsers(c *fiber.Ctx) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	page, err := a.deps.Admin.Users(c.UserContext(), v, c.Query("q"), c.Query("sort"), c.Query("cursor"), 50)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, views.AdminView{Tab: "users", Users: page.Items, NextCursor: page.NextCursor, Query: c.Query("q"), Sort: c.Query("sort")})
}

func (a *App) adminReports(c *fiber.Ctx) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	page, err := a.deps.Admin.Reports(c.UserContext(), v, admin.StatusOpen, c.Query("cursor"), 50)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, views.AdminView{Tab: "reports", Reports: page.Items, NextCursor: page.NextCursor})
}

func (a *App) adminLog(c *fiber.Ctx) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	page, err := a.deps.Admin.Actions(c.UserContext(), v, c.Query("cursor"), 50)
	if err != nil {
		return err
	}
	return a.renderAdmin(c, views.AdminView{Tab: "log", Actions: page.Items, NextCursor: page.NextCursor})
}

func (a *App) adminSetDisabled(c *fiber.Ctx, disabled bool) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	if err := a.deps.Admin.SetDisabled(c.UserContext(), v, c.Params("username"), disabled); err != nil {
		return err
	}
	done := "enable"
	if disabled {
		done = "disable"
	}
	return redirect(c, "/admin?done="+done+"&q="+url.QueryEscape(c.Params("username")))
}

func (a *App) adminDisable(c *fiber.Ctx) error { return a.adminSetDisabled(c, true) }
func (a *App) adminEnable(c *fiber.Ctx) error  { return a.adminSetDisabled(c, false) }

func (a *App) adminDeleteUser(c *fiber.Ctx) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	if err := a.deps.Admin.DeleteUser(c.UserContext(), v, c.Params("username")); err != nil {
		return err
	}
	return redirect(c, "/admin?done=delete")
}

func (a *App) adminResolve(c *fiber.Ctx) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("rid"), 10, 64)
	if err != nil || id <= 0 {
		return paste.ErrNotFound
	}
	action := c.FormValue("action")
	if err := a.deps.Admin.Resolve(c.UserContext(), v, id, action); err != nil {
		return err
	}
	done := "dismiss"
	if action == admin.ResolveDelete {
		done = "removed"
	}
	return redirect(c, "/admin/reports?done="+done)
}
