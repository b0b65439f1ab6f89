package web

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pastel/views"
)

// The bookmarklet and the draft page agree on these message values; draft.js
// spells them the same way.
const (
	draftReady   = "pastel-draft-ready" // draft page -> opener: send the draft now
	draftMessage = "pastel-draft"       // opener -> draft page: {type, title, url, content}
	draftWindow  = "pastel-draft"       // the window the bookmarklet opens
)

// registerBookmarklet mounts the bookmarklet page and the draft page.
func (a *App) registerBookmarklet() {
	a.Get("/bookmarklet", a.bookmarklet)
	a.Get("/draft", a.draft)
}

func (a *App) bookmarklet(c *fiber.Ctx) error {
	v := bookmarkletView(a.opts.BaseURL)
	v.MaxBytes = a.opts.MaxPasteBytes
	return a.render(c, fiber.StatusOK, views.BookmarkletPage(a.page(c, "Bookmarklet"), v))
}

// draft is the new-paste form the bookmarklet opens; draft.js asks the
// opener for the selection and fills the form, and the person submits it
// through the ordinary CSRF-protected POST /.
//
// Every other page is Cross-Origin-Opener-Policy: same-origin, which would
// cut this window off from the page that opened it (window.opener null, the
// opener's handle closed), so the handoff could not happen. This page alone
// relaxes it: the opener can then post messages to it and navigate it, but,
// being cross-origin, never read or script it. Submitting lands on the
// paste page, whose same-origin policy severs the link again. Framing stays
// forbidden (frame-ancestors 'none', X-Frame-Options DENY), and the draft is
// never cached.
func (a *App) draft(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Cross-Origin-Opener-Policy", "unsafe-none")
	return a.render(c, fiber.StatusOK, views.DraftPage(a.page(c, "New paste"), a.pasteForm(c)))
}

// bookmarkletView builds the bookmarklet for base. The code is made only from
// the server's own BASE_URL, JSON-encoded into the script, never from request
// data: the page writes its javascript: URL as trusted.
func bookmarkletView(base *url.URL) views.BookmarkletView {
	origin := originOf(base)
	draft := *base
	draft.Path, draft.RawPath, draft.RawQuery, draft.Fragment = "/draft", "", "", ""
	code := bookmarkletCode(origin, draft.String())
	return views.BookmarkletView{Origin: origin, Code: code, Href: javascriptURL(code)}
}

// originOf serialises base's origin the way browsers report event.origin:
// lower-case scheme and host, default port left out.
func originOf(base *url.URL) string {
	scheme := strings.ToLower(base.Scheme)
	host := strings.ToLower(base.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6
	}
	port := base.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

// bookmarkletTemplate is the bookmarklet's readable source. It opens the draft
// page, waits for that window (and only it, from Pastel's origin) to say it
// is ready, then posts the selection, title and address to Pastel's origin
// alone. It adds no script to the page and uses no eval, so a strict CSP on
// the page does not stop it (bookmarklets run as the person's own action).
// Every line ends where joining lines without a newline stays valid.
const bookmarkletTemplate = `(function () {
  var origin = ORIGIN;
  var w = window.open(DRAFT, WINDOW);
  if (!w) {
    return;
  }
  var draft = {type: MESSAGE, title: document.title, url: location.href, content: String(window.getSelection())};
  var timer;
  function stop() {
    window.removeEventListener("message", onMessage);
    clearTimeout(timer);
  }
  function onMessage(event) {
    if (event.source === w && event.origin === origin && event.data === READY) {
      stop();
      w.postMessage(draft, origin);
    }
  }
  window.addEventListener("message", onMessage);
  timer = setTimeout(stop, 120000);
})();`

// bookmarkletCode fills the template; every value is a JSON string literal,
// which is also a safe JavaScript string literal (json.Marshal escapes <, >,
// &, U+2028 and U+2029).
func bookmarkletCode(origin, draftURL string) string {
	lit := func(s string) string {
		b, _ := json.Marshal(s) // a string always marshals
		return string(b)
	}
	return strings.NewReplacer(
		"ORIGIN", lit(origin),
		"DRAFT", lit(draftURL),
		"WINDOW", lit(draftWindow),
		"MESSAGE", lit(draftMessage),
		"READY", lit(draftReady),
	).Replace(bookmarkletTemplate)
}

// javascriptURL compacts code onto one line and percent-encodes everything
// a javascript: URL or a bookmark could mangle (%, #, spaces, quotes, angle
// brackets, non-ASCII), so the browser decodes it back to exactly the code.
func javascriptURL(code string) string {
	lines := strings.Split(code, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	compact := strings.Join(lines, "")
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.WriteString("javascript:")
	for i := 0; i < len(compact); i++ {
		ch := compact[i]
		switch {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9',
			strings.IndexByte("-_.~!*'();:@&=+$,/?{}[]|", ch) >= 0:
			b.WriteByte(ch)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[ch>>4])
			b.WriteByte(hex[ch&15])
		}
	}
	return b.String()
}
