package views

import (
	"net/url"

	"pastel/internal/paste"
)

// SearchResultsID is the element the search form's htmx requests replace.
const SearchResultsID = "search-results"

// SearchFormID is the search page's form, which htmx indicators and
// requests refer to.
const SearchFormID = "search-page-form"

// SearchView is the search page: the query and filters as typed, the
// results, and a validation message when the query could not run.
type SearchView struct {
	Q        string
	Syntax   string
	Owner    string
	Tag      string
	Sort     string // "relevance" or "recent"
	Mine     bool   // signed in: own pastes (private included) are searched too
	Syntaxes []SyntaxOption
	Items    []paste.SearchResult
	Next     string // cursor of the next page, "" at the end
	Error    string
	Searched bool // a query was given
	// Suggestion is the corrected query the items match when the words as
	// typed matched nothing ("Did you mean …").
	Suggestion   string
	Facets       []paste.Facet
	FacetsApprox bool
}

// SearchFacetLimit is how many languages the facet list shows.
const SearchFacetLimit = 12

// values are the query parameters of the same search with the given
// changes ("" removes a parameter); the cursor is never carried over.
func (v SearchView) values(changes ...string) url.Values {
	q := url.Values{"q": {v.Q}}
	for k, val := range map[string]string{"syntax": v.Syntax, "owner": v.Owner, "tag": v.Tag} {
		if val != "" {
			q.Set(k, val)
		}
	}
	if v.Sort == string(paste.SortRecent) {
		q.Set("sort", v.Sort)
	}
	for i := 0; i+1 < len(changes); i += 2 {
		if changes[i+1] == "" {
			q.Del(changes[i])
		} else {
			q.Set(changes[i], changes[i+1])
		}
	}
	return q
}

// NextHref is the link to the next page of the same search.
func (v SearchView) NextHref() string {
	if v.Next == "" {
		return ""
	}
	return "/search?" + v.values("cursor", v.Next).Encode()
}

// SuggestionHref is the link to search for the suggestion instead.
func (v SearchView) SuggestionHref() string {
	return "/search?" + v.values("q", v.Suggestion).Encode()
}

// FacetHref is the link that narrows the search to one language, or with
// "" widens it to all.
func (v SearchView) FacetHref(syntax string) string {
	return "/search?" + v.values("syntax", syntax).Encode()
}

// SyntaxLabel is the display name of a syntax key.
func (v SearchView) SyntaxLabel(key string) string {
	for _, o := range v.Syntaxes {
		if o.Key == key {
			return o.Label
		}
	}
	return key
}

// ShownFacets are the facets the page lists: the most frequent languages,
// and the selected one even when it is not among them.
func (v SearchView) ShownFacets() []paste.Facet {
	out := v.Facets
	if len(out) > SearchFacetLimit {
		out = out[:SearchFacetLimit]
		for _, f := range v.Facets[SearchFacetLimit:] {
			if f.Value == v.Syntax {
				out = append(out[:len(out):len(out)], f)
			}
		}
	}
	return out
}
