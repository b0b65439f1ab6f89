package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"pastel/internal/api"
	"pastel/internal/paste"
	"pastel/internal/readcache"
	"pastel/views"
)

func (a *App) pasteForm(c *fiber.Ctx) views.PasteForm {
	list := a.deps.Syntaxes.List()
	opts := make([]views.SyntaxOption, 0, len(list))
	for _, s := range list {
		if s.Key == "text" {
			continue // the form lists "auto" and "text" first by itself
		}
		opts = append(opts, views.SyntaxOption{Key: s.Key, Label: s.Label})
	}
	return views.PasteForm{
		Syntaxes:     opts,
		Expiries:     a.deps.Pastes.ExpiryPolicy().Presets(),
		AllowPrivate: paste.ViewerFrom(c.UserContext()).SignedIn(),
		MaxBytes:     a.opts.MaxPasteBytes,
		CSRFToken:    csrfToken(c),
	}
}

func (a *App) newPaste(c *fiber.Ctx) error {
	f := a.pasteForm(c)
	f.Locks = true
	// The deployment's default lifetime is selected: a preset, or else
	// typed in as the custom one.
	f.ExpiresIn = a.deps.Pastes.ExpiryPolicy().Default
	if _, ok := paste.LookupExpiry(f.ExpiresIn); !ok {
		f.ExpiresIn, f.ExpiresCustom = "custom", a.deps.Pastes.ExpiryPolicy().Default
	}
	return a.render(c, fiber.StatusOK, views.NewPastePage(a.page(c, "New paste"), f))
}

// createPaste handles the new-paste form. Validation failures re-render the
// form (the fragment for htmx) with 422 and the values typed so far.
func (a *App) createPaste(c *fiber.Ctx) error {
	ctx := c.UserContext()
	f, in := a.decodePasteForm(c)
	if err := a.formFiles(c, &f, &in); err != nil {
		if errors.Is(err, paste.ErrTooLarge) {
			return a.pasteTooLarge(c, f)
		}
		return err
	}
	hadMain := f.Content != ""
	if w := a.holdSecrets(c, &f.Content, &f.Visibility, f.Files, in.Encrypted); w != nil {
		// A question, not a failure: 200 with the form and the warning.
		f.Secrets = w
		if isHTMX(c) {
			return a.render(c, fiber.StatusOK, views.PasteFormFragment(f))
		}
		return a.render(c, fiber.StatusOK, views.NewPastePage(a.page(c, "New paste"), f))
	}
	applyHeld(f, hadMain, &in)
	created, err := a.deps.Pastes.Create(ctx, paste.ViewerFrom(ctx), in)
	if errors.Is(err, paste.ErrTooLarge) {
		return a.pasteTooLarge(c, f)
	}
	var verr *paste.ValidationError
	if asValidation(err, &verr) {
		f.Errors = verr.Fields
		if isHTMX(c) {
			return a.render(c, fiber.StatusUnprocessableEntity, views.PasteFormFragment(f))
		}
		return a.render(c, fiber.StatusUnprocessableEntity, views.NewPastePage(a.page(c, "New paste"), f))
	}
	if err != nil {
		return err
	}
	// The creator's next view of the page is the "Created" one; a burn
	// paste's then shows its link instead of the step that consumes it.
	a.rememberCreated(c, created)
	return redirect(c, "/"+string(created.Paste.ID))
}

// pasteTooLarge answers a new paste over MaxPasteBytes with the form again
// (413; 422 for htmx, which swaps only that), keeping the first
// MaxPasteBytes of the text, so a browser without JavaScript loses no more
// than it must, and saying so in words.
func (a *App) pasteTooLarge(c *fiber.Ctx, f views.PasteForm) error {
	limit := a.opts.MaxPasteBytes
	size := int64(len(f.Content))
	f.Content = cutText(f.Content, int(limit))
	f.Errors = map[string]string{"content": fmt.Sprintf(
		"This paste is %s; the limit is %s. Only the first %s is kept below: shorten it and try again.",
		views.HumanBytes(size), views.HumanBytes(limit), views.HumanBytes(int64(len(f.Content))))}
	if isHTMX(c) {
		return a.render(c, fiber.StatusUnprocessableEntity, views.PasteFormFragment(f))
	}
	return a.render(c, fiber.StatusRequestEntityTooLarge, views.NewPastePage(a.page(c, "New paste"), f))
}

// cutText returns the longest prefix of s of at most n bytes that ends at a
// line break when one is near, else at a character boundary.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n-- // s[n] continues the rune that would be cut
	}
	s = s[:n]
	if i := strings.LastIndexByte(s, '\n'); i >= 0 && len(s)-i < 4096 {
		s = s[:i+1]
	}
	return s
}

// decodePasteForm reads the new-paste form: the form as it is shown again
// after a failure, and what the service is asked to create.
func (a *App) decodePasteForm(c *fiber.Ctx) (views.PasteForm, paste.CreateInput) {
	f := a.pasteForm(c)
	f.Title = c.FormValue("title")
	// Browsers send textarea newlines as CRLF; store what the person typed.
	f.Content = strings.ReplaceAll(c.FormValue("content"), "\r\n", "\n")
	f.Syntax = c.FormValue("syntax")
	f.Visibility = c.FormValue("visibility")
	f.ExpiresIn = c.FormValue("expires_in")
	f.Burn = c.FormValue("burn_after_reading") != ""
	f.SourceURL = paste.SafeSourceURL(c.FormValue("source_url"))
	f.Tags = c.FormValue("tags")
	f.Locks, f.ExpiresCustom, f.MaxViews = true, strings.TrimSpace(c.FormValue("expires_custom")), strings.TrimSpace(c.FormValue("max_views"))
	expiresIn, expiresAt := f.ExpiresIn, ""
	if expiresIn == "custom" {
		// A custom expiry is a lifetime (90m, 36h, 5400) or an instant.
		if _, err := time.Parse(time.RFC3339Nano, f.ExpiresCustom); err == nil {
			expiresIn, expiresAt = "", f.ExpiresCustom
		} else {
			expiresIn = f.ExpiresCustom
		}
	}
	maxViews := 0
	if f.MaxViews != "" {
		var err error
		if maxViews, err = strconv.Atoi(f.MaxViews); err != nil {
			maxViews = -1 // the service names max_views
		}
	}
	return f, paste.CreateInput{
		Tags:             paste.SplitTags(f.Tags),
		Title:            f.Title,
		Content:          []byte(f.Content),
		Syntax:           f.Syntax,
		Visibility:       paste.Visibility(f.Visibility),
		ExpiresIn:        expiresIn,
		ExpiresAt:        expiresAt,
		Password:         c.FormValue("password"),
		MaxViews:         maxViews,
		BurnAfterReading: f.Burn,
		SourceURL:        c.FormValue("source_url"),
		Encrypted:        c.FormValue("encrypted") != "",
	}
}

const deleteCookie = "pastel_delete"

func asValidation(err error, target **paste.ValidationError) bool {
	return err != nil && errors.As(err, target)
}

// showPaste renders a paste page: one call to the service reads all it
// shows. A burn-after-reading paste shows a confirmation step first, so
// link previewers never consume it.
func (a *App) showPaste(c *fiber.Ctx) error {
	if err := checkReadingQuery(c); err != nil {
		return err
	}
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	path := "/" + c.Params("id")
	created := c.Cookies(createdCookie) != ""
	// A page carrying a one-off message is this viewer's alone.
	shared := a.snapshotable(c, v) && !created && c.Cookies(flashCookie) == ""
	var epoch uint64
	if shared {
		epoch = a.deps.Snapshots.Begin() // before anything the page shows is read
	}
	var snap *readcache.Snapshot
	data, err := a.deps.Pastes.Page(ctx, v, paste.ID(c.Params("id")), paste.PageOptions{
		Mode:           pageMode(c),
		CommentsOrder:  pageCommentOrder(c),
		CommentsCursor: c.Query("comments"),
		Want: func(p paste.Paste) bool {
			if !shared || p.BurnAfterReading {
				return true
			}
			// The read rule has just allowed p: a kept page of its
			// revision, young enough, is all this view needs.
			snap = a.deps.Snapshots.Snapshot(p.ID, p.Revision)
			return !freshSnapshot(snap, p, time.Now())
		},
	})
	if err != nil {
		return err
	}
	p := data.Paste
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	if p.Visibility != paste.Public {
		c.Set(headerRobots, "noindex") // unlisted: for those given the link, not for search engines
	}
	if data.Skipped {
		a.recordView(c, v, p)
		sendSnapshot(c, snap)
		return nil
	}
	var notice *views.CreatedNotice
	if created && a.takeOnce(c, createdCookie, path) != "" {
		notice = a.createdNotice(c, p)
	}
	if p.BurnAfterReading {
		c.Set(fiber.HeaderCacheControl, "no-store")
		if notice != nil {
			return a.render(c, fiber.StatusOK, views.BurnCreatedPage(a.page(c, "Created"), p, *notice))
		}
		return a.render(c, fiber.StatusOK, views.BurnConfirmPage(a.page(c, "Read once"), p))
	}
	build := func() (templ.Component, error) {
		view := a.pasteViewOf(c, p, data.Body)
		view.Envelope = string(data.Envelope)
		a.withFiles(&view, data, view.RawURL)
		ownerView(v, &view, data.ShareLinks)
		a.communityFrom(c, v, &view, data.Community)
		a.forkExtras(c, v, p, &view, "/"+string(p.ID)+"/fork")
		if err := a.sharingExtras(c, p, &view); err != nil {
			return nil, err
		}
		view.Created = notice
		if view.ShowSharing && c.Cookies(newShareCookie) != "" {
			if token := a.takeOnce(c, newShareCookie, path); token != "" {
				c.Set(fiber.HeaderCacheControl, "no-store")
				view.NewShareURL = a.link("/s/" + token)
			}
		}
		return views.PastePage(a.page(c, titleOf(p)), view), nil
	}
	if shared {
		s, err := a.renderSnapshot(c, p.Revision, build)
		if err != nil {
			return err
		}
		a.deps.Snapshots.KeepSnapshot(epoch, p.ID, s)
		sendSnapshot(c, s)
		return nil
	}
	comp, err := build()
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, comp)
}

// revealPaste consumes a burn-after-reading paste and shows it this once.
func (a *App) revealPaste(c *fiber.Ctx) error {
	ctx := c.UserContext()
	data, err := a.deps.Pastes.Page(ctx, paste.ViewerFrom(ctx), paste.ID(c.Params("id")), paste.PageOptions{
		Mode: pageMode(c), Reveal: true, NoComments: true,
	})
	if err != nil {
		return err
	}
	p := data.Paste
	c.Set(fiber.HeaderCacheControl, "no-store")
	view := a.pasteViewOf(c, p, data.Body)
	view.Envelope = string(data.Envelope)
	view.Burned = p.BurnAfterReading
	view.CanDelete = false
	if view.Burned {
		// Raw and Download would be 404 by now: the page offers Copy.
		view.RawURL, view.DownloadURL = "", ""
	}
	a.withFiles(&view, data, view.RawURL)
	return a.render(c, fiber.StatusOK, views.PastePage(a.page(c, titleOf(p)), view))
}

// createdNotice is the "Created" notice for p's creator: its link and, when
// this browser holds p's delete token, the token.
func (a *App) createdNotice(c *fiber.Ctx, p paste.Paste) *views.CreatedNotice {
	n := &views.CreatedNotice{URL: a.link("/" + string(p.ID)), APIDeleteURL: a.link("/api/v1/pastes/" + string(p.ID))}
	if tok := c.Cookies(deleteCookie); p.IsAnonymous() && paste.SecretMatches(tok, p.DeleteTokenHash) {
		n.DeleteToken = tok
	}
	return n
}

func titleOf(p paste.Paste) string {
	if p.Title != "" {
		return p.Title
	}
	return "Untitled paste"
}

// pageMode is how the request asks to see a paste's body: ?view=source
// shows a Markdown, JSON or CSV/TSV paste's source, ?view=tree a JSON or
// YAML paste's tree, ?grep= only the lines containing it; past
// render.PageLines lines the page shows the start and links to all of it
// (?full=1).
func pageMode(c *fiber.Ctx) paste.RenderMode {
	view := c.Query("view")
	return paste.RenderMode{Source: view == "source", Full: c.Query("full") == "1", Tree: view == "tree", Grep: grepOf(c)}
}

// pasteView builds the page model of p, rendering its body (body when the
// caller holds it, a burn-after-reading paste just consumed; nil: read it
// unless its rendering is kept). The service applies the read rule before
// any rendering is asked for, so a kept one never serves a deleted,
// expired or burned paste.
func (a *App) pasteView(c *fiber.Ctx, p paste.Paste, body []byte) (views.PasteView, error) {
	ctx := c.UserContext()
	mode := pageMode(c)
	if p.BurnAfterReading {
		// A burn paste's page is its only showing: the source (which Copy
		// copies) rather than a rendering whose source view is gone, in
		// full.
		mode = paste.RenderMode{Source: true, Full: true}
	}
	var r paste.Rendered
	var err error
	if body != nil {
		r, err = a.deps.Pastes.RenderBody(ctx, p, mode, body)
	} else {
		r, err = a.deps.Pastes.Render(ctx, p, mode)
	}
	if err != nil {
		return views.PasteView{}, err
	}
	return a.pasteViewOf(c, p, r), nil
}

// pasteViewOf is the page model of p showing r.
func (a *App) pasteViewOf(c *fiber.Ctx, p paste.Paste, r paste.Rendered) views.PasteView {
	v := paste.ViewerFrom(c.UserContext())
	id := string(p.ID)
	view := views.PasteView{
		Paste:       p,
		SyntaxLabel: a.deps.Syntaxes.Label(p.Syntax),
		RawURL:      "/raw/" + id,
		DownloadURL: "/dl/" + id,
		URL:         a.link("/" + id),
		// Burn pastes show no history: it would be a way around the burn.
		RevisionsURL: revisionsURL("/"+id, p),
		SourceURL:    paste.SafeSourceURL(p.SourceURL),
		CanDelete: v.Owns(p) || v.IsAdmin ||
			(p.IsAnonymous() && paste.SecretMatches(c.Cookies(deleteCookie), p.DeleteTokenHash)),
	}
	// Owners do not report their own pastes (the service refuses too).
	if v.SignedIn() && v.Shared == "" && a.deps.Admin != nil && !v.Owns(p) {
		view.Report = &views.ReportFormView{Action: "/" + id + "/report", CSRFToken: csrfToken(c), TestID: "report-paste"}
	}
	if p.Encrypted {
		return view // nothing rendered: the page decrypts Envelope
	}
	if r.Markdown && !r.Binary {
		view.MarkdownHTML = r.HTML
		view.SourceViewURL = "/" + id + "?view=source"
		view.Rich = a.richAssets(r)
		return view
	}
	view.Reading = readingOf(c, p, r)
	if view.Reading.DataHTML != "" {
		return view
	}
	view.CodeHTML, view.Binary, view.Truncated = r.HTML, r.Binary, r.Truncated
	if view.Reading.Filter != nil && view.Reading.Filter.Grep != "" {
		// The filter says how many lines matched and how many are shown.
		view.Truncated = false
	}
	if view.Truncated && !r.Binary {
		view.LinesShown = r.Lines
		if !p.BurnAfterReading && c.Query("full") != "1" {
			view.FullURL = fullURL(c)
		}
	}
	if p.Syntax == "markdown" {
		view.RenderedURL = "/" + id
	}
	return view
}

func (a *App) link(path string) string {
	u := *a.opts.BaseURL
	u.Path = path
	return u.String()
}

func (a *App) raw(c *fiber.Ctx) error {
	return a.sendBody(c, false)
}

func (a *App) download(c *fiber.Ctx) error {
	return a.sendBody(c, true)
}

// sendBody answers the exact stored bytes. Non-burn pastes carry an ETag so
// revalidation is cheap; a burn paste is consumed here, except by HEAD.
func (a *App) sendBody(c *fiber.Ctx, attachment bool) error {
	return a.sendPasteBody(c, paste.ID(c.Params("id")), attachment)
}

func (a *App) sendPasteBody(c *fiber.Ctx, id paste.ID, attachment bool) error {
	if attachment {
		// A paste of several files downloads as a ZIP of them.
		if zipped, err := a.zipDownload(c, id); zipped {
			return err
		}
	}
	return a.sendFileBody(c, id, "", attachment)
}

// sendFileBody answers the exact bytes of the file name of paste id ("":
// its first file).
func (a *App) sendFileBody(c *fiber.Ctx, id paste.ID, name string, attachment bool) error {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	head := c.Method() == fiber.MethodHead
	notModified := false
	r, err := a.deps.Pastes.Read(ctx, v, id, paste.ReadOptions{
		Want: func(p paste.Paste) bool {
			notModified = api.ReadCaching(c, v, p)
			// A HEAD reads no body, so it never consumes a burn paste.
			return !notModified && !head
		},
		// Small bodies are usually in memory (the body cache): sent with
		// the headers in one write, without a copy; larger ones stream.
		StreamOver: smallBody,
		File:       name,
	})
	if err != nil {
		return err
	}
	p := r.Paste
	h := &c.Response().Header
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'")
	h.Set(fiber.HeaderContentType, fileContentType(r.File, false))
	h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	if attachment {
		h.Set(fiber.HeaderContentType, "application/octet-stream")
		h.Set(fiber.HeaderContentDisposition, contentDisposition(p, a.deps.Syntaxes.Extension(p.Syntax)))
		if name != "" || len(p.Files) > 1 {
			h.Set(fiber.HeaderContentDisposition, fileDisposition(r.File.Name))
		}
	}
	switch {
	case notModified:
		return c.SendStatus(fiber.StatusNotModified)
	case r.Skipped: // HEAD
		if !p.BurnAfterReading {
			h.SetContentLength(int(r.File.Size))
		}
		return c.SendStatus(fiber.StatusOK)
	case r.Stream != nil:
		// fasthttp copies the stream after the handler returns and closes
		// it: a 10 MiB paste never sits in memory whole. A local file goes
		// out as the file itself, which the server sends with sendfile.
		var body io.ReadCloser = r.Stream
		if f, ok := body.(sendFiler); ok {
			body = f.SendFile()
		}
		c.Response().SetBodyStream(body, int(r.File.Size))
		return nil
	}
	c.Response().SetBodyRaw(r.Body)
	return nil
}

// sendFiler is a body that is an open file underneath (blob.File): the
// server sends the file itself with sendfile.
type sendFiler interface {
	SendFile() *os.File
}

// smallBody is the size up to which a body is read whole and sent from
// memory rather than streamed (the body cache keeps bodies up to 64 KiB).
const smallBody = 64 << 10

var (
	fileNameLike = regexp.MustCompile(`^[\w][\w.\-]{0,99}\.[A-Za-z0-9]{1,10}$`)
	// dotlessNames are file names without an extension that name a syntax.
	dotlessNames = regexp.MustCompile(`^(Dockerfile|Containerfile|Makefile|GNUmakefile|Jenkinsfile|Vagrantfile|Gemfile|Rakefile|Procfile|Justfile)$`)
)

// contentDisposition names the download after the title when the title looks
// like a file name (main.go, the name `pastel main.go` sends), otherwise
// after the ID with ext, the syntax's usual extension (Abc123.py); mime
// encodes anything that is not plain ASCII (RFC 2231).
func contentDisposition(p paste.Paste, ext string) string {
	name := string(p.ID) + "." + ext
	if t := strings.TrimSpace(p.Title); fileNameLike.MatchString(t) || dotlessNames.MatchString(t) {
		name = t
	}
	return mime.FormatMediaType("attachment", map[string]string{"filename": name})
}

func (a *App) deletePaste(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id := paste.ID(c.Params("id"))
	if err := a.deps.Pastes.Delete(ctx, paste.ViewerFrom(ctx), id, c.Cookies(deleteCookie)); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: deleteCookie, Path: "/" + string(id), Expires: time.Unix(0, 0), MaxAge: -1, HTTPOnly: true})
	a.flash(c, "deleted")
	return redirect(c, "/")
}
