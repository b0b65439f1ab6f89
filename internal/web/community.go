package web

import (
	"encoding/xml"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
	"pastel/views"
)

// registerCommunity mounts comments, stars, votes, popular lists, profiles
// and feeds. Comment routes live under /c/, which no paste ID can be.
func (a *App) registerCommunity() {
	a.Get("/stars", a.myStars)
	a.Get("/explore/feed.atom", a.exploreFeed)
	a.Get("/u/:username/feed.atom", a.userFeed)
	a.Post("/c/:cid/edit", a.limitWrite, a.editComment)
	a.Post("/c/:cid/delete", a.deleteComment)
	a.Post("/c/:cid/rate", a.limitWrite, a.rateComment)
	a.Post("/:id/comments", a.limitWrite, a.postComment)
	a.Post("/:id/rate", a.limitWrite, a.ratePaste)
	a.Post("/:id/star", a.limitWrite, a.starPaste)
}

func pastePath(id paste.ID) string { return "/" + string(id) }

// communityExtras fills the paste page's votes, star and comments, and
// counts the visit (draft == nil: a real page view, not a re-render after a
// failed comment).
func (a *App) communityExtras(c *fiber.Ctx, v paste.Viewer, view *views.PasteView, draft *views.CommentDraft) error {
	p := view.Paste
	if !a.deps.Pastes.HasCommunity() || p.BurnAfterReading {
		return nil
	}
	ctx := c.UserContext()
	if draft == nil {
		a.recordView(c, v, p)
	}
	social, err := a.deps.Pastes.Social(ctx, v, p)
	if err != nil {
		return err
	}
	comments, err := a.commentsView(c, v, p, c.Query("comments"), draft)
	if err != nil {
		return err
	}
	comments.Total = social.Comments
	view.Community = &views.PasteCommunity{
		Votes: views.VoteView{
			ElemID: views.PasteVotesID, Action: pastePath(p.ID) + "/rate", Rating: social.Rating,
			SignedIn: v.SignedIn(), CSRFToken: csrfToken(c),
		},
		Star: views.StarView{
			Action: pastePath(p.ID) + "/star", Starred: social.Starred, Stars: p.Stars,
			SignedIn: v.SignedIn(), CSRFToken: csrfToken(c),
		},
		Comments: comments,
	}
	return nil
}

// recordView counts this request as a view of p (once a day per visitor).
func (a *App) recordView(c *fiber.Ctx, v paste.Viewer, p paste.Paste) {
	a.deps.Pastes.RecordView(v, p, clientAddr(c)+"\x00"+c.Get(fiber.HeaderUserAgent))
}

func (a *App) commentsView(c *fiber.Ctx, v paste.Viewer, p paste.Paste, cursor string, draft *views.CommentDraft) (views.CommentsView, error) {
	page, err := a.deps.Pastes.CommentsOf(c.UserContext(), v, p, cursor)
	if err != nil {
		return views.CommentsView{}, err
	}
	base := pastePath(p.ID)
	cv := views.CommentsView{
		PasteID:   p.ID,
		SignedIn:  v.SignedIn(),
		LoginURL:  "/login?next=" + url.QueryEscape(base+"#"+views.CommentsID),
		CSRFToken: csrfToken(c),
		FirstPage: cursor == "",
		FirstURL:  base + "#" + views.CommentsID,
		Form:      views.CommentFormView{Action: base + "/comments", CSRFToken: csrfToken(c)},
		Threads:   a.threads(c, v, p, page.Items, draft),
	}
	if page.NextCursor != "" {
		cv.NextURL = base + "?comments=" + url.QueryEscape(page.NextCursor) + "#" + views.CommentsID
	}
	if draft != nil && draft.ParentID == 0 && draft.EditID == 0 {
		cv.Form.Body, cv.Form.Errors = draft.Body, draft.Errors
	}
	return cv, nil
}

// threads groups comments in reading order into their threads.
func (a *App) threads(c *fiber.Ctx, v paste.Viewer, p paste.Paste, items []paste.Comment, draft *views.CommentDraft) []views.ThreadView {
	var out []views.ThreadView
	for _, cm := range items {
		if len(out) == 0 || out[len(out)-1].RootID != cm.ThreadID() {
			out = append(out, views.ThreadView{RootID: cm.ThreadID()})
		}
		t := &out[len(out)-1]
		t.Comments = append(t.Comments, a.commentView(c, v, p, cm, draft))
	}
	return out
}

func (a *App) commentView(c *fiber.Ctx, v paste.Viewer, p paste.Paste, cm paste.Comment, draft *views.CommentDraft) views.CommentView {
	cid := strconv.FormatInt(cm.ID, 10)
	cv := views.CommentView{
		Comment:   cm,
		ReplyURL:  pastePath(p.ID) + "/comments",
		EditURL:   "/c/" + cid + "/edit",
		DeleteURL: "/c/" + cid + "/delete",
		Votes: views.VoteView{
			ElemID: views.CommentVotesID(cm.ID), Action: "/c/" + cid + "/rate",
			Rating:   paste.Rating{Likes: cm.Likes, Dislikes: cm.Dislikes, Mine: cm.MyVote},
			SignedIn: v.SignedIn(), CSRFToken: csrfToken(c),
		},
		CanReply:  v.SignedIn() && !cm.Deleted,
		CanEdit:   v.SignedIn() && !cm.Deleted && cm.AuthorID == v.UserID,
		CanDelete: paste.CanDeleteComment(v, p, cm),
		CSRFToken: csrfToken(c),
	}
	if v.SignedIn() && !cm.Deleted && a.deps.Admin != nil {
		cv.Report = &views.ReportFormView{Action: "/c/" + cid + "/report", CSRFToken: csrfToken(c), TestID: "report-comment"}
	}
	if draft != nil {
		if draft.ParentID == cm.ID {
			cv.ReplyDraft = draft
		}
		if draft.EditID == cm.ID {
			cv.EditDraft = draft
		}
	}
	return cv
}

// commentID parses the :cid parameter; a malformed one is simply not found.
func commentID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("cid"), 10, 64)
	if err != nil || id <= 0 {
		return 0, paste.ErrNotFound
	}
	return id, nil
}

func (a *App) postComment(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	id := paste.ID(c.Params("id"))
	body := c.FormValue("body")
	var parent int64
	if s := c.FormValue("parent_id"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return paste.FieldError("parent_id", "is not a comment on this paste")
		}
		parent = n
	}
	cm, err := a.deps.Pastes.AddComment(ctx, v, id, body, parent)
	var verr *paste.ValidationError
	if asValidation(err, &verr) {
		return a.commentFailed(c, v, id, &views.CommentDraft{ParentID: parent, Body: body, Errors: verr.Fields})
	}
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(pastePath(cm.PasteID)+"#"+views.CommentElemID(cm.ID), fiber.StatusSeeOther)
	}
	p, err := a.deps.Pastes.Get(ctx, v, cm.PasteID)
	if err != nil {
		return err
	}
	thread, err := a.threadView(c, v, p, cm.ThreadID(), nil)
	if err != nil {
		return err
	}
	if parent != 0 {
		return a.render(c, fiber.StatusOK, views.Thread(thread))
	}
	social, err := a.deps.Pastes.Social(ctx, v, p)
	if err != nil {
		return err
	}
	form := views.CommentFormView{Action: pastePath(p.ID) + "/comments", CSRFToken: csrfToken(c), OOB: true}
	return a.render(c, fiber.StatusOK, templ.Join(views.Thread(thread), views.CommentForm(form), views.CommentCountOOB(social.Comments)))
}

// threadView builds one thread for an HTMX answer.
func (a *App) threadView(c *fiber.Ctx, v paste.Viewer, p paste.Paste, rootID int64, draft *views.CommentDraft) (views.ThreadView, error) {
	items, err := a.deps.Pastes.Thread(c.UserContext(), v, p.ID, rootID)
	if err != nil {
		return views.ThreadView{}, err
	}
	t := views.ThreadView{RootID: rootID}
	if ts := a.threads(c, v, p, items, draft); len(ts) == 1 {
		t = ts[0]
	}
	return t, nil
}

// commentFailed answers a comment form that failed validation with 422:
// for htmx the fragment holding the form (the new-comment form, the
// thread of a reply, or the edited comment), otherwise the whole paste page
// with the form open and its errors.
func (a *App) commentFailed(c *fiber.Ctx, v paste.Viewer, id paste.ID, draft *views.CommentDraft) error {
	ctx := c.UserContext()
	p, err := a.deps.Pastes.Get(ctx, v, id)
	if err != nil {
		return err
	}
	if p.BurnAfterReading {
		return &paste.ValidationError{Fields: draft.Errors}
	}
	const status = fiber.StatusUnprocessableEntity
	if isHTMX(c) {
		switch {
		case draft.EditID != 0:
			cm, err := a.deps.Pastes.Comment(ctx, v, draft.EditID)
			if err != nil {
				return err
			}
			return a.render(c, status, views.CommentItem(a.commentView(c, v, p, cm, draft)))
		case draft.ParentID != 0:
			cm, err := a.deps.Pastes.Comment(ctx, v, draft.ParentID)
			if err != nil || cm.PasteID != p.ID {
				return &paste.ValidationError{Fields: draft.Errors}
			}
			t, err := a.threadView(c, v, p, cm.ThreadID(), draft)
			if err != nil {
				return err
			}
			return a.render(c, status, views.Thread(t))
		}
		c.Set("HX-Retarget", "#"+views.CommentFormID)
		c.Set("HX-Reswap", "outerHTML")
		return a.render(c, status, views.CommentForm(views.CommentFormView{
			Action: pastePath(p.ID) + "/comments", Body: draft.Body, Errors: draft.Errors, CSRFToken: csrfToken(c),
		}))
	}
	view, err := a.pasteView(c, p, nil)
	if err != nil {
		return err
	}
	if err := a.ownerExtras(c, v, &view); err != nil {
		return err
	}
	if err := a.communityExtras(c, v, &view, draft); err != nil {
		return err
	}
	return a.render(c, status, views.PastePage(a.page(c, titleOf(p)), view))
}

func (a *App) editComment(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	cid, err := commentID(c)
	if err != nil {
		return err
	}
	body := c.FormValue("body")
	cm, err := a.deps.Pastes.EditComment(ctx, v, cid, body)
	var verr *paste.ValidationError
	if asValidation(err, &verr) {
		old, err := a.deps.Pastes.Comment(ctx, v, cid)
		if err != nil {
			return err
		}
		return a.commentFailed(c, v, old.PasteID, &views.CommentDraft{EditID: cid, Body: body, Errors: verr.Fields})
	}
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(pastePath(cm.PasteID)+"#"+views.CommentElemID(cm.ID), fiber.StatusSeeOther)
	}
	p, err := a.deps.Pastes.Get(ctx, v, cm.PasteID)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.CommentItem(a.commentView(c, v, p, cm, nil)))
}

func (a *App) deleteComment(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	cid, err := commentID(c)
	if err != nil {
		return err
	}
	old, err := a.deps.Pastes.DeleteComment(ctx, v, cid)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(pastePath(old.PasteID)+"#"+views.CommentsID, fiber.StatusSeeOther)
	}
	p, err := a.deps.Pastes.Get(ctx, v, old.PasteID)
	if err != nil {
		return err
	}
	items, err := a.deps.Pastes.Thread(ctx, v, p.ID, old.ThreadID())
	if err != nil {
		return err
	}
	if len(items) == 0 {
		// The whole thread is gone: an empty answer removes it.
		return c.Status(fiber.StatusOK).SendString("")
	}
	return a.render(c, fiber.StatusOK, views.Thread(a.threads(c, v, p, items, nil)[0]))
}

// voteValue parses the value field of a vote form: 1, -1 or 0.
func voteValue(c *fiber.Ctx) (int, error) {
	switch c.FormValue("value") {
	case "1":
		return 1, nil
	case "-1":
		return -1, nil
	case "0":
		return 0, nil
	}
	return 0, paste.FieldError("value", "must be 1, -1 or 0")
}

func (a *App) ratePaste(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	id := paste.ID(c.Params("id"))
	if !v.SignedIn() {
		return paste.ErrUnauthorized
	}
	if _, err := a.deps.Pastes.Get(ctx, v, id); err != nil {
		return err
	}
	value, err := voteValue(c)
	if err != nil {
		return err
	}
	r, err := a.deps.Pastes.RatePaste(ctx, v, id, value)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(pastePath(id), fiber.StatusSeeOther)
	}
	return a.render(c, fiber.StatusOK, views.VoteWidget(views.VoteView{
		ElemID: views.PasteVotesID, Action: pastePath(id) + "/rate", Rating: r, SignedIn: true, CSRFToken: csrfToken(c),
	}))
}

func (a *App) rateComment(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	cid, err := commentID(c)
	if err != nil {
		return err
	}
	if !v.SignedIn() {
		return paste.ErrUnauthorized
	}
	cm, err := a.deps.Pastes.Comment(ctx, v, cid)
	if err != nil {
		return err
	}
	value, err := voteValue(c)
	if err != nil {
		return err
	}
	r, err := a.deps.Pastes.RateComment(ctx, v, cid, value)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(pastePath(cm.PasteID)+"#"+views.CommentElemID(cid), fiber.StatusSeeOther)
	}
	return a.render(c, fiber.StatusOK, views.VoteWidget(views.VoteView{
		ElemID: views.CommentVotesID(cid), Action: "/c/" + strconv.FormatInt(cid, 10) + "/rate", Rating: r, SignedIn: true, CSRFToken: csrfToken(c),
	}))
}

func (a *App) starPaste(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	id := paste.ID(c.Params("id"))
	if !v.SignedIn() {
		return paste.ErrUnauthorized
	}
	if _, err := a.deps.Pastes.Get(ctx, v, id); err != nil {
		return err
	}
	var on bool
	switch c.FormValue("star") {
	case "on":
		on = true
	case "off":
	default:
		return paste.FieldError("star", "must be on or off")
	}
	stars, err := a.deps.Pastes.Star(ctx, v, id, on)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(pastePath(id), fiber.StatusSeeOther)
	}
	return a.render(c, fiber.StatusOK, views.StarWidget(views.StarView{
		Action: pastePath(id) + "/star", Starred: on, Stars: stars, SignedIn: true, CSRFToken: csrfToken(c),
	}))
}

func (a *App) myStars(c *fiber.Ctx) error {
	v, ok, err := a.requireUser(c)
	if !ok {
		return err
	}
	page, err := a.deps.Pastes.Stars(c.UserContext(), v, c.Query("cursor"), 30)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.StarsPage(a.page(c, "My stars"), views.StarsView{Items: page.Items, NextCursor: page.NextCursor}))
}

// userStats returns the star figures for a user's page, nil when the
// community part is not wired.
func (a *App) userStats(c *fiber.Ctx, userID int64) (*paste.UserStats, error) {
	if !a.deps.Pastes.HasCommunity() {
		return nil, nil
	}
	s, err := a.deps.Pastes.UserStats(c.UserContext(), userID)
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// Atom 1.0 (RFC 4287). encoding/xml escapes every text and attribute.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	Title     string      `xml:"title"`
	ID        string      `xml:"id"`
	Link      atomLink    `xml:"link"`
	Published string      `xml:"published"`
	Updated   string      `xml:"updated"`
	Author    *atomAuthor `xml:"author,omitempty"`
	Summary   string      `xml:"summary"`
}

func (a *App) exploreFeed(c *fiber.Ctx) error {
	page, err := a.deps.Pastes.ListRecent(c.UserContext(), "", 50)
	if err != nil {
		return err
	}
	return a.sendFeed(c, "Pastel: recent public pastes", "/explore", "/explore/feed.atom", page.Items)
}

func (a *App) userFeed(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u, err := a.deps.Accounts.UserByUsername(ctx, c.Params("username"))
	if err != nil {
		return err
	}
	// Anonymous on purpose: a feed is public, whoever fetches it.
	page, err := a.deps.Pastes.ListOwned(ctx, paste.Anonymous, u.ID, "", 50)
	if err != nil {
		return err
	}
	home := "/u/" + url.PathEscape(u.Username)
	return a.sendFeed(c, "Pastel: public pastes by "+u.Username, home, home+"/feed.atom", page.Items)
}

func (a *App) sendFeed(c *fiber.Ctx, title, home, self string, items []paste.Paste) error {
	f := atomFeed{
		Title: title, ID: a.link(self),
		Links:  []atomLink{{Href: a.link(home), Rel: "alternate", Type: "text/html"}, {Href: a.link(self), Rel: "self", Type: "application/atom+xml"}},
		Author: atomAuthor{Name: "Pastel"},
	}
	updated := time.Unix(0, 0).UTC()
	for _, p := range items {
		if p.UpdatedAt.After(updated) {
			updated = p.UpdatedAt
		}
		e := atomEntry{
			Title: titleOf(p), ID: a.link(pastePath(p.ID)),
			Link:      atomLink{Href: a.link(pastePath(p.ID)), Rel: "alternate", Type: "text/html"},
			Published: p.CreatedAt.UTC().Format(time.RFC3339), Updated: p.UpdatedAt.UTC().Format(time.RFC3339),
			Summary: p.Syntax + ", " + views.HumanBytes(p.Size),
		}
		if p.OwnerName != "" {
			e.Author = &atomAuthor{Name: p.OwnerName, URI: a.link("/u/" + url.PathEscape(p.OwnerName))}
		}
		f.Entries = append(f.Entries, e)
	}
	f.Updated = updated.Format(time.RFC3339)
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	return c.Send(append([]byte(xml.Header), out...))
}
