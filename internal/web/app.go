package web

import (
	"context"
	"log/slog"
	"net/netip"
	"net/url"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"pastel/internal/account"
	"pastel/internal/admin"
	"pastel/internal/api"
	"pastel/internal/paste"
	"pastel/internal/ratelimit"
	"pastel/internal/readcache"
	"pastel/internal/render"
	"pastel/static"
	"pastel/views"
)

// Deps are the services and adapters the web app uses.
type Deps struct {
	Pastes      *paste.Service
	Accounts    *account.Service
	Admin       *admin.Service // account deletion, reports, /admin; nil: not mounted
	Sessions    SessionStore
	Blobs       paste.Blobs // for readiness
	PingDB      func(ctx context.Context) error
	Syntaxes    *render.Syntaxes
	Assets      *static.Assets
	Logger      *slog.Logger
	Idempotency api.IdempotencyStore // Idempotency-Key records; nil: in memory
	Snapshots   Snapshots            // rendered pages kept per paste; nil: every view renders
	Lists       api.ListCache        // lists, searches and their answers kept for anonymous visitors; nil: none
	Metrics     RequestMetrics       // records every request (METRICS_ADDR); nil: nothing is
	Mailer      account.Mailer       // sends password reset links (SMTP_HOST); nil: no e-mail
}

// Snapshots keeps each paste's page as anonymous visitors see it, keyed by
// the paste and its revision, forgotten whenever the paste, its comments or
// its owner change, on any replica (readcache.Cache).
type Snapshots interface {
	// Begin returns the epoch to pass to KeepSnapshot, taken before the
	// snapshot's ingredients are read.
	Begin() uint64
	Snapshot(id paste.ID, revision int32) *readcache.Snapshot
	KeepSnapshot(epoch uint64, id paste.ID, s *readcache.Snapshot)
}

// Options tune the app.
type Options struct {
	BaseURL        *url.URL
	MaxPasteBytes  int64
	AllowAnonymous bool
	TrustedProxies []string // addresses or CIDRs whose X-Forwarded-For is believed
	RequestTimeout time.Duration
	APIRateLimits  api.RateLimits // zero fields: the API's defaults
	// Budgets are the write and registration budgets, one per caller for
	// the forms and the API alike; nil: the API's, in memory.
	Budgets *ratelimit.Budgets
	// MaxConnsPerIP caps open connections per peer address (MAX_CONNS_PER_IP);
	// 0: 64, or no cap when TrustedProxies is set (every client then arrives
	// from the proxy's address); negative: no cap.
	MaxConnsPerIP int
	// SessionKey (SESSION_KEY) keys the CSRF tokens bound to each browser's
	// session; empty: a random key for this process (tests).
	SessionKey []byte
	// OIDC adds sign-in through an OpenID Connect provider; nil: none.
	OIDC *OIDCOptions
}

// App is the Fiber application with its handlers.
type App struct {
	*fiber.App
	deps    Deps
	opts    Options
	log     *slog.Logger
	proxies []netip.Prefix // TrustedProxies, parsed
	csrfKey []byte
	// routeTable knows which methods serve a path (405 with Allow).
	routeTable *routeTable
	oidc       *oidcClient // nil: no OpenID Connect sign-in
}

// New builds the app: middleware, routes, and the error handler.
func New(d Deps, o Options) *App {
	if o.RequestTimeout == 0 {
		o.RequestTimeout = 30 * time.Second
	}
	o = o.withBudgets()
	a := &App{deps: d, opts: o, log: d.Logger, proxies: parseProxies(o.TrustedProxies)}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if o.OIDC != nil && o.OIDC.Issuer != "" {
		a.oidc = newOIDCClient(*o.OIDC, o.BaseURL)
	}
	a.csrfKey = o.SessionKey
	if len(a.csrfKey) == 0 {
		a.csrfKey = []byte(randomToken(32))
	}
	cfg := fiber.Config{
		DisableStartupMessage: true,
		CaseSensitive:         true,
		// Immutable: every string and byte slice a handler gets from the
		// request (Params, Get, FormValue, Query, Cookies, IP, Body) is its
		// own copy, not a view into buffers fasthttp reuses for the next
		// request on the connection. This is the app's one rule for request
		// memory; nothing needs to remember to clone.
		Immutable: true,
		// The largest body any route reads (a paste plus its form or JSON
		// encoding); boundBody applies each route's own limit. Bodies are
		// streamed: the server allocates as bytes arrive, not for the
		// Content-Length a client declares and never sends.
		BodyLimit:         int(2*o.MaxPasteBytes + 1<<20),
		StreamRequestBody: true,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ReadBufferSize:    16 << 10,
		// Headers and a body of up to ~64 KiB (a highlighted 4 KiB paste's
		// page is ~40 KiB) leave in one write; with fasthttp's 4 KiB default
		// even a 4 KiB raw paste took two. Held only while a connection is
		// answering.
		WriteBufferSize: 64 << 10,
		// Multipart bodies are parsed when a handler asks, not while the
		// request is read: a malformed one (control bytes in a part
		// header) is then the handler's 400 in its surface's shape (JSON
		// under /api/), instead of a page from before routing.
		DisablePreParseMultipartForm: true,
		ErrorHandler:                 a.handleError,
	}
	a.App = fiber.New(cfg)
	a.Server().MaxConnsPerIP = maxConnsPerIP(o)
	a.Use(observeRequests(d.Metrics), a.requestContext, a.accessLog, recover.New(), a.headers, a.boundBody)
	a.Get("/healthz", a.healthz)
	a.Get("/readyz", a.readyz)
	a.Get("/static/*", a.staticAsset)
	a.Get(diagramFramePath, a.diagramFrame)
	a.Get("/favicon.ico", a.favicon)

	apiGroup := a.Group("/api/v1")
	api.Register(apiGroup, api.Deps{Pastes: d.Pastes, Accounts: d.Accounts, Admin: d.Admin, BaseURL: o.BaseURL, Idempotency: d.Idempotency, RateLimits: o.APIRateLimits, Lists: d.Lists})

	a.Use(a.csrf, a.loadViewer, a.loadUnlocks)
	a.Get("/login", a.loginPage)
	a.Post("/login", a.login)
	a.Get("/register", a.registerPage)
	a.Post("/register", a.limitRegistration, a.register)
	a.Post("/logout", a.logout)
	a.registerOIDC()
	a.registerTwoFactor()
	a.registerReset()
	a.Get("/settings", a.settings)
	a.Post("/settings/password", a.changePassword)
	a.Post("/settings/sessions/revoke-others", a.endOtherSessions)
	a.Post("/settings/sessions/:sid/revoke", a.endSession)
	a.Post("/settings/tokens", a.limitWrite, a.createToken)
	a.Post("/settings/tokens/:tid/revoke", a.revokeToken)
	a.Get("/u/:username", a.userPage)
	a.Get("/s/:token", a.showShared)
	a.Post("/s/:token/reveal", a.revealShared)
	a.Post("/s/:token/unlock", a.unlockShared)
	a.Post("/s/:token/fork", a.limitWrite, a.forkShared)
	a.Get("/s/:token/raw", a.sharedRaw)
	a.Get("/s/:token/raw/:name", a.sharedRawFile)
	a.Get("/s/:token/dl", a.sharedDownload)
	a.Get("/", a.newPaste)
	a.Post("/", a.limitWrite, a.createPaste)
	a.Get("/explore", a.explore)
	a.registerBookmarklet()
	a.registerCommunity()
	a.registerSearch()
	a.registerAPIDocs()
	a.registerAdmin()
	a.registerFeeds()
	a.registerSharing()
	a.registerRevisions()
	a.Get("/raw/:id", a.raw)
	a.Get("/raw/:id/:name", a.rawFile)
	a.Get("/dl/:id", a.download)
	a.Get("/:id", a.showPaste)
	a.Post("/:id/reveal", a.revealPaste)
	a.Post("/:id/unlock", a.unlockPaste)
	a.Post("/:id/delete", a.deletePaste)
	a.Post("/:id/fork", a.limitWrite, a.forkPaste)
	a.Get("/:id/edit", a.editPage)
	a.Post("/:id/edit", a.limitWrite, a.updatePaste)
	a.Post("/:id/share-links", a.limitWrite, a.createShareLink)
	a.Post("/:id/share-links/:lid/revoke", a.revokeShareLink)
	a.routeTable = newRouteTable(a.App.GetRoutes(true))
	return a
}

func maxConnsPerIP(o Options) int {
	switch {
	case o.MaxConnsPerIP < 0:
		return 0
	case o.MaxConnsPerIP > 0:
		return o.MaxConnsPerIP
	case len(o.TrustedProxies) > 0:
		return 0
	}
	return 64
}

// StaticPath returns the versioned URL of a static asset.
func (a *App) StaticPath(name string) string { return a.deps.Assets.Path(name) }

// render writes a templ component as the HTML response, with the request's
// CSP nonce in its context.
func (a *App) render(c *fiber.Ctx, status int, comp templ.Component) error {
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	ctx := templ.WithNonce(views.WithSyntaxLabels(c.UserContext(), a.deps.Syntaxes.Label), nonce(c))
	return comp.Render(ctx, c.Response().BodyWriter())
}

// page returns what every full page needs.
func (a *App) page(c *fiber.Ctx, title string) views.Page {
	return views.Page{
		Title:     title,
		User:      paste.ViewerFrom(c.UserContext()).Username,
		Admin:     paste.ViewerFrom(c.UserContext()).IsAdmin,
		Flash:     a.pageFlash(c),
		Path:      c.OriginalURL(),
		CSRFToken: csrfToken(c),
		Assets: views.AssetURLs{
			CSS:       a.deps.Assets.Path("app.css"),
			ChromaCSS: a.deps.Assets.Path("chroma.css"),
			Script:    a.deps.Assets.Path("bundle.js"),
			Prefs:     a.deps.Assets.Path("prefs.js"),
			Favicon:   a.deps.Assets.Path("favicon.svg"),
		},
	}
}

// redirect sends the browser to path after a successful POST: 303, or
// HX-Redirect for htmx so the whole page changes.
func redirect(c *fiber.Ctx, path string) error {
	if isHTMX(c) {
		c.Set("HX-Redirect", path)
		return c.SendStatus(fiber.StatusOK)
	}
	return c.Redirect(path, fiber.StatusSeeOther)
}
