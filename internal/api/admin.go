package api

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/admin"
	"pastel/internal/paste"
)

// registerAdmin mounts account deletion, reports and the /admin routes.
// Without an admin service (some tests) they are not mounted.
func (h *handler) registerAdmin(r fiber.Router) {
	if h.Admin == nil {
		return
	}
	r.Delete("/me", h.deleteMe)
	r.Post("/pastes/:id/reports", h.reportPaste)
	r.Post("/comments/:cid/reports", h.reportComment)
	r.Get("/admin/users", h.adminUsers)
	r.Post("/admin/users/:username/disable", h.adminDisable)
	r.Post("/admin/users/:username/enable", h.adminEnable)
	r.Delete("/admin/users/:username", h.adminDeleteUser)
	r.Get("/admin/reports", h.adminReports)
	r.Post("/admin/reports/:rid/resolve", h.adminResolve)
	r.Get("/admin/pastes", h.adminPastes)
}

// adminPastes lists every paste for admins, private ones included.
func (h *handler) adminPastes(c *fiber.Ctx) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	limit, err := queryInt(c, "limit")
	if err != nil {
		return err
	}
	f := admin.PasteFilter{Q: c.Query("q"), Owner: c.Query("owner"), Visibility: c.Query("visibility")}
	page, err := h.Admin.Pastes(c.UserContext(), v, f, c.Query("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(h.listOf(page))
}

// deleteMe deletes the caller's account: 204 once nothing of it is
// visible; the worker removes the rest.
func (h *handler) deleteMe(c *fiber.Ctx) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	var in struct {
		Password string `json:"password"`
	}
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if err := h.Admin.DeleteOwnAccount(c.UserContext(), v, in.Password); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type reportIn struct {
	Reason  string `json:"reason"`
	Details string `json:"details"`
}

var errAlreadyReported = &requestError{fiber.StatusConflict, "already_reported", "you have already reported this; a moderator will look at it"}

func (h *handler) report(c *fiber.Ctx, target admin.ReportInput) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	var in reportIn
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	target.Reason, target.Details = in.Reason, in.Details
	id, err := h.Admin.Report(c.UserContext(), v, target)
	if errors.Is(err, admin.ErrAlreadyReported) {
		return errAlreadyReported
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": id, "status": admin.StatusOpen})
}

func (h *handler) reportPaste(c *fiber.Ctx) error {
	return h.report(c, admin.ReportInput{PasteID: paste.ID(c.Params("id"))})
}

func (h *handler) reportComment(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("cid"), 10, 64)
	if err != nil || id <= 0 {
		return paste.ErrNotFound
	}
	return h.report(c, admin.ReportInput{CommentID: id})
}

// adminViewer is the caller when an admin; everybody else gets the
// generic 404 of an unknown route.
func adminViewer(c *fiber.Ctx) (paste.Viewer, error) {
	v := paste.ViewerFrom(c.UserContext())
	if !v.SignedIn() || !v.IsAdmin {
		return v, errRoute
	}
	return v, nil
}

type adminUserJSON struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	Email     *string   `json:"email"`
	IsAdmin   bool      `json:"is_admin"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
	Pastes    int64     `json:"pastes"`
}

func (h *handler) adminUsers(c *fiber.Ctx) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	page, err := h.Admin.Users(c.UserContext(), v, c.Query("q"), c.Query("sort"), c.Query("cursor"), c.QueryInt("limit"))
	if err != nil {
		return err
	}
	items := make([]adminUserJSON, len(page.Items))
	for i, u := range page.Items {
		items[i] = adminUserJSON{ID: u.ID, Username: u.Username, IsAdmin: u.IsAdmin, Disabled: u.Disabled, CreatedAt: u.CreatedAt, Pastes: u.Pastes}
		if u.Email != "" {
			e := u.Email
			items[i].Email = &e
		}
	}
	return c.JSON(fiber.Map{"items": items, "next_cursor": optCursor(page.NextCursor)})
}

func optCursor(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (h *handler) setDisabled(c *fiber.Ctx, disabled bool) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	if err := h.Admin.SetDisabled(c.UserContext(), v, c.Params("username"), disabled); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *handler) adminDisable(c *fiber.Ctx) error { return h.setDisabled(c, true) }
func (h *handler) adminEnable(c *fiber.Ctx) error  { return h.setDisabled(c, false) }

func (h *handler) adminDeleteUser(c *fiber.Ctx) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	if err := h.Admin.DeleteUser(c.UserContext(), v, c.Params("username")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// reportJSON is a report with the reported content as plain text.
type reportJSON struct {
	ID         int64      `json:"id"`
	Kind       string     `json:"kind"`
	PasteID    string     `json:"paste_id"`
	CommentID  *int64     `json:"comment_id"`
	Reason     string     `json:"reason"`
	Details    string     `json:"details"`
	Status     string     `json:"status"`
	Reporter   string     `json:"reporter"`
	CreatedAt  time.Time  `json:"created_at"`
	ResolvedAt *time.Time `json:"resolved_at"`
	Title      string     `json:"title"`
	Excerpt    string     `json:"excerpt"`
	Author     *string    `json:"author"`
}

func (h *handler) adminReports(c *fiber.Ctx) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	page, err := h.Admin.Reports(c.UserContext(), v, c.Query("status"), c.Query("cursor"), c.QueryInt("limit"))
	if err != nil {
		return err
	}
	items := make([]reportJSON, len(page.Items))
	for i, r := range page.Items {
		items[i] = reportJSON{
			ID: r.ID, Kind: r.Kind(), PasteID: string(r.PasteID), Reason: r.Reason, Details: r.Details, Status: r.Status,
			Reporter: r.Reporter, CreatedAt: r.CreatedAt, ResolvedAt: r.ResolvedAt, Title: r.Title, Excerpt: r.Excerpt,
		}
		if r.CommentID != 0 {
			id := r.CommentID
			items[i].CommentID = &id
		}
		if r.Author != "" {
			a := r.Author
			items[i].Author = &a
		}
	}
	return c.JSON(fiber.Map{"items": items, "next_cursor": optCursor(page.NextCursor)})
}

func (h *handler) adminResolve(c *fiber.Ctx) error {
	v, err := adminViewer(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("rid"), 10, 64)
	if err != nil || id <= 0 {
		return paste.ErrNotFound
	}
	var in struct {
		Action string `json:"action"`
	}
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if err := h.Admin.Resolve(c.UserContext(), v, id, in.Action); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
