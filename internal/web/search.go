package web

import (
	"errors"
	"sort"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
	"pastel/views"
)

// searchPageSize is how many results a search page shows.
const searchPageSize = 20

// registerSearch mounts the search page and its fragments.
func (a *App) registerSearch() {
	a.Get("/search", a.search)
}

// search answers GET /search: the whole page, or for htmx just the results
// fragment. An empty query shows the form alone. The answer depends on
// HX-Request, so it says so (Vary), and a history restore (htmx asking
// for a page it no longer has in its cache, after Back) gets the whole
// page: it replaces the body, not the results.
//
// The whole page of an anonymous search (public pastes only) is kept
// rendered, like the explore page (sharedList), until any paste changes;
// a signed-in visitor's, which may show their private pastes, never is.
func (a *App) search(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	c.Vary("HX-Request", "HX-History-Restore-Request")
	key, shared := a.sharedList(c, "search")
	shared = shared && c.Get("HX-History-Restore-Request") != "true"
	if shared {
		if s := a.keptList(key); s != nil {
			sendSnapshot(c, s)
			return nil
		}
	}
	var epoch uint64
	if shared {
		epoch = a.deps.Lists.Begin() // before anything the page shows is read
	}
	sort := strings.Clone(c.Query("sort"))
	if s, ok := paste.ParseSearchSort(sort); ok {
		sort = string(s)
	}
	sv := views.SearchView{
		Q:        strings.Clone(c.Query("q")),
		Syntax:   strings.Clone(c.Query("syntax")),
		Owner:    strings.Clone(c.Query("owner")),
		Tag:      strings.Clone(c.Query("tag")),
		Sort:     sort,
		Mine:     v.SignedIn(),
		Syntaxes: a.searchSyntaxes(),
	}
	fragment := isHTMX(c) && c.Get("HX-History-Restore-Request") != "true"
	status := fiber.StatusOK
	if strings.TrimSpace(sv.Q) != "" {
		sv.Searched = true
		page, err := a.deps.Pastes.Search(ctx, v, paste.SearchInput{
			Q: sv.Q, Syntax: sv.Syntax, Owner: sv.Owner, Tag: sv.Tag, Sort: sv.Sort, Facets: true,
			Cursor: c.Query("cursor"), Limit: searchPageSize,
		})
		var verr *paste.ValidationError
		switch {
		case errors.As(err, &verr):
			sv.Error = searchMessage(verr)
			// htmx swaps only 2xx answers; the message must still show.
			if !fragment {
				status = fiber.StatusUnprocessableEntity
			}
		case errors.Is(err, paste.ErrUnauthorized):
			sv.Error = "Sign in to search your own pastes."
		case err != nil:
			return err
		default:
			sv.Items, sv.Next = page.Items, page.NextCursor
			sv.Suggestion, sv.Facets, sv.FacetsApprox = page.Suggestion, page.Facets, page.FacetsApprox
		}
	}
	if fragment {
		return a.render(c, status, views.SearchResults(sv))
	}
	build := func() templ.Component {
		p := a.page(c, "Search")
		p.Query = sv.Q
		return views.SearchPage(p, sv)
	}
	if !shared || status != fiber.StatusOK || sv.Error != "" {
		return a.render(c, status, build())
	}
	s, err := a.renderList(c, build)
	if err != nil {
		return err
	}
	items := make([]paste.Paste, len(sv.Items))
	for i, it := range sv.Items {
		items[i] = it.Paste
	}
	a.keepList(epoch, key, s, items)
	sendSnapshot(c, s)
	return nil
}

func (a *App) searchSyntaxes() []views.SyntaxOption {
	list := a.deps.Syntaxes.List()
	opts := make([]views.SyntaxOption, 0, len(list))
	for _, s := range list {
		opts = append(opts, views.SyntaxOption{Key: s.Key, Label: s.Label})
	}
	return opts
}

func searchMessage(verr *paste.ValidationError) string {
	keys := make([]string, 0, len(verr.Fields))
	for k := range verr.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	names := map[string]string{"q": "The query", "owner": "The author", "syntax": "The language", "tag": "The tag", "sort": "The order", "cursor": "The page"}
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		name := names[k]
		if name == "" {
			name = k
		}
		parts = append(parts, name+" "+verr.Fields[k]+".")
	}
	return strings.Join(parts, " ")
}
