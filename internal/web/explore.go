package web

import (
	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
	"pastel/views"
)

// explore lists public pastes: recent (optionally in one language, with
// the latest pastes' languages to pick from), popular, or trending this
// week.
func (a *App) explore(c *fiber.Ctx) error {
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
	if view.Sort == "recent" && a.deps.Pastes.HasCommunity() {
		if view.Languages, err = a.deps.Pastes.Languages(ctx); err != nil {
			return err
		}
	}
	view.Items, view.NextCursor = page.Items, page.NextCursor
	// The page names itself after what it shows (views.exploreTitle).
	return a.render(c, fiber.StatusOK, views.ExplorePage(a.page(c, ""), view))
}
