package views

import (
	"time"

	"pastel/internal/paste"
)

// Element IDs that appear both in id= and in hx-target= (or in data-copy=),
// so the server, the templates and the tests agree on them.
const (
	// MainID is the page's <main> element.
	MainID = "main"
	// PasteFormID is the new-paste form; the HTMX endpoint re-renders it with
	// PasteFormFragment and swaps it with outerHTML.
	PasteFormID = "paste-form"
	// PasteContentID is the paste body textarea (app.js gives it Tab and
	// Ctrl+Enter handling through its data-editor attribute).
	PasteContentID = "paste-content"
	// SyntaxListID is the <datalist> of syntaxes for the syntax input.
	SyntaxListID = "syntax-list"
	// CodeID wraps the highlighted code; the Copy button's data-copy names it.
	CodeID = "code"
	// FormErrorsID is the error summary at the top of a form.
	FormErrorsID = "form-errors"
)

// CSRFField is the name of the hidden form field carrying the CSRF token.
const CSRFField = "_csrf"

// CSRFHeader is the header htmx sends the CSRF token in (set on <body> with
// hx-headers).
const CSRFHeader = "X-CSRF-Token"

// AssetURLs are the versioned URLs of the static files every page loads.
type AssetURLs struct {
	CSS       string // app.css
	ChromaCSS string // highlighter colours
	Script    string // the one script bundle (htmx + app.js)
	Prefs     string // prefs.js: theme and wrap, loaded before the first paint
	Favicon   string // optional
}

// Page is what every full page needs from the request. The CSP nonce is not
// here: it comes from the context (templ.WithNonce).
type Page struct {
	Title     string // page title; "" for just "Pastel"
	User      string // signed-in username, "" when anonymous
	CSRFToken string
	Assets    AssetURLs
	Flash     string // one-off message shown at the top of the page
	Query     string // current search query, kept in the header search box
	Nav       string // highlighted nav item: "new", "explore", "mine", "settings", "admin" or ""
	Admin     bool   // the signed-in user is an admin: show the Admin link
	// FeedURL and FeedTitle name the page's Atom feed; "" means none.
	FeedURL   string
	FeedTitle string
	// NoIndex asks search engines not to index the page (unlisted pastes).
	NoIndex bool
	Path    string // this page's path and query: where signing out comes back to
	// Preview is the page's OpenGraph, Twitter card and oEmbed discovery
	// tags; nil for none.
	Preview *LinkPreview
}

// SyntaxOption is one choice in the syntax picker.
type SyntaxOption struct {
	Key   string // value submitted, such as "go"
	Label string // shown to people, such as "Go"
}

// PasteForm is the new-paste form (and, with Editing, the edit form): the
// values typed so far and, after a failed submission, the error for each
// field (keyed by field name, such as "content"; the key "" holds a message
// for the form as a whole).
type PasteForm struct {
	Title      string
	Content    string
	Syntax     string // "" means "auto"
	Visibility string // "" means "public"
	ExpiresIn  string // "" means "never"; "custom": ExpiresCustom
	// ExpiresCustom is the "custom" expiry typed: a duration (90m, 36h),
	// seconds or an RFC 3339 time (issue 16).
	ExpiresCustom string
	// MaxViews is the views cap typed ("" none); Locks offers the
	// password and views-cap fields (new pastes only).
	MaxViews     string
	Locks        bool
	SourceURL    string // where the content came from (bookmarklet); already checked http/https
	Tags         string // the tags field as typed: tags separated by commas or spaces
	Burn         bool
	Errors       map[string]string
	Syntaxes     []SyntaxOption // all syntaxes, without "auto" and "text" (the form adds those first)
	Expiries     []paste.Expiry // usually paste.Expiries
	AllowPrivate bool           // offer "private" (signed-in users only)
	MaxBytes     int64          // largest body accepted; 0 hides the hint
	CSRFToken    string         // NewPastePage fills it from Page when empty
	Action       string         // where the form posts (action= and hx-post=); "" means "/"
	SubmitLabel  string         // the submit button's text; "" means "Create paste"
	// Editing makes it the edit form of an existing paste: the expiry select
	// starts with "Keep current expiry" (value ""), the default while
	// ExpiresIn is "".
	Editing bool
	// Secrets, when set, holds the form back: the text looks like it
	// holds credentials (issue 16).
	Secrets *SecretWarnings
	// Filename names the file Content is, and Files are the form's
	// further files (issue 15), shown again after a failed submission.
	Filename string
	Files    []FormFile
	// KeepFiles are the edited paste's binary files the form keeps as
	// they are (checked boxes: unchecking one removes it).
	KeepFiles []string
}

// PasteView is everything the paste page shows.
type PasteView struct {
	Paste         paste.Paste
	Envelope      string // an encrypted paste's body, decrypted by static/crypt.js
	SyntaxLabel   string // such as "Go"
	CodeHTML      string // trusted: the highlighter's escaped output
	MarkdownHTML  string // trusted: sanitised markdown; non-empty shows it instead of CodeHTML
	SourceViewURL string // link to the source of a rendered paste; "" means "?view=source"
	RenderedURL   string // when showing the source of a markdown paste: link back to the rendered view
	Binary        bool   // the body is not text: offer the download only
	Truncated     bool   // CodeHTML holds only the start of the body
	LinesShown    int    // with Truncated: how many lines CodeHTML holds
	FullURL       string // with Truncated: the page showing every line; "" when this is it
	RawURL        string
	DownloadURL   string
	URL           string // the paste's own absolute URL
	SourceURL     string // where the content came from; already checked http/https
	CanDelete     bool
	Burned        bool // this request consumed a burn-after-reading paste
	CanEdit       bool // the viewer owns the paste: show the Edit button
	// ForkURL is where the Fork button posts; "" hides it. ForkedFrom is
	// the original this paste was forked from, when the viewer may see it
	// named (paste.Service.ForkOrigin); nil shows nothing.
	ForkURL    string
	ForkedFrom *paste.Paste
	EditURL    string
	// RevisionsURL is the paste's revision list, linked as "Revisions (N)"
	// when it has more than one; "" hides the link.
	RevisionsURL string
	// ShowSharing shows the share-links panel (the owner viewing a private
	// paste); ShareLinks are its live links, newest first.
	ShowSharing bool
	ShareLinks  []ShareLinkView
	// NewShareURL is the full URL of a share link just created; it is shown
	// this once, since only a hash of its token is kept.
	NewShareURL string
	// Community is the votes, star and comments part; nil hides it.
	Community *PasteCommunity
	// Report is the "Report" form for signed-in viewers; nil hides it.
	Report *ReportFormView
	// Created is the "Created" notice its creator sees once; nil hides it.
	Created *CreatedNotice
	// Share is the Share menu (link, QR code, embeds); nil hides it.
	Share *ShareMenu
	// Preview is the page's link-preview tags; nil for none (private and
	// burn pastes).
	Preview *LinkPreview
	// Reading is the views, filter and jump link for logs and data.
	Reading ReadingView
	// LineNotes are the comments shown under the lines they are about,
	// by their last line; Rich loads the diagram and math scripts.
	LineNotes []LineNote
	Rich      RichAssets
	// Files are the paste's files, each in its own section, when it has
	// several (or one binary file); nil shows the one body as above.
	Files []FileView
}

// ShareLinkView is one live share link of a private paste. Its token is
// never shown again after creation, so links are told apart by dates.
type ShareLinkView struct {
	ID         int64
	CreatedAt  time.Time
	LastUsedAt *time.Time // nil: never used
	TokenHint  string     // the token's last characters
	ExpiresAt  time.Time  // zero: as long as the paste
	MaxViews   int32      // 0: no cap
	Views      int32
}

// ExploreView is the explore page: one tab of public pastes.
type ExploreView struct {
	Sort       string // "recent" (default), "popular" or "trending"
	Items      []paste.Paste
	NextCursor string // "" when there is no older page
	// Language filters Recent to one syntax ("" for all); Languages are
	// the latest pastes' syntaxes, offered as filters.
	Language  string
	Languages []paste.LanguageCount
	// Tag filters Recent to the pastes carrying it ("" for all).
	Tag string
}

// ErrorView is an error shown to people. Message must be safe to show (no
// internal details for 5xx).
type ErrorView struct {
	Status  int
	Title   string
	Message string
}
