package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/yeqown/go-qrcode/v2"

	"pastel/internal/paste"
	"pastel/views"
)

// This file is sharing beyond the link: the QR code, embeds (a frameable
// page, a script that writes its iframe, oEmbed), link-preview tags, the
// web app manifest with its share target, and the command-line client's
// page.

// registerSharing mounts the sharing routes. It runs before GET /:id, and
// none of its one-segment paths has the shape of a paste ID.
func (a *App) registerSharing() {
	a.Get("/cli", a.cliPage)
	a.Get("/share", a.shareTarget)
	a.Get("/manifest.webmanifest", a.manifest)
	a.Get("/oembed", a.oembed)
	a.Get("/embed/:id", a.embed) // and /embed/{id}.js, the script embed
	a.Get("/:id/qr.svg", a.qrCode)
}

// Sizes of an embed's frame, in CSS pixels.
const (
	embedWidth      = 640
	embedMinHeight  = 120
	embedMaxHeight  = 480
	embedLineHeight = 21 // a highlighted line at the page's code size
	embedChrome     = 64 // the title bar and padding
)

// embeddable reports whether p may be shown to people who were only given
// its link, without anything being consumed: public and unlisted pastes.
// Private pastes are their owner's (and share links'); a burn paste's
// showing is its one read. Embeds, oEmbed and link previews all use this
// rule. A password paste is never shown this way, even to its owner's
// page's previews: its text is for those who give the password.
// An encrypted paste is never shown this way either: the server cannot
// read it, and the key is not in the link it was given.
func embeddable(p paste.Paste) bool {
	return (p.Visibility == paste.Public || p.Visibility == paste.Unlisted) && !p.BurnAfterReading && p.PasswordHash == "" && !p.Encrypted
}

// getEmbeddable reads id as an anonymous reader would: what another site
// shows is what anyone may see, whoever happens to be signed in.
func (a *App) getEmbeddable(c *fiber.Ctx, id paste.ID) (paste.Paste, error) {
	p, err := a.deps.Pastes.Get(c.UserContext(), paste.Viewer{}, id)
	if err != nil {
		return paste.Paste{}, err
	}
	if !embeddable(p) {
		return paste.Paste{}, paste.ErrNotFound
	}
	return p, nil
}

// sharingExtras adds the Share menu and the link-preview tags to a paste
// page's model. Reading the first lines for the description reads the
// body, which for a burn paste is never done here: burn pages get neither.
func (a *App) sharingExtras(c *fiber.Ctx, p paste.Paste, view *views.PasteView) error {
	if p.BurnAfterReading || p.Encrypted { // an encrypted paste's link is only whole with its #key
		return nil
	}
	id := string(p.ID)
	pageURL := a.link("/" + id)
	menu := &views.ShareMenu{URL: pageURL, QRURL: "/" + id + "/qr.svg"}
	if embeddable(p) {
		body, err := a.deps.Pastes.Body(c.UserContext(), p)
		if err != nil {
			return err
		}
		menu.EmbedURL = "/embed/" + id
		menu.EmbedHTML = a.embedIframe(p, body, embedWidth, embedMaxHeight)
		menu.ScriptHTML = `<script src="` + html.EscapeString(a.link("/embed/"+id+".js")) + `" async></script>`
		view.Preview = &views.LinkPreview{
			Title:       titleOf(p),
			Description: previewDescription(a.deps.Syntaxes.Label(p.Syntax), p.Size, body),
			URL:         pageURL,
			OEmbedURL:   a.oembedURL(pageURL),
			SiteName:    "Pastel",
		}
	}
	view.Share = menu
	return nil
}

func (a *App) oembedURL(pageURL string) string {
	u := *a.opts.BaseURL
	u.Path = "/oembed"
	u.RawQuery = url.Values{"url": {pageURL}, "format": {"json"}}.Encode()
	return u.String()
}

// previewDescription is "Go · 1.2 KB" and the first lines of the text
// (at most 200 characters, whitespace folded); binary bodies say so.
func previewDescription(syntax string, size int64, body []byte) string {
	if syntax == "" {
		syntax = "Plain text"
	}
	head := syntax + " · " + views.HumanBytes(size)
	if !utf8.Valid(body) || bytes.IndexByte(body, 0) >= 0 {
		return head + " · binary"
	}
	const maxLines, maxChars = 5, 200
	head4k := string(body[:min(len(body), 4096)])
	var parts []string
	for i, line := range strings.Split(head4k, "\n") {
		if i == maxLines {
			break
		}
		// Control characters (terminal escapes, bidi overrides) have no
		// place in another app's preview card.
		line = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				return ' '
			}
			return r
		}, line)
		if f := strings.Join(strings.Fields(line), " "); f != "" {
			parts = append(parts, f)
		}
	}
	text := strings.Join(parts, " ⏎ ")
	if utf8.RuneCountInString(text) > maxChars {
		r := []rune(text)
		text = string(r[:maxChars-1]) + "…"
	}
	if text == "" {
		return head
	}
	return head + ": " + text
}

// embedHeight fits the frame to the paste: its lines, between the minimum
// and the maximum (longer pastes scroll inside the frame).
func embedHeight(body []byte, maxHeight int) int {
	lines := bytes.Count(body, []byte("\n")) + 1
	if len(body) > 0 && body[len(body)-1] == '\n' {
		lines--
	}
	h := min(max(embedChrome+lines*embedLineHeight, embedMinHeight), embedMaxHeight)
	if maxHeight > 0 {
		h = min(h, maxHeight)
	}
	return h
}

// embedIframe is the iframe snippet for p. The frame is sandboxed without
// scripts (the embed runs none); it keeps its origin, so it may load
// Pastel's stylesheets, and its links may open Pastel in a new tab.
func (a *App) embedIframe(p paste.Paste, body []byte, width, maxHeight int) string {
	return fmt.Sprintf(`<iframe src="%s" title="%s" width="%d" height="%d" style="border:0;max-width:100%%" loading="lazy" sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"></iframe>`,
		html.EscapeString(a.link("/embed/"+string(p.ID))), html.EscapeString(titleOf(p)+" (Pastel)"), width, embedHeight(body, maxHeight))
}

// embedHeaders replace the site-wide framing refusal on an embed: any site
// may frame it (frame-ancestors *, no X-Frame-Options), and it may be
// loaded from any origin. It runs no script at all.
func embedHeaders(c *fiber.Ctx) {
	h := &c.Response().Header
	h.Del("X-Frame-Options")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'none'; frame-ancestors *; base-uri 'none'; object-src 'none'")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set(headerRobots, "noindex")
}

// embed serves GET /embed/{id} (the frameable page) and /embed/{id}.js
// (a script that writes that page's iframe where it stands).
func (a *App) embed(c *fiber.Ctx) error {
	id, script := strings.CutSuffix(c.Params("id"), ".js")
	p, err := a.getEmbeddable(c, paste.ID(id))
	if script {
		if err != nil {
			return err
		}
		return a.embedScript(c, p)
	}
	embedHeaders(c)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	v := views.EmbedView{Assets: a.page(c, "").Assets}
	switch t := c.Query("theme"); t {
	case "light", "dark":
		v.Theme = t
	}
	if errors.Is(err, paste.ErrNotFound) {
		// Inside someone's page, a line of text rather than the site's
		// 404 page (which refuses to be framed).
		v.Missing = true
		return a.render(c, fiber.StatusNotFound, views.EmbedPage(v))
	}
	if err != nil {
		return err
	}
	pv, err := a.pasteView(c, p, nil)
	if err != nil {
		return err
	}
	v.Title, v.URL, v.RawURL = p.Title, a.link("/"+string(p.ID)), a.link("/raw/"+string(p.ID))
	v.SyntaxLabel, v.Size, v.Owner = pv.SyntaxLabel, p.Size, p.OwnerName
	v.CodeHTML, v.MarkdownHTML, v.Binary = pv.CodeHTML, pv.MarkdownHTML, pv.Binary
	v.Truncated, v.LinesShown = pv.Truncated, pv.LinesShown
	return a.render(c, fiber.StatusOK, views.EmbedPage(v))
}

// embedScript answers a script for other sites' pages: it puts the
// embed's iframe right after its own <script> element. Every value in it
// is JSON-encoded (which escapes <, > and &).
func (a *App) embedScript(c *fiber.Ctx, p paste.Paste) error {
	body, err := a.deps.Pastes.Body(c.UserContext(), p)
	if err != nil {
		return err
	}
	src, _ := json.Marshal(a.link("/embed/" + string(p.ID)))
	title, _ := json.Marshal(titleOf(p) + " (Pastel)")
	js := fmt.Sprintf(`(function () {
  "use strict";
  var s = document.currentScript;
  var f = document.createElement("iframe");
  f.src = %s;
  f.title = %s;
  f.loading = "lazy";
  f.width = "%d";
  f.height = "%d";
  f.setAttribute("sandbox", "allow-same-origin allow-popups allow-popups-to-escape-sandbox");
  f.style.border = "0";
  f.style.maxWidth = "100%%";
  if (s && s.parentNode) s.parentNode.insertBefore(f, s.nextSibling);
  else document.body.appendChild(f);
})();
`, src, title, embedWidth, embedHeight(body, embedMaxHeight))
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	c.Set("Cross-Origin-Resource-Policy", "cross-origin")
	return c.SendString(js)
}

// oembedJSON is an oEmbed 1.0 "rich" answer (oembed.com, section 2.3.4).
type oembedJSON struct {
	Version      string `json:"version"`
	Type         string `json:"type"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	Title        string `json:"title"`
	AuthorName   string `json:"author_name,omitempty"`
	AuthorURL    string `json:"author_url,omitempty"`
	CacheAge     int    `json:"cache_age"`
	HTML         string `json:"html"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
}

// oembed answers GET /oembed?url=&format=&maxwidth=&maxheight= for the URL
// of an embeddable paste on this site: 404 for anything else (including
// private pastes: 404 alike), 501 for a format other than JSON, 400 for a
// malformed maxwidth or maxheight.
func (a *App) oembed(c *fiber.Ctx) error {
	if f := c.Query("format", "json"); f != "json" {
		return oembedError(c, fiber.StatusNotImplemented, "not_implemented", "format: only json is served")
	}
	maxWidth, err := optionalPositive(c.Query("maxwidth"))
	if err != nil {
		return oembedError(c, fiber.StatusBadRequest, "bad_request", "maxwidth: "+err.Error())
	}
	maxHeight, err := optionalPositive(c.Query("maxheight"))
	if err != nil {
		return oembedError(c, fiber.StatusBadRequest, "bad_request", "maxheight: "+err.Error())
	}
	id, ok := a.pasteIDOf(c.Query("url"))
	if !ok {
		return oembedError(c, fiber.StatusNotFound, "not_found", "url: not the address of a paste on this site")
	}
	p, err := a.getEmbeddable(c, id)
	if errors.Is(err, paste.ErrNotFound) {
		return oembedError(c, fiber.StatusNotFound, "not_found", "url: no such paste")
	}
	if err != nil {
		return err
	}
	body, err := a.deps.Pastes.Body(c.UserContext(), p)
	if err != nil {
		return err
	}
	width := embedWidth
	if maxWidth > 0 {
		width = min(width, maxWidth)
	}
	out := oembedJSON{
		Version: "1.0", Type: "rich", ProviderName: "Pastel", ProviderURL: a.link("/"),
		Title: titleOf(p), CacheAge: 3600,
		HTML:  a.embedIframe(p, body, width, maxHeight),
		Width: width, Height: embedHeight(body, maxHeight),
	}
	if p.OwnerName != "" {
		out.AuthorName, out.AuthorURL = p.OwnerName, a.link("/u/"+p.OwnerName)
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	c.Set("Access-Control-Allow-Origin", "*") // public data: browsers' oEmbed clients may read it too
	return c.JSON(out)
}

func oembedError(c *fiber.Ctx, status int, code, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": fiber.Map{"code": code, "message": msg}})
}

func optionalPositive(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 100000 {
		return 0, errors.New("must be a positive whole number of pixels")
	}
	return n, nil
}

// pasteIDOf returns the paste ID in u when u is a paste's page or embed on
// this site (BASE_URL's host, http or https): /{id} or /embed/{id}.
func (a *App) pasteIDOf(raw string) (paste.ID, bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.EqualFold(u.Host, a.opts.BaseURL.Host) {
		return "", false
	}
	rest := strings.TrimPrefix(u.Path, strings.TrimSuffix(a.opts.BaseURL.Path, "/"))
	rest = strings.TrimPrefix(rest, "/embed")
	id, ok := strings.CutPrefix(rest, "/")
	if !ok || !paste.ValidID(id) {
		return "", false
	}
	return paste.ID(id), true
}

// qrCode answers GET /{id}/qr.svg: a QR code of the paste's page URL, for
// anyone who may read the paste. It encodes the link, not the content, so
// it is served for private pastes to their owner too (the link opens
// nothing for anyone else) and for burn pastes (the link leads to the
// confirmation step; drawing the code consumes nothing).
func (a *App) qrCode(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := a.deps.Pastes.Get(ctx, paste.ViewerFrom(ctx), paste.ID(c.Params("id")))
	if err != nil {
		return err
	}
	svg, err := qrSVG(a.link("/" + string(p.ID)))
	if err != nil {
		return err
	}
	h := &c.Response().Header
	h.Set(fiber.HeaderContentType, "image/svg+xml")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'")
	h.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	return c.Send(svg)
}

// qrSVG draws text as a QR code (error correction M, a four-module quiet
// zone), one square per dark module in a single path.
func qrSVG(text string) ([]byte, error) {
	q, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	w := &svgWriter{}
	if err := q.Save(w); err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	return w.buf.Bytes(), nil
}

// svgWriter is a qrcode.Writer that draws the matrix as SVG.
type svgWriter struct{ buf bytes.Buffer }

const qrQuiet = 4

func (w *svgWriter) Write(m qrcode.Matrix) error {
	bits := m.Bitmap()
	size := len(bits) + 2*qrQuiet
	fmt.Fprintf(&w.buf, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, size, size)
	fmt.Fprintf(&w.buf, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, size, size)
	for y, row := range bits {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&w.buf, "M%d %dh1v1h-1z", x+qrQuiet, y+qrQuiet)
			}
		}
	}
	w.buf.WriteString(`"/></svg>`)
	return nil
}

func (w *svgWriter) Close() error { return nil }

// manifest answers the web app manifest: Pastel installs as an app, and on
// Android "Share → Pastel" opens the new-paste form filled with what was
// shared (GET /share).
func (a *App) manifest(c *fiber.Ctx) error {
	icon := func(name, sizes, typ, purpose string) fiber.Map {
		m := fiber.Map{"src": a.deps.Assets.Path(name), "sizes": sizes, "type": typ}
		if purpose != "" {
			m["purpose"] = purpose
		}
		return m
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	// JSON sets its own type; the manifest's is set after it.
	defer c.Set(fiber.HeaderContentType, "application/manifest+json")
	return c.JSON(fiber.Map{
		"id":               "/",
		"name":             "Pastel",
		"short_name":       "Pastel",
		"description":      "A calm, self-hosted pastebin",
		"start_url":        "/",
		"scope":            "/",
		"display":          "standalone",
		"background_color": "#ffffff",
		"theme_color":      "#7c5cff",
		"icons": []fiber.Map{
			icon("icon-192.png", "192x192", "image/png", ""),
			icon("icon-512.png", "512x512", "image/png", ""),
			icon("icon-maskable-512.png", "512x512", "image/png", "maskable"),
			icon("favicon.svg", "any", "image/svg+xml", ""),
		},
		"share_target": fiber.Map{
			"action": "/share",
			"method": "GET",
			"params": fiber.Map{"title": "title", "text": "text", "url": "url"},
		},
	})
}

// shareTarget is the manifest's share target: the new-paste form filled
// with what another app shared (title, text, url). Like the bookmarklet's
// draft, nothing is saved until the person presses Create.
func (a *App) shareTarget(c *fiber.Ctx) error {
	f := a.pasteForm(c)
	f.Title = c.Query("title")
	text, link := c.Query("text"), c.Query("url")
	f.SourceURL = paste.SafeSourceURL(link)
	switch {
	case text == "":
		text = link
	case link != "" && !strings.Contains(text, link) && f.SourceURL == "":
		text += "\n" + link
	}
	f.Content = strings.ReplaceAll(text, "\r\n", "\n")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, fiber.StatusOK, views.NewPastePage(a.page(c, "New paste"), f))
}

// cliPage says how to get and use the command-line client.
func (a *App) cliPage(c *fiber.Ctx) error {
	base := strings.TrimSuffix(a.link("/"), "/")
	return a.render(c, fiber.StatusOK, views.CLIPage(a.page(c, "Command-line client"),
		views.CLIView{BaseURL: base, SettingsURL: "/settings"}))
}
