package views

import "github.com/a-h/templ"

// BookmarkletView is the bookmarklet page: the code people drag to their
// bookmarks bar, built by the server for its own BASE_URL.
type BookmarkletView struct {
	// Origin is the Pastel origin the bookmarklet talks to, shown to people.
	Origin string
	// Code is the bookmarklet's JavaScript, readable, shown on the page.
	Code string
	// Href is the javascript: URL of the draggable link (Code, compacted and
	// percent-encoded). It must only ever be built from the server's own
	// configuration, never from request data: the page writes it unsanitised.
	Href string
	// MaxBytes is the largest paste accepted; 0 hides the hint.
	MaxBytes int64
}

// bookmarkletHref returns the link's javascript: URL as trusted. templ would
// otherwise replace any javascript: href with about:invalid, which is the
// right default everywhere else. Here it is deliberate: Href is built by the
// server from its own BASE_URL (internal/web/bookmarklet.go), never from
// anything a request carries, so no visitor can choose the script. Pastel's
// own CSP blocks the link if clicked on Pastel's page; it is meant to be
// dragged to the bookmarks bar and run on other pages.
func bookmarkletHref(v BookmarkletView) templ.SafeURL {
	return templ.SafeURL(v.Href)
}
