package web

import (
	"encoding/xml"
	"net/url"
	"strconv"
	"strings"
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
	a.Get("/:id/comments/:root", a.threadPage)
	a.Post("/:id/comments", a.limitWrite, a.postComment)
	a.Post("/:id/rate", a.limitWrite, a.ratePaste)
	a.Post("/:id/star", a.limitWrite, a.starPaste)
}

func pastePath(id paste.ID) string { return "/" + string(id) }

// cameFrom returns the page (path and query, no fragment) a comment form
// says it was posted from, when that page is paste id's own: its page, or a
// page under it. Otherwise "".
//
// Comment routes (/c/{n}/…) are addressed by comment ID, and comment IDs
// are sequential: an answer that named the paste would hand anyone who
// walks them the ID of every unlisted paste with a comment. So those
// answers name the paste only to a caller that shows it has the ID already,
// through the next field its page put in the form.
func cameFrom(c *fiber.Ctx, id paste.ID) string {
	next := c.FormValue("next")
	if next == "" || safeNext(next) != next {
		return ""
	}
	next, _, _ = strings.Cut(next, "#")
	path, _, _ := strings.Cut(next, "?")
	base := pastePath(id)
	if path != base && !strings.HasPrefix(path, base+"/") {
		return ""
	}
	return next
}

// backTo is where a comment route sends a browser without JavaScript: the
// page it came from, at anchor, or the home page when the form did not say
// (see cameFrom).
func backTo(c *fiber.Ctx, id paste.ID, anchor string) error {
	if back := cameFrom(c, id); back != "" {
		return c.Redirect(back+anchor, fiber.StatusSeeOther)
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}

// reportBack is the path a comment report returns to ("" for none, see
// cameFrom): the page's path, which the report notice's query joins.
func reportBack(c *fiber.Ctx, id paste.ID) string {
	path, _, _ := strings.Cut(cameFrom(c, id), "?")
	return path
}

// withNext adds the page a comment form is on to a comment route's URL.
func withNext(action, back string) string {
	if back == "" {
		return action
	}
	return action + "?next=" + url.QueryEscape(back)
}

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
	view.Community = a.communityView(c, v, p, social, comments)
	view.LineNotes = lineNotes(p, comments)
	return nil
}

// communityFrom fills the paste page's community state from what
// Pastes.Page read, and counts the visit.
func (a *App) communityFrom(c *fiber.Ctx, v paste.Viewer, view *views.PasteView, pc *paste.PageCommunity) {
	if pc == nil {
		return
	}
	p := view.Paste
	a.recordView(c, v, p)
	comments := a.commentsViewOf(c, v, p, pageCommentOrder(c), c.Query("comments"), pc.Comments, nil)
	view.Community = a.communityView(c, v, p, pc.Social, comments)
	view.LineNotes = lineNotes(p, comments)
}

// communityView is the page's votes, star and comments.
func (a *App) communityView(c *fiber.Ctx, v paste.Viewer, p paste.Paste, social paste.Social, comments views.CommentsView) *views.PasteCommunity {
	comments.Total = social.Comments
	return &views.PasteCommunity{
		Votes: views.VoteView{
			ElemID: views.PasteVotesID, Action: pastePath(p.ID) + "/rate", Rating: social.Rating,
			// Owners see the counts, not buttons: nobody votes on their own.
			SignedIn: v.SignedIn() && !v.Owns(p), CSRFToken: csrfToken(c),
		},
		Star: views.StarView{
			Action: pastePath(p.ID) + "/star", Starred: social.Starred, Stars: p.Stars,
			SignedIn: v.SignedIn(), CSRFToken: csrfToken(c),
		},
		Comments: comments,
	}
}

// recordView counts this request as a view of p (once a day per visitor).
func (a *App) recordView(c *fiber.Ctx, v paste.Viewer, p paste.Paste) {
	a.deps.Pastes.RecordView(v, p, clientAddr(c)+"\x00"+c.Get(fiber.HeaderUserAgent))
}

func (a *App) commentsView(c *fiber.Ctx, v paste.Viewer, p paste.Paste, cursor string, draft *views.CommentDraft) (views.CommentsView, error) {
	order := pageCommentOrder(c)
	page, err := a.deps.Pastes.CommentsOf(c.UserContext(), v, p, order, cursor)
	if err != nil {
		return views.CommentsView{}, err
	}
	return a.commentsViewOf(c, v, p, order, cursor, page, draft), nil
}

// pageCommentOrder is the order the page asks for; a page forgives an
// unknown order: it shows the default one.
func pageCommentOrder(c *fiber.Ctx) paste.CommentOrder {
	order, err := paste.ParseCommentOrder(c.Query("order"))
	if err != nil {
		return paste.OldestFirst
	}
	return order
}

// commentsViewOf is the comments section showing page.
func (a *App) commentsViewOf(c *fiber.Ctx, v paste.Viewer, p paste.Paste, order paste.CommentOrder, cursor string, page paste.CommentPage, draft *views.CommentDraft) views.CommentsView {
	base := pastePath(p.ID)
	// Links within the comments keep their order.
	q := url.Values{}
	if order == paste.NewestFirst {
		q.Set("order", string(order))
	}
	first := base
	if len(q) > 0 {
		first += "?" + q.Encode()
	}
	back := first
	if cursor != "" {
		q.Set("comments", cursor)
		back = base + "?" + q.Encode()
		q.Del("comments")
	}
	cv := views.CommentsView{
		Order:     string(order),
		OldestURL: base + "#" + views.CommentsID,
		NewestURL: base + "?order=" + string(paste.NewestFirst) + "#" + views.CommentsID,
		PasteID:   p.ID,
		SignedIn:  v.SignedIn(),
		LoginURL:  "/login?next=" + url.QueryEscape(base+"#"+views.CommentsID),
		CSRFToken: csrfToken(c),
		FirstPage: cursor == "",
		FirstURL:  first + "#" + views.CommentsID,
		Form:      views.CommentFormView{Action: base + "/comments", CSRFToken: csrfToken(c), Lines: true},
		Threads:   a.threads(c, v, p, back, page, draft),
	}
	if page.NextCursor != "" {
		q.Set("comments", page.NextCursor)
		cv.NextURL = base + "?" + q.Encode() + "#" + views.CommentsID
	}
	if draft != nil && draft.ParentID == 0 && draft.EditID == 0 {
		cv.Form.Body, cv.Form.Errors = draft.Body, draft.Errors
		cv.Form.LineStart, cv.Form.LineEnd = draft.LineStart, draft.LineEnd
	}
	return cv
}

// threads groups comments in reading order into their threads. back is the
// page they are shown on ("" in an answer to a caller who has not shown it
// has p's ID: nothing then names p).
func (a *App) threads(c *fiber.Ctx, v paste.Viewer, p paste.Paste, back string, page paste.CommentPage, draft *views.CommentDraft) []views.ThreadView {
	var out []views.ThreadView
	authors := make(map[int64]string, len(page.Items))
	for _, cm := range page.Items {
		if len(out) == 0 || out[len(out)-1].RootID != cm.ThreadID() {
			out = append(out, views.ThreadView{RootID: cm.ThreadID()})
			if cur := page.MoreReplies[cm.ThreadID()]; cur != "" && back != "" {
				out[len(out)-1].MoreURL = repliesURL(p.ID, cm.ThreadID(), "cursor", cur)
			}
		}
		t := &out[len(out)-1]
		cv := a.commentView(c, v, p, back, cm, draft)
		cv.ParentAuthor = authors[cm.ParentID]
		authors[cm.ID] = cm.AuthorName
		t.Comments = append(t.Comments, cv)
	}
	return out
}

// repliesURL is the page of a thread's replies from a cursor (key
// "cursor") or starting at a reply (key "at").
func repliesURL(id paste.ID, root int64, key, value string) string {
	return pastePath(id) + "/comments/" + strconv.FormatInt(root, 10) + "?" + key + "=" + url.QueryEscape(value)
}

func (a *App) commentView(c *fiber.Ctx, v paste.Viewer, p paste.Paste, back string, cm paste.Comment, draft *views.CommentDraft) views.CommentView {
	cid := strconv.FormatInt(cm.ID, 10)
	cv := views.CommentView{
		Comment:   cm,
		EditURL:   withNext("/c/"+cid+"/edit", back),
		DeleteURL: withNext("/c/"+cid+"/delete", back),
		Votes: views.VoteView{
			ElemID: views.CommentVotesID(cm.ID), Action: withNext("/c/"+cid+"/rate", back),
			Rating:   paste.Rating{Likes: cm.Likes, Dislikes: cm.Dislikes, Mine: cm.MyVote},
			SignedIn: v.SignedIn() && cm.AuthorID != v.UserID, CSRFToken: csrfToken(c),
		},
		// Replies post to the paste, which only a page that has its ID
		// may name.
		CanReply:  v.SignedIn() && !cm.Deleted && back != "",
		CanEdit:   v.SignedIn() && !cm.Deleted && cm.AuthorID == v.UserID,
		CanDelete: paste.CanDeleteComment(v, p, cm),
		CSRFToken: csrfToken(c),

		PasteRevision: p.Revision,
	}
	if cv.CanReply {
		cv.ReplyURL = pastePath(p.ID) + "/comments"
	}
	if v.SignedIn() && !cm.Deleted && a.deps.Admin != nil && cm.AuthorID != v.UserID {
		cv.Report = &views.ReportFormView{Action: withNext("/c/"+cid+"/report", back), CSRFToken: csrfToken(c), TestID: "report-comment"}
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
	lineStart, lineEnd := c.FormValue("line_start"), c.FormValue("line_end")
	var cm paste.Comment
	lines, err := formLines(lineStart, lineEnd)
	if err == nil {
		cm, err = a.deps.Pastes.AddCommentOn(ctx, v, id, body, parent, lines)
	}
	var verr *paste.ValidationError
	if asValidation(err, &verr) {
		return a.commentFailed(c, v, id, pastePath(id), &views.CommentDraft{ParentID: parent, Body: body, LineStart: lineStart, LineEnd: lineEnd, Errors: verr.Fields})
	}
	if err != nil {
		return err
	}
	// The caller named the paste: answers may too.
	p, err := a.deps.Pastes.Get(ctx, v, cm.PasteID)
	if err != nil {
		return err
	}
	back := pastePath(p.ID)
	page, err := a.deps.Pastes.Thread(ctx, v, p, cm.ThreadID())
	if err != nil {
		return err
	}
	if !containsComment(page.Items, cm.ID) {
		// Past the replies a page shows: the thread's own page, at it.
		return redirect(c, repliesURL(p.ID, cm.ThreadID(), "at", strconv.FormatInt(cm.ID, 10))+"#"+views.CommentElemID(cm.ID))
	}
	if !isHTMX(c) {
		return c.Redirect(back+"#"+views.CommentElemID(cm.ID), fiber.StatusSeeOther)
	}
	if !cm.Lines.IsZero() {
		// A comment on lines shows beside them too: the whole page again,
		// still at the selected lines (a redirect to the same page with
		// another fragment would not reload it).
		c.Set("HX-Refresh", "true")
		return c.SendStatus(fiber.StatusOK)
	}
	thread := a.threadOf(c, v, p, back, page, nil)
	social, err := a.deps.Pastes.Social(ctx, v, p)
	if err != nil {
		return err
	}
	if parent != 0 {
		// A reply changes the counts too (heading and social bar).
		return a.render(c, fiber.StatusOK, templ.Join(views.Thread(thread), views.CommentCountOOB(social.Comments)))
	}
	form := views.CommentFormView{Action: pastePath(p.ID) + "/comments", CSRFToken: csrfToken(c), OOB: true}
	return a.render(c, fiber.StatusOK, templ.Join(views.Thread(thread), views.CommentForm(form), views.CommentCountOOB(social.Comments)))
}

func containsComment(items []paste.Comment, id int64) bool {
	for _, c := range items {
		if c.ID == id {
			return true
		}
	}
	return false
}

// threadOf builds the one thread of page for an HTMX answer.
func (a *App) threadOf(c *fiber.Ctx, v paste.Viewer, p paste.Paste, back string, page paste.CommentPage, draft *views.CommentDraft) views.ThreadView {
	if ts := a.threads(c, v, p, back, page, draft); len(ts) == 1 {
		return ts[0]
	}
	return views.ThreadView{}
}

// threadPage is a page of one thread's replies (GET
// /{id}/comments/{root}?cursor= or ?at=): the "More replies" link of the
// paste page. htmx asks for the replies alone, which replace the link;
// without JavaScript it is a page of its own.
func (a *App) threadPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	root, err := strconv.ParseInt(c.Params("root"), 10, 64)
	if err != nil || root <= 0 {
		return paste.ErrNotFound
	}
	p, err := a.deps.Pastes.Get(ctx, v, paste.ID(c.Params("id")))
	if err != nil {
		return err
	}
	if p.BurnAfterReading || !a.deps.Pastes.HasCommunity() {
		return paste.ErrNotFound
	}
	var at int64
	if s := c.Query("at"); s != "" {
		if at, err = strconv.ParseInt(s, 10, 64); err != nil || at <= 0 {
			return paste.FieldError("at", "is not a reply in this thread")
		}
	}
	replies, err := a.deps.Pastes.Replies(ctx, v, p.ID, root, c.Query("cursor"), at)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Vary("HX-Request")
	back := pastePath(p.ID) + "/comments/" + strconv.FormatInt(root, 10)
	if s := c.Request().URI().QueryString(); len(s) > 0 {
		back += "?" + string(s)
	}
	rv := views.RepliesView{}
	for _, cm := range replies.Items {
		rv.Comments = append(rv.Comments, a.commentView(c, v, p, back, cm, nil))
	}
	if replies.NextCursor != "" {
		rv.MoreURL = repliesURL(p.ID, root, "cursor", replies.NextCursor)
	}
	if isHTMX(c) {
		return a.render(c, fiber.StatusOK, views.Replies(rv))
	}
	thread, err := a.deps.Pastes.Thread(ctx, v, p, root)
	if err != nil {
		return err
	}
	if len(thread.Items) == 0 {
		return paste.ErrNotFound
	}
	tv := views.ThreadPageView{
		PasteTitle: titleOf(p),
		PasteURL:   pastePath(p.ID) + "#" + views.ThreadElemID(root),
		StartURL:   repliesURL(p.ID, root, "cursor", ""),
		FirstPage:  c.Query("cursor") == "" && at == 0,
		Root:       a.commentView(c, v, p, back, thread.Items[0], nil),
		Replies:    rv,
	}
	return a.render(c, fiber.StatusOK, views.ThreadPage(a.page(c, "Replies: "+titleOf(p)), tv))
}

// commentFailed answers a comment form that failed validation with 422:
// for htmx the fragment holding the form (the new-comment form, the
// thread of a reply, or the edited comment), otherwise the whole paste page
// with the form open and its errors. back is the page the form is on, ""
// when the caller has not shown it has the paste's ID (see cameFrom): then
// the answer is the bare error.
func (a *App) commentFailed(c *fiber.Ctx, v paste.Viewer, id paste.ID, back string, draft *views.CommentDraft) error {
	ctx := c.UserContext()
	p, err := a.deps.Pastes.Get(ctx, v, id)
	if err != nil {
		return err
	}
	if p.BurnAfterReading || back == "" {
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
			return a.render(c, status, views.CommentItem(a.commentView(c, v, p, back, cm, draft)))
		case draft.ParentID != 0:
			cm, err := a.deps.Pastes.Comment(ctx, v, draft.ParentID)
			if err != nil || cm.PasteID != p.ID {
				return &paste.ValidationError{Fields: draft.Errors}
			}
			page, err := a.deps.Pastes.Thread(ctx, v, p, cm.ThreadID())
			if err != nil {
				return err
			}
			if !containsComment(page.Items, cm.ID) {
				// The form was on a later page of replies: its errors alone.
				return &paste.ValidationError{Fields: draft.Errors}
			}
			return a.render(c, status, views.Thread(a.threadOf(c, v, p, back, page, draft)))
		}
		c.Set("HX-Retarget", "#"+views.CommentFormID)
		c.Set("HX-Reswap", "outerHTML")
		return a.render(c, status, views.CommentForm(views.CommentFormView{
			Action: pastePath(p.ID) + "/comments", Body: draft.Body, Errors: draft.Errors, CSRFToken: csrfToken(c),
			LineStart: draft.LineStart, LineEnd: draft.LineEnd, Lines: true,
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
		return a.commentFailed(c, v, old.PasteID, cameFrom(c, old.PasteID), &views.CommentDraft{EditID: cid, Body: body, Errors: verr.Fields})
	}
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return backTo(c, cm.PasteID, "#"+views.CommentElemID(cm.ID))
	}
	p, err := a.deps.Pastes.Get(ctx, v, cm.PasteID)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.CommentItem(a.commentView(c, v, p, cameFrom(c, p.ID), cm, nil)))
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
		return backTo(c, old.PasteID, "#"+views.CommentsID)
	}
	p, err := a.deps.Pastes.Get(ctx, v, old.PasteID)
	if err != nil {
		return err
	}
	page, err := a.deps.Pastes.Thread(ctx, v, p, old.ThreadID())
	if err != nil {
		return err
	}
	social, err := a.deps.Pastes.Social(ctx, v, p)
	if err != nil {
		return err
	}
	count := views.CommentCountOOB(social.Comments) // the counts drop by one
	if len(page.Items) == 0 {
		// The whole thread is gone: an answer of only the counts removes it.
		return a.render(c, fiber.StatusOK, count)
	}
	return a.render(c, fiber.StatusOK, templ.Join(views.Thread(a.threadOf(c, v, p, cameFrom(c, p.ID), page, nil)), count))
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
		return backTo(c, cm.PasteID, "#"+views.CommentElemID(cid))
	}
	return a.render(c, fiber.StatusOK, views.VoteWidget(views.VoteView{
		ElemID: views.CommentVotesID(cid), Action: withNext("/c/"+strconv.FormatInt(cid, 10)+"/rate", cameFrom(c, cm.PasteID)),
		Rating: r, SignedIn: true, CSRFToken: csrfToken(c),
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
			Summary: a.feedSummary(p),
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
