package views

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"pastel/internal/paste"
)

// now is the clock for relative times; tests replace it.
var now = time.Now

// HumanBytes formats a size for people: "512 B", "1.2 KiB", "10 MiB".
func HumanBytes(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v := float64(n) / 1024
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + units[i]
}

// TimeAgo formats how long ago t was at now: "just now", "3 minutes ago",
// "2 days ago".
func TimeAgo(t, now time.Time) string {
	d := now.Sub(t)
	if d < time.Minute {
		return "just now"
	}
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit + " ago"
		}
		return strconv.Itoa(n) + " " + unit + "s ago"
	}
	switch {
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour")
	case d < 30*24*time.Hour:
		return plural(int(d/(24*time.Hour)), "day")
	case d < 365*24*time.Hour:
		return plural(int(d/(30*24*time.Hour)), "month")
	default:
		return plural(int(d/(365*24*time.Hour)), "year")
	}
}

// Countdown formats the time left until t at now the way app.js does, so the
// page reads right before (and without) JavaScript: "expires in 3h 12m".
func Countdown(t, now time.Time) string {
	d := t.Sub(now)
	if d <= 0 {
		return "expired"
	}
	s := int64(d / time.Second)
	days, hours, mins, secs := s/86400, s%86400/3600, s%3600/60, s%60
	switch {
	case days > 0:
		return fmt.Sprintf("expires in %dd %dh", days, hours)
	case hours > 0:
		return fmt.Sprintf("expires in %dh %dm", hours, mins)
	case mins > 0:
		return fmt.Sprintf("expires in %dm %ds", mins, secs)
	default:
		return fmt.Sprintf("expires in %ds", secs)
	}
}

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func fullTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// csrfHeaders is the hx-headers value: JSON, so the token is escaped as JSON
// (and templ then escapes it as an attribute).
func csrfHeaders(token string) string {
	b, err := json.Marshal(map[string]string{CSRFHeader: token})
	if err != nil {
		return "{}"
	}
	return string(b)
}

// htmxConfig is the <meta name="htmx-config"> value: no eval, no scripts from
// swapped content, requests to this origin only, and 422 responses (a form
// with its errors) are swapped like successes.
const htmxConfig = `{"allowEval":false,"allowScriptTags":false,"includeIndicatorStyles":false,` +
	`"selfRequestsOnly":true,"historyCacheSize":0,"responseHandling":[` +
	`{"code":"204","swap":false},{"code":"422","swap":true},{"code":"[23]..","swap":true},` +
	`{"code":"[45]..","swap":false,"error":true},{"code":"...","swap":false}]}`

func pageTitle(p Page) string {
	if p.Title == "" {
		return "Pastel"
	}
	return p.Title + " · Pastel"
}

func titleOr(t string) string {
	if strings.TrimSpace(t) == "" {
		return "Untitled"
	}
	return t
}

func pasteURL(id paste.ID) string  { return "/" + url.PathEscape(string(id)) }
func deleteURL(id paste.ID) string { return pasteURL(id) + "/delete" }
func revealURL(id paste.ID) string { return pasteURL(id) + "/reveal" }
func userURL(name string) string   { return "/u/" + url.PathEscape(name) }
func visibilityClass(v paste.Visibility) string {
	switch v {
	case paste.Public, paste.Unlisted, paste.Private:
		return "badge badge-" + string(v)
	}
	return "badge"
}

func visibilityLabel(v paste.Visibility) string {
	switch v {
	case paste.Public:
		return "Public"
	case paste.Unlisted:
		return "Unlisted"
	case paste.Private:
		return "Private"
	}
	return string(v)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// olderURL is the "Older" link of a list: the same page with ?cursor=.
func olderURL(order, cursor string) string {
	q := url.Values{}
	if order != "" && order != "recent" {
		q.Set("sort", order)
	}
	q.Set("cursor", cursor)
	return "?" + q.Encode()
}

func hasErrors(errs map[string]string) bool { return len(errs) > 0 }

// errorFields lists field errors in form order for the summary, then any
// others (sorted), so the summary reads top to bottom like the form.
func errorFields(errs map[string]string) []string {
	order := []string{"", "title", "content", "syntax", "visibility", "expires_in", "burn_after_reading", "source_url"}
	seen := map[string]bool{}
	var out []string
	for _, k := range order {
		if _, ok := errs[k]; ok {
			out = append(out, k)
			seen[k] = true
		}
	}
	var rest []string
	for k := range errs {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

var fieldLabels = map[string]string{
	"title":              "Title",
	"content":            "Content",
	"syntax":             "Syntax",
	"visibility":         "Visibility",
	"expires_in":         "Expires",
	"burn_after_reading": "Burn after reading",
	"source_url":         "Source",
	"tags":               "Tags",
}

func fieldLabel(k string) string {
	if l, ok := fieldLabels[k]; ok {
		return l
	}
	return k
}

func errorID(field string) string { return "error-" + field }

func invalid(errs map[string]string, field string) string {
	if _, ok := errs[field]; ok {
		return "true"
	}
	return "false"
}

func withNav(p Page, nav string) Page {
	if p.Nav == "" {
		p.Nav = nav
	}
	return p
}

func withFormToken(f PasteForm, token string) PasteForm {
	if f.CSRFToken == "" {
		f.CSRFToken = token
	}
	return f
}

func withTitle(p Page, title string) Page {
	if p.Title == "" {
		p.Title = title
	}
	return p
}

// showCode reports whether the page shows highlighted code (and so a Copy
// button for it).
func showCode(v PasteView) bool {
	return !v.Binary && v.MarkdownHTML == "" && v.CodeHTML != ""
}

// nextHref is the "Older" link for a cursor, or "" when there is none.
func nextHref(order, cursor string) string {
	if cursor == "" {
		return ""
	}
	return olderURL(order, cursor)
}

// syntaxLabelsKey is the context key of the syntax labeller.
type syntaxLabelsKey struct{}

// WithSyntaxLabels returns ctx carrying label, which turns a syntax key
// ("go") into the name people read ("Go"); lists show syntaxes through it,
// as the paste page does.
func WithSyntaxLabels(ctx context.Context, label func(string) string) context.Context {
	return context.WithValue(ctx, syntaxLabelsKey{}, label)
}

// syntaxLabel is the label of a syntax key through the context's labeller;
// without one (or for an empty key) the key itself, or "Plain text".
func syntaxLabel(ctx context.Context, key string) string {
	if key == "" || key == "text" {
		return "Plain text"
	}
	if label, ok := ctx.Value(syntaxLabelsKey{}).(func(string) string); ok && label != nil {
		if l := label(key); l != "" {
			return l
		}
	}
	return key
}

// countLabel is "1 star", "3 stars": a count with its unit.
func countLabel(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.FormatInt(n, 10) + " " + unit + "s"
}

// ExploreFeedURL is the Atom feed of recent public pastes.
const ExploreFeedURL = "/explore/feed.atom"

// UserFeedURL is the Atom feed of a user's public pastes.
func UserFeedURL(name string) string { return userURL(name) + "/feed.atom" }

// withFeed names the page's Atom feed (a <link rel="alternate"> in <head>).
func withFeed(p Page, href, title string) Page {
	p.FeedURL, p.FeedTitle = href, title
	return p
}

// withNoIndex asks search engines not to index the page when noIndex.
func withNoIndex(p Page, noIndex bool) Page {
	p.NoIndex = p.NoIndex || noIndex
	return p
}
