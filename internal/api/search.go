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

// facetJSON is one language and how many matches it has.
type facetJSON struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

type searchJSON struct {
	Items      []searchHitJSON `json:"items"`
	NextCursor *string         `json:"next_cursor"`
	Sort       string          `json:"sort"`
	// DidYouMean is the corrected query when the words as typed matched
	// nothing and the items match it instead; null otherwise.
	DidYouMean *string `json:"did_you_mean"`
	// Facets (with ?facets=syntax) counts the matches per language,
	// whatever the syntax filter; approximate when a common word's
	// matches were sampled.
	Facets            map[string][]facetJSON `json:"facets,omitempty"`
	FacetsApproximate *bool                  `json:"facets_approximate,omitempty"`
}

// registerSearch mounts GET /search.
func (h *handler) registerSearch(r fiber.Router) {
	r.Get("/search", h.search)
}

// search answers GET /search?q=&syntax=&owner=&tag=&sort=&facets=&cursor=&limit=.
func (h *handler) search(c *fiber.Ctx) error {
	limit, err := queryInt(c, "limit")
	if err != nil {
		return err
	}
	facets := false
	switch c.Query("facets") {
	case "":
	case "syntax":
		facets = true
	default:
		return paste.FieldError("facets", "must be syntax")
	}
	ctx := c.UserContext()
	page, err := h.Pastes.Search(ctx, paste.ViewerFrom(ctx), paste.SearchInput{
		Q: c.Query("q"), Syntax: c.Query("syntax"), Owner: c.Query("owner"), Tag: c.Query("tag"),
		Sort: c.Query("sort"), Facets: facets, Cursor: c.Query("cursor"), Limit: limit,
	})
	if err != nil {
		return err
	}
	out := searchJSON{Items: make([]searchHitJSON, len(page.Items)), Sort: string(page.Sort)}
	for i, it := range page.Items {
		out.Items[i] = searchHitJSON{pasteJSON: h.toJSON(it.Paste), Snippet: it.Snippet.HTML()}
	}
	if page.NextCursor != "" {
		out.NextCursor = &page.NextCursor
	}
	if page.Suggestion != "" {
		out.DidYouMean = &page.Suggestion
	}
	if facets {
		list := make([]facetJSON, len(page.Facets))
		for i, f := range page.Facets {
			list[i] = facetJSON{Value: f.Value, Count: f.Count}
		}
		out.Facets = map[string][]facetJSON{"syntax": list}
		out.FacetsApproximate = &page.FacetsApprox
	}
	return c.JSON(out)
}
