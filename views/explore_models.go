package views

import (
	"context"
	"net/url"
)

// LanguageURL is the explore page filtered to one syntax.
func LanguageURL(syntax string) string {
	return "/explore?" + url.Values{"language": {syntax}}.Encode()
}

// languageNextHref is the next page of one language's pastes; "" without
// a cursor.
func languageNextHref(syntax, cursor string) string {
	if cursor == "" {
		return ""
	}
	return "?" + url.Values{"language": {syntax}, "cursor": {cursor}}.Encode()
}

// exploreTitle names the explore page after what it shows.
func exploreTitle(ctx context.Context, e ExploreView) string {
	switch {
	case e.Sort == "trending":
		return "Trending this week"
	case e.Sort == "popular":
		return "Popular pastes"
	case e.Language != "":
		return syntaxLabel(ctx, e.Language) + " pastes"
	case e.Tag != "":
		return "Pastes tagged " + e.Tag
	}
	return "Explore"
}
