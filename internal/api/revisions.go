package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
)

// registerRevisions mounts the revision and diff routes. Every one reads
// through the paste's read rule (paste.Service.Revisions, RevisionAt,
// Diff, DiffPastes): what the caller may not read is 404 alike, and a
// share link opens the history of its paste as it opens the paste.
func (h *handler) registerRevisions(r fiber.Router) {
	r.Get("/pastes/:id/revisions", byID(h.listRevisions))
	r.Get("/pastes/:id/revisions/:n", byID(h.getRevision))
	r.Get("/pastes/:id/diff", byID(h.diffRevisions))
	r.Get("/diff", h.diffPastes)
	r.Get("/shared/:token/revisions", h.shared(h.listRevisions))
	r.Get("/shared/:token/revisions/:n", h.shared(h.getRevision))
	r.Get("/shared/:token/diff", h.shared(h.diffRevisions))
}

// shared runs next for the paste a share link opens, as its holder.
func (h *handler) shared(next func(*fiber.Ctx, paste.ID) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		// A read of the history counts as a use of the link, as a read of
		// the paste does.
		v, id, err := h.Pastes.Shared(ctx, paste.ViewerFrom(ctx), c.Params("token"), c.Method() != fiber.MethodHead)
		if err != nil {
			return err
		}
		c.SetUserContext(paste.WithViewer(ctx, v))
		c.Set("Referrer-Policy", "no-referrer")
		return next(c, id)
	}
}

// byID runs next for the paste named in the path.
func byID(next func(*fiber.Ctx, paste.ID) error) fiber.Handler {
	return func(c *fiber.Ctx) error { return next(c, paste.ID(c.Params("id"))) }
}

type revisionFileJSON struct {
	Name            string  `json:"name"`
	Syntax          string  `json:"syntax"`
	Size            int64   `json:"size"`
	ContentType     string  `json:"content_type,omitempty"`
	Content         *string `json:"content,omitempty"`
	ContentEncoding string  `json:"content_encoding,omitempty"`
}

type revisionItemJSON struct {
	Revision  int32              `json:"revision"`
	CreatedAt time.Time          `json:"created_at"`
	Author    *string            `json:"author"`
	Title     string             `json:"title"`
	Files     []revisionFileJSON `json:"files"`
	URL       string             `json:"url"`
}

// base is the path the caller reached the paste by: its ID, or the share
// link's token (never revealing the ID behind a link).
func (h *handler) base(c *fiber.Ctx, id paste.ID) string {
	if t := c.Params("token"); t != "" {
		return "/s/" + t
	}
	return "/" + string(id)
}

func (h *handler) listRevisions(c *fiber.Ctx, id paste.ID) error {
	ctx := c.UserContext()
	p, revs, err := h.Pastes.Revisions(ctx, paste.ViewerFrom(ctx), id)
	if err != nil {
		return err
	}
	items := make([]revisionItemJSON, len(revs))
	for i, r := range revs {
		items[i] = revisionItemJSON{
			Revision: r.Number, CreatedAt: r.CreatedAt, Title: r.Title, Files: make([]revisionFileJSON, len(r.Files)),
			URL: h.link(h.base(c, p.ID) + "/revisions/" + strconv.Itoa(int(r.Number))),
		}
		if r.AuthorName != "" {
			name := r.AuthorName
			items[i].Author = &name
		}
		for k, f := range r.Files {
			items[i].Files[k] = revisionFileJSON{Name: f.Name, Syntax: f.Syntax, Size: f.Size, ContentType: f.ContentType}
		}
	}
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return c.JSON(fiber.Map{"items": items})
}

// revisionJSON is a paste as it was at one revision: the paste's JSON
// with that revision's title, syntax, size and content (its first file's)
// and every file with its content.
type revisionJSON struct {
	pasteJSON
	Revision int32              `json:"revision"`
	Files    []revisionFileJSON `json:"files"`
}

func (h *handler) getRevision(c *fiber.Ctx, id paste.ID) error {
	ctx := c.UserContext()
	n, err := strconv.ParseInt(c.Params("n"), 10, 32)
	if err != nil || n < 1 {
		return paste.ErrNotFound // no such revision, as for any other number
	}
	p, rev, err := h.Pastes.RevisionAt(ctx, paste.ViewerFrom(ctx), id, int32(n))
	if err != nil {
		return err
	}
	out := revisionJSON{pasteJSON: h.toJSON(p), Revision: rev.Number, Files: make([]revisionFileJSON, len(rev.Files))}
	base := h.base(c, p.ID)
	if c.Params("token") != "" {
		h.throughLink(&out.pasteJSON, c.Params("token"))
	}
	out.URL = h.link(base + "/revisions/" + strconv.Itoa(int(rev.Number)))
	out.RawURL = h.link(base + "/revisions/" + strconv.Itoa(int(rev.Number)) + "/raw")
	for i, f := range rev.Files {
		body, err := h.Pastes.FileBody(ctx, p, f)
		if err != nil {
			return err
		}
		withBody := withContent(pasteJSON{}, body)
		out.Files[i] = revisionFileJSON{
			Name: f.Name, Syntax: f.Syntax, Size: f.Size, ContentType: f.ContentType,
			Content: withBody.Content, ContentEncoding: withBody.ContentEncoding,
		}
		if i == 0 {
			out.Content, out.ContentEncoding = withBody.Content, withBody.ContentEncoding
		}
	}
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return c.JSON(out)
}

// revisionNumber parses the query parameter name as a revision number;
// a missing or malformed one is a validation error naming it.
func revisionNumber(c *fiber.Ctx, name string, verr *paste.ValidationError) int32 {
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

// sendDiff answers a unified diff as text/x-diff.
func sendDiff(c *fiber.Ctx, d paste.Diff) error {
	c.Set(fiber.HeaderContentType, "text/x-diff; charset=utf-8")
	c.Set("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'")
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return c.SendString(d.Text)
}

func (h *handler) diffRevisions(c *fiber.Ctx, id paste.ID) error {
	ctx := c.UserContext()
	var verr paste.ValidationError
	from, to := revisionNumber(c, "from", &verr), revisionNumber(c, "to", &verr)
	if bad := verr.Err(); bad != nil {
		// The paste's read rule first: a paste the caller may not read is
		// 404, whatever the query.
		if _, err := h.Pastes.History(ctx, paste.ViewerFrom(ctx), id); err != nil {
			return err
		}
		return bad
	}
	cmp, err := h.Pastes.Diff(ctx, paste.ViewerFrom(ctx), id, from, to, paste.DiffMode{})
	if err != nil {
		return err
	}
	return sendDiff(c, cmp.Diff)
}

func (h *handler) diffPastes(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var verr paste.ValidationError
	a, b := c.Query("a"), c.Query("b")
	if a == "" {
		verr.Add("a", "is required: a paste ID")
	}
	if b == "" {
		verr.Add("b", "is required: a paste ID")
	}
	if err := verr.Err(); err != nil {
		return err
	}
	cmp, err := h.Pastes.DiffPastes(ctx, paste.ViewerFrom(ctx), paste.ID(a), paste.ID(b), paste.DiffMode{})
	if err != nil {
		return err
	}
	return sendDiff(c, cmp.Diff)
}
