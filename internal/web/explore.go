package web

import (
	"bytes"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
	"pastel/internal/readcache"
	"pastel/views"
)

// explore lists public pastes: recent (optionally in one language, with
// the latest pastes' languages to pick from), popular, or trending this
// week. The first page as anonymous visitors see it is kept rendered (see
// sharedList) and served with each visitor's own secrets.
func (a *App) explore(c *fiber.Ctx) error {
	key, shared := a.sharedList(c, "explore")
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
	ctx := c.UserContext()
	view := views.ExploreView{Sort: "recent"}
	var page paste.Page
	var err error
	switch sort := c.Query("sort"); {
	case sort == "popular":
		view.Sort = "popular"
		page, err = a.deps.Pastes.ListPopular(ctx, c.Query("cursor"), 30)
	case sort == "trending" && a.deps.Pastes.HasCommunity():
		view.Sort = "trending"
		page, err = a.deps.Pastes.ListTrending(ctx)
	case c.Query("tag") != "" && a.deps.Pastes.HasCommunity():
		page, err = a.deps.Pastes.ListByTag(ctx, c.Query("tag"), c.Query("cursor"), 30)
		view.Tag = paste.NormalizeTag(c.Query("tag"))
	case c.Query("language") != "" && a.deps.Pastes.HasCommunity():
		page, err = a.deps.Pastes.ListByLanguage(ctx, c.Query("language"), c.Query("cursor"), 30)
		// ListByLanguage has refused an unknown name; the chips and the
		// heading use the canonical one ("golang" is "go").
		view.Language, _ = a.deps.Syntaxes.Canonical(c.Query("language"))
	default:
		page, err = a.deps.Pastes.ListRecent(ctx, c.Query("cursor"), 30)
	}
	if err != nil {
		return err
	}
	if view.Sort == "recent" && view.Tag == "" && a.deps.Pastes.HasCommunity() {
		if view.Languages, err = a.deps.Pastes.Languages(ctx); err != nil {
			return err
		}
	}
	view.Items, view.NextCursor = page.Items, page.NextCursor
	// The page names itself after what it shows (views.exploreTitle).
	build := func() templ.Component { return views.ExplorePage(a.page(c, ""), view) }
	if !shared {
		return a.render(c, fiber.StatusOK, build())
	}
	s, err := a.renderList(c, build)
	if err != nil {
		return err
	}
	a.keepList(epoch, key, s, page.Items)
	sendSnapshot(c, s)
	return nil
}

// listPageTTL bounds how old the relative times ("3 minutes ago") on a
// kept list page may get.
const listPageTTL = time.Second

// sharedList reports whether the request sees the page every anonymous
// visitor sees at its URL (no account, one-off message or htmx; the first
// page, not one reached by a cursor), and the key it is kept under: its
// kind and its whole URL, which the page shows (views.Page.Path).
func (a *App) sharedList(c *fiber.Ctx, kind string) (string, bool) {
	if a.deps.Lists == nil || paste.ViewerFrom(c.UserContext()).SignedIn() ||
		c.Method() != fiber.MethodGet || isHTMX(c) || c.Query("cursor") != "" ||
		c.Cookies(flashCookie) != "" || c.Cookies(deleteCookie) != "" {
		return "", false
	}
	return "page:" + kind + ":" + c.OriginalURL(), true
}

// keptList returns the kept page under key, nil if none.
func (a *App) keptList(key string) *readcache.Snapshot {
	if v, ok := a.deps.Lists.Get(key, a.deps.Pastes.Now()); ok {
		return v.(*readcache.Snapshot)
	}
	return nil
}

// keepList keeps s, which shows items, until one of them expires or its
// times need saying again.
func (a *App) keepList(epoch uint64, key string, s *readcache.Snapshot, items []paste.Paste) {
	until := a.deps.Pastes.Now().Add(listPageTTL)
	if u := paste.ValidUntil(items); !u.IsZero() && u.Before(until) {
		until = u
	}
	a.deps.Lists.Keep(epoch, key, s, int64(s.Size()), until)
}

// renderList renders the component build returns, built with the CSRF
// stand-in in place of the request's token, with the nonce stand-in, and
// returns it cut (as renderSnapshot does for paste pages).
func (a *App) renderList(c *fiber.Ctx, build func() templ.Component) (*readcache.Snapshot, error) {
	own := c.Locals(localCSRF)
	c.Locals(localCSRF, &csrfState{value: tokenStandIn})
	comp := build()
	c.Locals(localCSRF, own)
	var buf bytes.Buffer
	ctx := templ.WithNonce(views.WithSyntaxLabels(c.UserContext(), a.deps.Syntaxes.Label), nonceStandIn)
	if err := comp.Render(ctx, &buf); err != nil {
		return nil, err
	}
	return newSnapshot(bytes.Clone(buf.Bytes()), 0, time.Now()), nil
}
