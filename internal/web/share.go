package web

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/account"
	"pastel/internal/paste"
	"pastel/views"
)

// ownerExtras fills what only the owner sees on the paste page: edit, and
// the share links of a private paste.
func (a *App) ownerExtras(c *fiber.Ctx, v paste.Viewer, view *views.PasteView) error {
	p := view.Paste
	var links []paste.ShareLink
	if v.Owns(p) && p.Visibility == paste.Private {
		var err error
		if links, err = a.deps.Pastes.ShareLinks(c.UserContext(), v, p.ID); err != nil {
			return err
		}
	}
	ownerView(v, view, links)
	return nil
}

// ownerView fills what the page offers p's owner: editing and, for a
// private paste, its share links.
func ownerView(v paste.Viewer, view *views.PasteView, links []paste.ShareLink) {
	p := view.Paste
	if !v.Owns(p) {
		return
	}
	view.CanEdit = true
	view.EditURL = "/" + string(p.ID) + "/edit"
	if p.Visibility != paste.Private {
		return
	}
	view.ShowSharing = true
	for _, l := range links {
		view.ShareLinks = append(view.ShareLinks, views.ShareLinkView{ID: l.ID, CreatedAt: l.CreatedAt, LastUsedAt: l.LastUsedAt,
			TokenHint: l.TokenHint, ExpiresAt: l.ExpiresAt, MaxViews: l.MaxUses, Views: l.Uses})
	}
}

func (a *App) editPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	p, err := a.deps.Pastes.Get(ctx, v, paste.ID(c.Params("id")))
	if err != nil {
		return err
	}
	if !v.Owns(p) {
		return paste.ErrForbidden
	}
	if p.Encrypted {
		return fiber.NewError(fiber.StatusConflict, "An encrypted paste cannot be edited here: the server cannot read it.")
	}
	if p.BurnAfterReading {
		// Reading the body to prefill the form would consume it.
		return fiber.NewError(fiber.StatusConflict, "A burn-after-reading paste cannot be edited: it would be read to fill the form.")
	}
	body, err := a.deps.Pastes.Body(ctx, p)
	if err != nil {
		return err
	}
	f := a.editForm(c, p)
	f.Title, f.Content, f.Syntax, f.Visibility = p.Title, string(body), p.Syntax, string(p.Visibility)
	f.Tags = strings.Join(p.Tags, ", ")
	if err := a.editFormFiles(ctx, p, &f); err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.EditPastePage(a.page(c, "Edit "+titleOf(p)), f, string(p.ID)))
}

func (a *App) editForm(c *fiber.Ctx, p paste.Paste) views.PasteForm {
	f := a.pasteForm(c)
	f.Action = "/" + string(p.ID) + "/edit"
	f.SubmitLabel = "Save changes"
	f.Editing = true
	f.Burn = p.BurnAfterReading
	return f
}

func (a *App) updatePaste(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	id := paste.ID(c.Params("id"))
	title := c.FormValue("title")
	content := strings.ReplaceAll(c.FormValue("content"), "\r\n", "\n")
	syntax := c.FormValue("syntax")
	vis := paste.Visibility(c.FormValue("visibility"))
	burn := c.FormValue("burn_after_reading") != ""
	visName := string(vis)
	held := a.holdSecrets(c, &content, &visName, nil, false) // the edit form's further files are not checked
	vis = paste.Visibility(visName)
	in := paste.UpdateInput{Title: &title, Content: []byte(content), Syntax: &syntax, Visibility: &vis, BurnAfterReading: &burn}
	shown := views.PasteForm{Title: title, Content: content, Syntax: syntax}
	if err := a.editFiles(c, v, id, &shown, &in); err != nil {
		return err
	}
	tagsText := c.FormValue("tags")
	tags := paste.SplitTags(tagsText)
	in.Tags = &tags
	if exp := c.FormValue("expires_in"); exp != "" {
		in.ExpiresIn = &exp
	}
	var p paste.Paste
	if held == nil {
		p, err = a.deps.Pastes.Update(ctx, v, id, in)
	}
	var verr *paste.ValidationError
	if held != nil || asValidation(err, &verr) {
		old, gerr := a.deps.Pastes.Get(ctx, v, id)
		if gerr != nil {
			return gerr
		}
		f := a.editForm(c, old)
		f.Title, f.Content, f.Syntax, f.Visibility, f.ExpiresIn, f.Burn = title, content, syntax, string(vis), c.FormValue("expires_in"), burn
		f.Tags = tagsText
		f.Filename, f.Files, f.KeepFiles = shown.Filename, shown.Files, shown.KeepFiles
		if verr != nil {
			f.Errors = verr.Fields
		}
		f.Secrets = held
		status := fiber.StatusUnprocessableEntity
		if verr == nil {
			status = fiber.StatusOK // held for the secret warning: a question, not a failure
		}
		if isHTMX(c) {
			return a.render(c, status, views.PasteFormFragment(f))
		}
		return a.render(c, status, views.EditPastePage(a.page(c, "Edit paste"), f, string(id)))
	}
	if err != nil {
		return err
	}
	return redirect(c, "/"+string(p.ID))
}

// createShareLink sends the owner back to the paste's page (Post/Redirect/
// Get: a reload makes no second link), which shows the new link once. The
// token travels in a short-lived cookie scoped to the page, not the URL.
func (a *App) createShareLink(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	id := paste.ID(c.Params("id"))
	in := paste.ShareLinkInput{ExpiresIn: c.FormValue("expires_in")}
	if n := strings.TrimSpace(c.FormValue("max_views")); n != "" {
		var err error
		if in.MaxViews, err = strconv.Atoi(n); err != nil {
			return paste.FieldError("max_views", "must be a whole number between 1 and 1000000")
		}
	}
	token, _, err := a.deps.Pastes.CreateShareLink(ctx, v, id, in)
	if err != nil {
		return err
	}
	a.setOnce(c, newShareCookie, token, "/"+string(id))
	return redirect(c, "/"+string(id))
}

func (a *App) revokeShareLink(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	lid, err := account.ParseID(c.Params("lid"))
	if err != nil {
		return err
	}
	id := paste.ID(c.Params("id"))
	if err := a.deps.Pastes.RevokeShareLink(c.UserContext(), v, id, lid); err != nil {
		return err
	}
	return redirect(c, "/"+string(id))
}

// sharedViewer resolves /s/{token}: the viewer may read that one paste.
func (a *App) sharedViewer(c *fiber.Ctx) (paste.Viewer, paste.ID, error) {
	ctx := c.UserContext()
	v, id, err := a.deps.Pastes.Shared(ctx, paste.ViewerFrom(ctx), c.Params("token"), c.Method() != fiber.MethodHead)
	if err != nil {
		return v, "", err
	}
	c.SetUserContext(paste.WithViewer(ctx, v))
	return v, id, nil
}

// showShared renders a paste opened through a share link. Its raw and
// download links go through the share link too; nothing on the page reveals
// the paste's own ID.
func (a *App) showShared(c *fiber.Ctx) error {
	v, id, err := a.sharedViewer(c)
	if err != nil {
		return err
	}
	data, err := a.deps.Pastes.Page(c.UserContext(), v, id, paste.PageOptions{Mode: pageMode(c), NoComments: true})
	if err != nil {
		return err
	}
	p := data.Paste
	c.Set(fiber.HeaderCacheControl, "no-store")
	base := "/s/" + c.Params("token")
	if p.BurnAfterReading {
		return a.render(c, fiber.StatusOK, views.BurnConfirmPageAt(a.page(c, "Read once"), p, templ.SafeURL(base+"/reveal")))
	}
	view := a.pasteViewOf(c, p, data.Body)
	a.withFiles(&view, data, "") // no raw link per file through a share link
	sharedURLs(&view, base, a.link(base))
	ownerView(v, &view, data.ShareLinks)
	a.forkExtras(c, v, p, &view, base+"/fork")
	return a.render(c, fiber.StatusOK, views.PastePage(a.page(c, titleOf(p)), view))
}

// revealShared consumes a burn-after-reading paste opened through a share
// link, the one time it is shown.
func (a *App) revealShared(c *fiber.Ctx) error {
	v, id, err := a.sharedViewer(c)
	if err != nil {
		return err
	}
	data, err := a.deps.Pastes.Page(c.UserContext(), v, id, paste.PageOptions{Mode: pageMode(c), Reveal: true, NoComments: true})
	if err != nil {
		return err
	}
	p := data.Paste
	c.Set(fiber.HeaderCacheControl, "no-store")
	view := a.pasteViewOf(c, p, data.Body)
	a.withFiles(&view, data, "") // no raw link per file through a share link
	sharedURLs(&view, "/s/"+c.Params("token"), a.link("/s/"+c.Params("token")))
	view.Burned = p.BurnAfterReading
	if view.Burned {
		// Raw and Download would be 404 by now: the page offers Copy.
		view.RawURL, view.DownloadURL = "", ""
	}
	return a.render(c, fiber.StatusOK, views.PastePage(a.page(c, titleOf(p)), view))
}

// sharedURLs points every link of a share-link page at the share link:
// the page is for someone who has the link, not the paste's own ID.
func sharedURLs(view *views.PasteView, base, abs string) {
	view.RawURL, view.DownloadURL, view.URL = base+"/raw", base+"/dl", abs
	view.RevisionsURL = revisionsURL(base, view.Paste)
	if view.SourceViewURL != "" {
		view.SourceViewURL = base + "?view=source"
	}
	if view.RenderedURL != "" {
		view.RenderedURL = base
	}
}

func (a *App) sharedRaw(c *fiber.Ctx) error {
	return a.sharedBody(c, false)
}

func (a *App) sharedDownload(c *fiber.Ctx) error {
	return a.sharedBody(c, true)
}

func (a *App) sharedBody(c *fiber.Ctx, attachment bool) error {
	_, id, err := a.sharedViewer(c)
	if err != nil {
		return err
	}
	return a.sendPasteBody(c, id, attachment)
}
