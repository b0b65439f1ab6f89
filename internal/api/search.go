package api

import (
	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
)

// searchHitJSON is a paste as in every other answer plus the snippet that
// matched: escaped HTML whose only markup is <mark> around matched words.
type searchHitJSON struct {
	pasteJSON
	Snippet string `json:"snippet"`
}

type searchJSON struct {
	Items      []searchHitJSON `json:"items"`
	NextCursor *string         `json:"next_cursor"`
}

// registerSearch mounts GET /search.
func (h *handler) registerSearch(r fiber.Router) {
	r.Get("/search", h.search)
}

// search answers GET /search?q=&syntax=&owner=&cursor=&limit=.
func (h *handler) search(c *fiber.Ctx) error {
	limit, err := queryInt(c, "limit")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	page, err := h.Pastes.Search(ctx, paste.ViewerFrom(ctx), paste.SearchInput{
		Q: c.Query("q"), Syntax: c.Query("syntax"), Owner: c.Query("owner"),
		Cursor: c.Query("cursor"), Limit: limit,
	})
	if err != nil {
		return err
	}
	out := searchJSON{Items: make([]searchHitJSON, len(page.Items))}
	for i, it := range page.Items {
		out.Items[i] = searchHitJSON{pasteJSON: h.toJSON(it.Paste), Snippet: it.Snippet.HTML()}
	}
	if page.NextCursor != "" {
		out.NextCursor = &page.NextCursor
	}
	return c.JSON(out)
}
