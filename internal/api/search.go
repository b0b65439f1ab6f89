package api

import (
	"encoding/json"
	"time"

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

// searchTTL bounds how long an anonymous search's answer is kept: an
// external engine indexes from a queue, after the commit that forgot it.
const searchTTL = 10 * time.Second

// search answers GET /search?q=&syntax=&owner=&tag=&sort=&facets=&cursor=&limit=.
// An anonymous caller's answer, public pastes only, is the same for every
// such caller: its JSON is kept by the request's path and query, until
// any paste changes or searchTTL passes (ListCache). A caller with a token
// is never answered from it, nor adds to it: their answer may hold their
// private pastes.
func (h *handler) search(c *fiber.Ctx) error {
	shared := h.Lists != nil && !paste.ViewerFrom(c.UserContext()).SignedIn()
	key := "api:" + c.OriginalURL()
	if shared {
		if body, ok := h.Lists.Get(key, h.Pastes.Now()); ok {
			return sendJSON(c, body.([]byte))
		}
	}
	var epoch uint64
	if shared {
		epoch = h.Lists.Begin() // before anything the answer shows is read
	}
	out, until, err := h.searchAnswer(c)
	if err != nil {
		return err
	}
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	if shared {
		h.Lists.Keep(epoch, key, body, int64(len(body)), until)
	}
	return sendJSON(c, body)
}

// searchAnswer runs the search the request asks for; until is when its
// answer stops being true by itself (an expiry, or searchTTL).
func (h *handler) searchAnswer(c *fiber.Ctx) (searchJSON, time.Time, error) {
	limit, err := queryInt(c, "limit")
	if err != nil {
		return searchJSON{}, time.Time{}, err
	}
	facets := false
	switch c.Query("facets") {
	case "":
	case "syntax":
		facets = true
	default:
		return searchJSON{}, time.Time{}, paste.FieldError("facets", "must be syntax")
	}
	ctx := c.UserContext()
	page, err := h.Pastes.Search(ctx, paste.ViewerFrom(ctx), paste.SearchInput{
		Q: c.Query("q"), Syntax: c.Query("syntax"), Owner: c.Query("owner"), Tag: c.Query("tag"),
		Sort: c.Query("sort"), Facets: facets, Cursor: c.Query("cursor"), Limit: limit,
	})
	if err != nil {
		return searchJSON{}, time.Time{}, err
	}
	out := searchJSON{Items: make([]searchHitJSON, len(page.Items)), Sort: string(page.Sort)}
	until := h.Pastes.Now().Add(searchTTL)
	for i, it := range page.Items {
		out.Items[i] = searchHitJSON{pasteJSON: h.toJSON(it.Paste), Snippet: it.Snippet.HTML()}
		if e := it.Paste.ExpiresAt; !e.IsZero() && e.Before(until) {
			until = e
		}
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
	return out, until, nil
}
