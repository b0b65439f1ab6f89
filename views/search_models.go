package views

import (
	"net/url"

	"pastel/internal/paste"
)

// SearchResultsID is the element the search form's htmx requests replace.
const SearchResultsID = "search-results"

// SearchView is the search page: the query and filters as typed, the
// results, and a validation message when the query could not run.
type SearchView struct {
	Q        string
	Syntax   string
	Owner    string
	Mine     bool // signed in: own pastes (private included) are searched too
	Syntaxes []SyntaxOption
	Items    []paste.SearchResult
	Next     string // cursor of the next page, "" at the end
	Error    string
	Searched bool // a query was given
}

// NextHref is the link to the next page of the same search.
func (v SearchView) NextHref() string {
	if v.Next == "" {
		return ""
	}
	q := url.Values{"q": {v.Q}, "cursor": {v.Next}}
	if v.Syntax != "" {
		q.Set("syntax", v.Syntax)
	}
	if v.Owner != "" {
		q.Set("owner", v.Owner)
	}
	return "/search?" + q.Encode()
}
