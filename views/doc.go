// Package views holds Pastel's HTML: templ pages, the fragments HTMX swaps in,
// and the plain view models handlers fill. A page composes the fragment its
// HTMX endpoint returns, so both render from one source.
//
// Every page loads exactly one script (the bundle from package static) with
// the CSP nonce set on the context by templ.WithNonce; no page has inline
// scripts, inline styles or inline event handlers. User text is always
// escaped by templ; only CodeHTML and MarkdownHTML, which come trusted from
// the highlighter and the sanitiser, are written raw.
package views
