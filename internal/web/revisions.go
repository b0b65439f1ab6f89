package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
	"pastel/views"
)

// registerRevisions mounts a paste's history pages: the revision list, one
// revision (GET /{id}/revisions/{n}, its first file's bytes at .../raw),
// the diff of two revisions and the diff of two pastes; the same pages
// through a share link under /s/{token}. Every one reads through the
// paste's read rule, so what the viewer may not read is 404 alike.
func (a *App) registerRevisions() {
	a.Get("/diff", a.pastesDiffPage)
	a.Get("/:id/revisions", a.byPaste(a.revisionsPage))
	a.Get("/:id/revisions/:n", a.byPaste(a.revisionPage))
	a.Get("/:id/revisions/:n/raw", a.byPaste(a.revisionRaw))
	a.Get("/:id/diff", a.byPaste(a.diffPage))
	a.Get("/s/:token/revisions", a.byShareLink(a.revisionsPage))
	a.Get("/s/:token/revisions/:n", a.byShareLink(a.revisionPage))
	a.Get("/s/:token/revisions/:n/raw", a.byShareLink(a.revisionRaw))
	a.Get("/s/:token/diff", a.byShareLink(a.diffPage))
}

// historyHandler serves one history page of paste id, whose pages live
// under base ("/{id}" or "/s/{token}").
type historyHandler func(c *fiber.Ctx, id paste.ID, base string) error

func (a *App) byPaste(next historyHandler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := paste.ID(c.Params("id"))
		return next(c, id, "/"+string(id))
	}
}

// byShareLink opens the paste of a share link as its holder; the pages'
// links stay under the link, never revealing the paste's ID.
func (a *App) byShareLink(next historyHandler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, id, err := a.sharedViewer(c)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Set("Referrer-Policy", "no-referrer")
		return next(c, id, "/s/"+c.Params("token"))
	}
}

func revisionPath(base string, n int32) string {
	return base + "/revisions/" + strconv.Itoa(int(n))
}

func (a *App) revisionsPage(c *fiber.Ctx, id paste.ID, base string) error {
	ctx := c.UserContext()
	p, revs, err := a.deps.Pastes.Revisions(ctx, paste.ViewerFrom(ctx), id)
	if err != nil {
		return err
	}
	view := views.RevisionsView{Paste: p, PasteURL: base, DiffAction: base + "/diff"}
	for i, r := range revs {
		it := views.RevisionItem{
			Number: r.Number, Title: r.Title, Author: r.AuthorName, CreatedAt: r.CreatedAt,
			URL: revisionPath(base, r.Number),
			// The newest revision against the one before it.
			To: i == 0, From: i == 1 || len(revs) == 1,
		}
		if r.Number == p.Revision {
			it.URL = base
		}
		for _, f := range r.Files {
			it.Files = append(it.Files, f.Name)
			it.Size += f.Size
		}
		view.Items = append(view.Items, it)
	}
	return a.render(c, fiber.StatusOK, views.RevisionsPage(a.page(c, "Revisions"), view))
}

// revisionNumber is the path's revision number; anything else is a
// revision the paste does not have.
func revisionNumber(c *fiber.Ctx) (int32, error) {
	n, err := strconv.ParseInt(c.Params("n"), 10, 32)
	if err != nil || n < 1 {
		return 0, paste.ErrNotFound
	}
	return int32(n), nil
}

func (a *App) revisionPage(c *fiber.Ctx, id paste.ID, base string) error {
	ctx := c.UserContext()
	n, err := revisionNumber(c)
	if err != nil {
		return err
	}
	p, rev, err := a.deps.Pastes.RevisionAt(ctx, paste.ViewerFrom(ctx), id, n)
	if err != nil {
		return err
	}
	newest, err := a.deps.Pastes.Get(ctx, paste.ViewerFrom(ctx), id)
	if err != nil {
		return err
	}
	view := views.RevisionView{
		Paste: p, Newest: newest.Revision, URL: base, ListURL: base + "/revisions",
		RawURL: revisionPath(base, n) + "/raw",
	}
	if n != newest.Revision {
		view.DiffURL = base + "/diff?from=" + strconv.Itoa(int(n)) + "&to=" + strconv.Itoa(int(newest.Revision))
	}
	anchors := paste.FileAnchors(rev.Files)
	for i, f := range rev.Files {
		r, err := a.deps.Pastes.RenderFile(ctx, p, f, paste.RenderMode{Source: true})
		if err != nil {
			return err
		}
		view.Files = append(view.Files, views.RevisionFile{
			Name: f.Name, Anchor: anchors[i], SyntaxLabel: a.deps.Syntaxes.Label(f.Syntax), Size: f.Size,
			CodeHTML: r.HTML, Binary: r.Binary || f.Binary(), Truncated: r.Truncated,
		})
	}
	return a.render(c, fiber.StatusOK, views.RevisionPage(a.page(c, "Revision"), view))
}

// revisionRaw answers the bytes of one file of a revision (the first, or
// ?file=NAME) as the raw view answers a paste: text/plain, sandboxed.
func (a *App) revisionRaw(c *fiber.Ctx, id paste.ID, _ string) error {
	ctx := c.UserContext()
	n, err := revisionNumber(c)
	if err != nil {
		return err
	}
	p, rev, err := a.deps.Pastes.RevisionAt(ctx, paste.ViewerFrom(ctx), id, n)
	if err != nil {
		return err
	}
	f := rev.Files[0]
	if name := c.Query("file"); name != "" {
		var ok bool
		if f, ok = paste.FileByName(rev.Files, name); !ok {
			return paste.ErrNotFound
		}
	}
	body, err := a.deps.Pastes.FileBody(ctx, p, f)
	if err != nil {
		return err
	}
	h := &c.Response().Header
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'")
	h.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	if f.Binary() {
		h.Set(fiber.HeaderContentType, "application/octet-stream")
	}
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Send(body)
}

// diffPage shows the diff of two revisions (?from=&to=, &view=split).
func (a *App) diffPage(c *fiber.Ctx, id paste.ID, base string) error {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	var verr paste.ValidationError
	from, to := queryRevision(c, "from", &verr), queryRevision(c, "to", &verr)
	if bad := verr.Err(); bad != nil {
		// What the viewer may not read is 404, whatever the query.
		if _, err := a.deps.Pastes.History(ctx, v, id); err != nil {
			return err
		}
		return pageValidation(bad)
	}
	cmp, err := a.deps.Pastes.Diff(ctx, v, id, from, to, paste.DiffMode{HTML: true})
	if err != nil {
		return pageValidation(err)
	}
	q := "?from=" + strconv.Itoa(int(from)) + "&to=" + strconv.Itoa(int(to))
	view := views.DiffView{
		Heading:  "Changes to " + titleOrUntitled(cmp.To.Title),
		FromName: "revision " + strconv.Itoa(int(from)), ToName: "revision " + strconv.Itoa(int(to)),
		FromURL: revisionPath(base, from), ToURL: revisionPath(base, to),
		BackURL: base + "/revisions", BackText: "All revisions",
		Split:      c.Query("view") == "split",
		UnifiedURL: base + "/diff" + q, SplitURL: base + "/diff" + q + "&view=split",
		Diff: cmp.Diff,
	}
	if base == "/"+string(id) {
		view.TextURL = "/api/v1/pastes/" + string(id) + "/diff" + q
	} else {
		view.TextURL = "/api/v1/shared/" + c.Params("token") + "/diff" + q
	}
	return a.render(c, fiber.StatusOK, views.DiffPage(a.page(c, "Diff"), view))
}

// pastesDiffPage shows the diff of two pastes the viewer can read
// (?a=&b=, &view=split); without either, a form asking for them.
func (a *App) pastesDiffPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var verr paste.ValidationError
	pa, pb := c.Query("a"), c.Query("b")
	if pa == "" && pb == "" {
		return a.render(c, fiber.StatusOK, views.CompareFormPage(a.page(c, "Compare"), "", ""))
	}
	if pa == "" {
		verr.Add("a", "is required: a paste ID")
	}
	if pb == "" {
		verr.Add("b", "is required: a paste ID")
	}
	if bad := verr.Err(); bad != nil {
		return pageValidation(bad)
	}
	cmp, err := a.deps.Pastes.DiffPastes(ctx, paste.ViewerFrom(ctx), paste.ID(pa), paste.ID(pb), paste.DiffMode{HTML: true})
	if err != nil {
		return err
	}
	q := "?a=" + url.QueryEscape(pa) + "&b=" + url.QueryEscape(pb)
	view := views.DiffView{
		Heading:  "Comparing two pastes",
		FromName: titleOrUntitled(cmp.From.Title), ToName: titleOrUntitled(cmp.To.Title),
		FromURL: "/" + string(cmp.From.ID), ToURL: "/" + string(cmp.To.ID),
		BackURL: "/" + string(cmp.To.ID), BackText: "Back to the paste",
		Split:      c.Query("view") == "split",
		UnifiedURL: "/diff" + q, SplitURL: "/diff" + q + "&view=split",
		TextURL: "/api/v1/diff" + q,
		Diff:    cmp.Diff,
	}
	return a.render(c, fiber.StatusOK, views.DiffPage(a.page(c, "Diff"), view))
}

// queryRevision parses the query parameter name as a revision number; a
// missing or malformed one is a validation error naming it.
func queryRevision(c *fiber.Ctx, name string, verr *paste.ValidationError) int32 {
	s := c.Query(name)
	if s == "" {
		verr.Add(name, "is required: a revision number")
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n < 1 {
		verr.Add(name, "must be a revision number (1, 2, …)")
		return 0
	}
	return int32(n)
}

func titleOrUntitled(t string) string {
	if t == "" {
		return "Untitled"
	}
	return t
}

// revisionsURL is the revision list of p under base, "" when p has no
// history to show (burn-after-reading and encrypted pastes).
func revisionsURL(base string, p paste.Paste) string {
	if p.BurnAfterReading || p.Encrypted {
		return ""
	}
	return base + "/revisions"
}

// pageValidation turns a validation error into a 422 page that names its
// fields ("from: must be a revision of this paste, 1 to 3"); anything else
// goes on as it is.
func pageValidation(err error) error {
	var verr *paste.ValidationError
	if errors.As(err, &verr) {
		return fiber.NewError(fiber.StatusUnprocessableEntity, "Cannot compare: "+strings.TrimPrefix(verr.Error(), "invalid input: "))
	}
	return err
}
