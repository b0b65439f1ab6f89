package api

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
)

// registerCommunity mounts comment, star and rating routes.
func (h *handler) registerCommunity(r fiber.Router) {
	r.Get("/pastes/:id/comments", h.listComments)
	r.Post("/pastes/:id/comments", h.createComment)
	r.Patch("/comments/:cid", h.updateComment)
	r.Delete("/comments/:cid", h.deleteComment)
	r.Put("/comments/:cid/rating", h.rateComment)
	r.Put("/pastes/:id/rating", h.ratePaste)
	r.Put("/pastes/:id/star", h.star)
	r.Delete("/pastes/:id/star", h.unstar)
	r.Get("/stars", h.listStars)
}

// commentJSON is a comment as the API shows it. A deleted comment kept as
// a placeholder for its replies has deleted true, no body and no author.
type commentJSON struct {
	ID        int64     `json:"id"`
	PasteID   string    `json:"paste_id"` // "" where the caller is not shown it
	ParentID  *int64    `json:"parent_id"`
	Depth     int       `json:"depth"`
	Author    *string   `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Likes     int64     `json:"likes"`
	Dislikes  int64     `json:"dislikes"`
	MyRating  int       `json:"my_rating"`
	Deleted   bool      `json:"deleted"`
	// LineStart and LineEnd are the lines a comment is about (absent: the
	// paste as a whole), numbered as in revision LineRevision.
	LineStart    *int   `json:"line_start,omitempty"`
	LineEnd      *int   `json:"line_end,omitempty"`
	LineRevision *int32 `json:"line_revision,omitempty"`
	// RepliesNextCursor, on a top-level comment in a list, fetches the
	// replies of its thread the list leaves out
	// (GET …/comments?thread_id={id}&cursor=).
	RepliesNextCursor *string `json:"replies_next_cursor,omitempty"`
}

func toCommentJSON(c paste.Comment) commentJSON {
	out := commentJSON{
		ID: c.ID, PasteID: string(c.PasteID), Depth: c.Depth, Body: c.Body,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Likes: c.Likes, Dislikes: c.Dislikes,
		MyRating: c.MyVote, Deleted: c.Deleted,
	}
	if c.ParentID != 0 {
		p := c.ParentID
		out.ParentID = &p
	}
	if !c.Deleted && c.AuthorName != "" {
		a := c.AuthorName
		out.Author = &a
	}
	if l := c.Lines; !l.IsZero() {
		out.LineStart, out.LineEnd, out.LineRevision = &l.Start, &l.End, &l.Revision
	}
	return out
}

type commentListJSON struct {
	Items      []commentJSON `json:"items"`
	NextCursor *string       `json:"next_cursor"`
	Total      int64         `json:"total"`
}

// listComments answers a page of threads in reading order (each top-level
// comment followed by its first replies, depth first), or with thread_id a
// page of that thread's replies.
func (h *handler) listComments(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v, id := paste.ViewerFrom(ctx), paste.ID(c.Params("id"))
	if s := c.Query("thread_id"); s != "" {
		root, err := strconv.ParseInt(s, 10, 64)
		if err != nil || root <= 0 {
			return paste.FieldError("thread_id", "is not a top-level comment on this paste")
		}
		page, err := h.Pastes.Replies(ctx, v, id, root, c.Query("cursor"), 0)
		if err != nil {
			return err
		}
		out := commentListJSON{Items: make([]commentJSON, len(page.Items))}
		for i, cm := range page.Items {
			out.Items[i] = toCommentJSON(cm)
		}
		if page.NextCursor != "" {
			out.NextCursor = &page.NextCursor
		}
		return c.JSON(out)
	}
	order, err := paste.ParseCommentOrder(c.Query("order"))
	if err != nil {
		return err
	}
	page, err := h.Pastes.Comments(ctx, v, id, order, c.Query("cursor"))
	if err != nil {
		return err
	}
	out := commentListJSON{Items: make([]commentJSON, len(page.Items)), Total: page.Total}
	for i, cm := range page.Items {
		out.Items[i] = toCommentJSON(cm)
		if cur, ok := page.MoreReplies[cm.ID]; ok && cm.ParentID == 0 {
			out.Items[i].RepliesNextCursor = &cur
		}
	}
	if page.NextCursor != "" {
		out.NextCursor = &page.NextCursor
	}
	return c.JSON(out)
}

type commentRequest struct {
	Body      *string `json:"body"`
	ParentID  *int64  `json:"parent_id"`
	LineStart *int    `json:"line_start"`
	LineEnd   *int    `json:"line_end"`
}

func (h *handler) createComment(c *fiber.Ctx) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	var in commentRequest
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	var body string
	if in.Body != nil {
		body = *in.Body
	}
	var parent int64
	if in.ParentID != nil {
		if *in.ParentID <= 0 {
			return paste.FieldError("parent_id", "is not a comment on this paste")
		}
		parent = *in.ParentID
	}
	var lines paste.LineRange
	if in.LineEnd != nil {
		if in.LineStart == nil {
			return paste.FieldError("line_start", "is required with line_end")
		}
		if lines.End = *in.LineEnd; lines.End < 1 {
			return paste.FieldError("line_end", "must be at least 1")
		}
	}
	if in.LineStart != nil {
		if lines.Start = *in.LineStart; lines.Start < 1 {
			return paste.FieldError("line_start", "must be at least 1")
		}
	}
	cm, err := h.Pastes.AddCommentOn(c.UserContext(), v, paste.ID(c.Params("id")), body, parent, lines)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toCommentJSON(cm))
}

func apiCommentID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("cid"), 10, 64)
	if err != nil || id <= 0 {
		return 0, paste.ErrNotFound
	}
	return id, nil
}

func (h *handler) updateComment(c *fiber.Ctx) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	id, err := apiCommentID(c)
	if err != nil {
		return err
	}
	var in struct {
		Body *string `json:"body"`
	}
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if in.Body == nil {
		return paste.FieldError("body", "is required")
	}
	cm, err := h.Pastes.EditComment(c.UserContext(), v, id, *in.Body)
	if err != nil {
		return err
	}
	out := toCommentJSON(cm)
	// Addressed by comment ID alone: the paste is named only to whom it
	// is no news (see the web's cameFrom). Its author may not have it: a
	// public paste made unlisted gets a new ID.
	if p, err := h.Pastes.Get(c.UserContext(), v, cm.PasteID); err != nil || (p.Visibility != paste.Public && !v.Owns(p)) {
		out.PasteID = ""
	}
	return c.JSON(out)
}

func (h *handler) deleteComment(c *fiber.Ctx) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	id, err := apiCommentID(c)
	if err != nil {
		return err
	}
	if _, err := h.Pastes.DeleteComment(c.UserContext(), v, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type ratingJSON struct {
	Likes    int64 `json:"likes"`
	Dislikes int64 `json:"dislikes"`
	MyRating int   `json:"my_rating"`
}

// ratingValue decodes {"value": 1|-1|0}; anything else is 422 naming value.
func ratingValue(c *fiber.Ctx) (int, error) {
	var in struct {
		Value json.RawMessage `json:"value"`
	}
	if err := decodeJSON(c.Body(), &in); err != nil {
		return 0, err
	}
	// The raw token: "1" (a string), 1.0 and 1e0 are refused.
	if in.Value != nil {
		switch string(in.Value) {
		case "1":
			return 1, nil
		case "-1":
			return -1, nil
		case "0":
			return 0, nil
		}
	}
	return 0, paste.FieldError("value", "must be 1, -1 or 0")
}

func (h *handler) ratePaste(c *fiber.Ctx) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	id := paste.ID(c.Params("id"))
	// Visibility first: a paste the caller may not see is 404 whatever the body.
	if _, err := h.Pastes.Get(ctx, v, id); err != nil {
		return err
	}
	value, err := ratingValue(c)
	if err != nil {
		return err
	}
	r, err := h.Pastes.RatePaste(ctx, v, id, value)
	if err != nil {
		return err
	}
	return c.JSON(ratingJSON{Likes: r.Likes, Dislikes: r.Dislikes, MyRating: r.Mine})
}

func (h *handler) rateComment(c *fiber.Ctx) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	id, err := apiCommentID(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	if _, err := h.Pastes.Comment(ctx, v, id); err != nil {
		return err
	}
	value, err := ratingValue(c)
	if err != nil {
		return err
	}
	r, err := h.Pastes.RateComment(ctx, v, id, value)
	if err != nil {
		return err
	}
	return c.JSON(ratingJSON{Likes: r.Likes, Dislikes: r.Dislikes, MyRating: r.Mine})
}

func (h *handler) setStar(c *fiber.Ctx, on bool) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	if _, err := h.Pastes.Star(c.UserContext(), v, paste.ID(c.Params("id")), on); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *handler) star(c *fiber.Ctx) error   { return h.setStar(c, true) }
func (h *handler) unstar(c *fiber.Ctx) error { return h.setStar(c, false) }

func (h *handler) listStars(c *fiber.Ctx) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	limit, err := queryInt(c, "limit")
	if err != nil {
		return err
	}
	page, err := h.Pastes.Stars(c.UserContext(), v, c.Query("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(h.listOf(page))
}
