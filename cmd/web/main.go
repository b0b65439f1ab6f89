// Command web runs Pastel: `web` (or `web serve`) applies pending migrations
// and serves; `web healthcheck` probes a running server (for containers);
// `web migrate` only migrates; `web reindex` rebuilds the search index.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"pastel/internal/account"
	"pastel/internal/admin"
	"pastel/internal/api"
	"pastel/internal/auth"
	"pastel/internal/blob"
	"pastel/internal/config"
	"pastel/internal/logging"
	"pastel/internal/mail"
	"pastel/internal/metrics"
	"pastel/internal/paste"
	"pastel/internal/ratelimit"
	"pastel/internal/readcache"
	"pastel/internal/render"
	"pastel/internal/runner"
	"pastel/internal/search"
	"pastel/internal/secrets"
	"pastel/internal/store"
	"pastel/internal/web"
	"pastel/static"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	// The server's log goes out in batches (an access line per request
	// would otherwise be a write system call per request); commands write
	// straight through.
	var out io.Writer = os.Stderr
	if cmd == "serve" {
		buffered := logging.NewWriter(os.Stderr, 64<<10, 200*time.Millisecond)
		defer buffered.Close()
		out = buffered
	}
	log := newLogger(out, isTerminal(os.Stderr), cfg)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	switch cmd {
	case "serve":
		err = serve(ctx, cfg, log)
	case "migrate":
		err = withPool(ctx, cfg, func(pool *pgxpool.Pool) error { return nil })
	case "healthcheck":
		err = healthcheck(cfg)
	case "admin":
		err = adminCommand(ctx, cfg, args)
	case "reindex":
		err = reindexCommand(ctx, cfg, log)
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\nusage: web [serve|migrate|reindex|healthcheck|admin grant|revoke USERNAME|admin invite]\n", cmd)
		return 2
	}
	if err != nil {
		if cmd == "serve" {
			log.Error("serve failed", "err", err)
		} else {
			// A command someone typed answers in words, not log records.
			fmt.Fprintf(os.Stderr, "web %s: %v\n", cmd, err)
		}
		return 1
	}
	return 0
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// newLogger writes readable text to a terminal and JSON elsewhere, unless
// LOG_FORMAT says which.
func newLogger(w io.Writer, terminal bool, cfg config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	format := cfg.LogFormat
	if format == "" {
		format = "json"
		if terminal {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// adminUsage lists the admin commands.
const adminUsage = "usage: web admin grant|revoke USERNAME | web admin invite [-expires 7d] [-note TEXT] | web admin reset-link [-expires 24h] USERNAME"

// adminCommand grants or revokes the admin role: `web admin grant NAME`.
// Admins are made only here, never through the web. `web admin invite`
// prints a one-use registration link.
func adminCommand(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) > 0 && args[0] == "invite" {
		return inviteCommand(ctx, cfg, args[1:])
	}
	if len(args) > 0 && args[0] == "reset-link" {
		return resetLinkCommand(ctx, cfg, args[1:])
	}
	if len(args) != 2 || (args[0] != "grant" && args[0] != "revoke") {
		return errors.New(adminUsage)
	}
	return withPool(ctx, cfg, func(pool *pgxpool.Pool) error {
		if err := store.New(pool).Accounts().SetAdmin(ctx, args[1], args[0] == "grant"); err != nil {
			if errors.Is(err, paste.ErrNotFound) {
				return fmt.Errorf("no user named %q", args[1])
			}
			return err
		}
		if args[0] == "grant" {
			fmt.Printf("%s is now an admin\n", args[1])
		} else {
			fmt.Printf("%s is no longer an admin\n", args[1])
		}
		return nil
	})
}

// inviteCommand prints a one-use registration link lasting -expires
// (default 7 days; a Go duration or a number of days such as 30d).
func inviteCommand(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("web admin invite", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	expires := fs.String("expires", "7d", "how long the link works: 30m, 48h, 7d …")
	note := fs.String("note", "", "who the invite is for, shown on /admin/invites")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return errors.New(adminUsage)
	}
	ttl, err := parseDays(*expires)
	if err != nil {
		return fmt.Errorf("-expires %q: %w", *expires, err)
	}
	return withPool(ctx, cfg, func(pool *pgxpool.Pool) error {
		accounts := account.NewService(store.New(pool).Accounts(), account.Options{Registration: account.Registration(cfg.Registration)})
		token, inv, err := accounts.CreateInvite(ctx, 0, ttl, *note)
		if err != nil {
			return err
		}
		fmt.Println(web.InviteURL(cfg.BaseURL.String(), token))
		if cfg.Registration != string(account.RegistrationInvite) {
			fmt.Fprintf(os.Stderr, "note: REGISTRATION is %s here; the link is needed only with REGISTRATION=invite\n", cfg.Registration)
		}
		fmt.Fprintf(os.Stderr, "one use, until %s\n", inv.ExpiresAt.Format("2006-01-02 15:04 MST"))
		return nil
	})
}

// mailer sends password reset links when SMTP_HOST is set; nil otherwise.
func mailer(cfg config.Config) account.Mailer {
	if cfg.SMTP.Host == "" {
		return nil
	}
	return &mail.SMTP{
		Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, From: cfg.SMTP.From,
		Username: cfg.SMTP.Username, Password: cfg.SMTP.Password.Reveal(),
	}
}

// resetLinkCommand prints a one-use password reset link for USERNAME:
// `web admin reset-link [-expires 24h] USERNAME`.
func resetLinkCommand(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("web admin reset-link", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	expires := fs.String("expires", "24h", "how long the link works: 30m, 24h, 2d …")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return errors.New(adminUsage)
	}
	ttl, err := parseDays(*expires)
	if err != nil {
		return fmt.Errorf("-expires %q: %w", *expires, err)
	}
	return withPool(ctx, cfg, func(pool *pgxpool.Pool) error {
		accounts := account.NewService(store.New(pool).Accounts(), account.Options{})
		token, u, err := accounts.CreateResetLink(ctx, fs.Arg(0), 0, ttl)
		if errors.Is(err, paste.ErrNotFound) {
			return fmt.Errorf("no active user named %q", fs.Arg(0))
		}
		if err != nil {
			return err
		}
		fmt.Println(web.ResetURL(cfg.BaseURL.String(), token))
		fmt.Fprintf(os.Stderr, "one use, for %s, until %s; it signs out every session of the account\n", u.Username, time.Now().Add(ttl).Format("2006-01-02 15:04 MST"))
		return nil
	})
}

// oidcOptions is the OpenID Connect sign-in, or nil without OIDC_ISSUER.
func oidcOptions(cfg config.Config) *web.OIDCOptions {
	if cfg.OIDC.Issuer == "" {
		return nil
	}
	return &web.OIDCOptions{
		Issuer: cfg.OIDC.Issuer, ClientID: cfg.OIDC.ClientID, ClientSecret: cfg.OIDC.ClientSecret.Reveal(), Name: cfg.OIDC.Name,
	}
}

// parseDays reads a Go duration or a whole number of days ("7d").
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		d, err := strconv.Atoi(n)
		if err != nil || d <= 0 {
			return 0, errors.New("must be a duration such as 48h or a number of days such as 7d")
		}
		return time.Duration(d) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, errors.New("must be a duration such as 48h or a number of days such as 7d")
	}
	return d, nil
}

// withPool opens the database, waits up to a minute for it to answer (a
// container stack starts in any order), applies migrations, and runs fn.
func withPool(ctx context.Context, cfg config.Config, fn func(*pgxpool.Pool) error) error {
	return withTracedPool(ctx, cfg, nil, fn)
}

// withTracedPool is withPool with a tracer that sees every query (metrics).
func withTracedPool(ctx context.Context, cfg config.Config, tracer pgx.QueryTracer, fn func(*pgxpool.Pool) error) error {
	pool, err := store.Open(ctx, store.Options{URL: cfg.DatabaseURL.Reveal(), Tracer: tracer})
	if err != nil {
		return err
	}
	defer pool.Close()
	deadline := time.Now().Add(time.Minute)
	for {
		err = store.Migrate(ctx, pool)
		if err == nil || !errors.Is(err, paste.ErrUnavailable) || time.Now().After(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return fn(pool)
}

func openBlobs(ctx context.Context, cfg config.Config) (paste.Blobs, error) {
	if cfg.S3.Endpoint == "" {
		return blob.NewLocal(cfg.DataDir + "/blobs")
	}
	return blob.NewS3(ctx, blob.S3Options{
		Endpoint:  cfg.S3.Endpoint,
		AccessKey: cfg.S3.AccessKey.Reveal(),
		SecretKey: cfg.S3.SecretKey.Reveal(),
		Bucket:    cfg.S3.Bucket,
		Region:    cfg.S3.Region,
		UseSSL:    cfg.S3.UseSSL,
	})
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	if err := cfg.EnsureSecrets(); err != nil {
		return err
	}
	// With METRICS_ADDR the app records what it does; without, m is nil
	// and every metrics call below is a no-op that returns what it wraps.
	var m *metrics.Metrics
	var requestMetrics web.RequestMetrics
	if cfg.MetricsAddr != "" {
		m = metrics.New()
		requestMetrics = m
	}
	return withTracedPool(ctx, cfg, m.DB(), func(pool *pgxpool.Pool) error {
		blobs, err := openBlobs(ctx, cfg)
		if err != nil {
			return fmt.Errorf("blob store: %w", err)
		}
		blobs = m.Blobs(blobs) // timed under the cache: the store itself
		if cfg.BodyCacheBytes > 0 {
			cached := readcache.NewBodies(blobs, cfg.BodyCacheBytes)
			m.Cache("body", cached.Stats)
			blobs = cached
		}
		st := store.New(pool)
		// Page snapshots are rendered pages: they share RENDER_CACHE_BYTES'
		// bound with the render cache, half each.
		readCache := readcache.New(readcache.Options{
			MaxPastes: cfg.PasteCacheEntries, MaxSnapshotBytes: cfg.RenderCacheBytes / 2, Logger: log,
			// Lists, searches and their rendered answers for anonymous
			// visitors (issue 19): a few thousand first pages.
			Lists: readcache.ListOptions{MaxEntries: 4096, MaxBytes: 64 << 20},
		})
		st.TellChanges(readCache)
		m.Cache("paste_rows", func() (uint64, uint64) { s := readCache.Stats(); return s.Hits, s.Misses })
		m.Cache("page_snapshots", func() (uint64, uint64) { s := readCache.Stats(); return s.SnapshotHits, s.SnapshotMisses })
		m.Cache("lists", func() (uint64, uint64) { s := readCache.Lists().Stats(); return s.Hits, s.Misses })
		renderCache := readcache.NewRenders(cfg.RenderCacheBytes / 2)
		m.Cache("render", renderCache.Stats)
		// Diffs of revisions and pastes, by the bodies compared: a
		// quarter of RENDER_CACHE_BYTES more.
		diffCache := readcache.NewDiffs(cfg.RenderCacheBytes / 4)
		m.Cache("diff", diffCache.Stats)
		m.SearchQueueDepth(st.CountSearchJobs)
		tokens, err := auth.NewTokens(auth.TokenOptions{
			Secret: []byte(cfg.JWTSecret.Reveal()), Issuer: cfg.BaseURL.String(), Audience: cfg.BaseURL.String() + "/api",
		})
		if err != nil {
			return err
		}
		// Sign-in failures are counted in PostgreSQL, so that replicas
		// share one budget per account and per client address (5 and 20 in
		// 15 minutes) instead of each granting its own.
		accounts := account.NewService(st.Accounts(), account.Options{
			Tokens: tokens, Logger: log,
			AccountFailures: 5, AddressFailures: 20, Window: 15 * time.Minute,
			AccountLimiter: st.SignInLimiter("signin:account", 5, 15*time.Minute),
			AddressLimiter: st.SignInLimiter("signin:addr", 20, 15*time.Minute),
			Registration:   account.Registration(cfg.Registration),
		})
		sessionStore := web.NewSessions(st.SessionRows(), web.SessionOptions{Secure: cfg.BaseURL.Scheme == "https"})
		syntaxes := render.NewSyntaxes()
		community := store.NewCommunity(st, store.CommunityOptions{Logger: log})
		engine, indexer := searchEngine(ctx, cfg, st, log)
		adminLog := admin.NewLog(st.Admin(), nil)
		// Credential checks of new text (issue 16): gitleaks' rules, each
		// scan bounded to 500 ms.
		secretScanner, err := secrets.New(secrets.Options{})
		if err != nil {
			return fmt.Errorf("secret scanner: %w", err)
		}
		// Reads go through the read cache, then the timed repository.
		pastes := paste.NewService(readCache.Pastes(m.Pastes(st.Pastes())), blobs, syntaxes, paste.Options{
			MaxBytes:       cfg.MaxPasteBytes,
			AllowAnonymous: cfg.AllowAnonymous,
			Logger:         log,
			Community:      readCache.Community(community),
			Renderer:       renderCache.Renderer(render.NewPages(render.NewHighlighter(render.HighlightOptions{}))),
			Revisions:      st.Revisions(),
			Differ:         diffCache.Differ(render.NewDiffs(render.NewHighlighter(render.HighlightOptions{}))),
			Search:         readCache.Search(engine), // anonymous searches' hits are kept with the lists
			Audit:          adminLog,
			OrphanGrace:    cfg.OrphanGrace,
			Passwords:      pastePasswords(st),
			DefaultExpiry:  cfg.DefaultExpiry,
			MaxExpiry:      cfg.MaxExpiry,
			Secrets:        secretScanner,
		})
		admins := admin.NewService(st.Admin(), accounts, pastes, blobs, adminLog, admin.Options{Logger: log})
		proxies := make([]string, len(cfg.TrustedProxies))
		for i, p := range cfg.TrustedProxies {
			proxies[i] = p.String()
		}
		app := web.New(web.Deps{
			Pastes:      pastes,
			Accounts:    accounts,
			Admin:       admins,
			Sessions:    sessionStore,
			Blobs:       blobs,
			PingDB:      st.Ping,
			Syntaxes:    syntaxes,
			Assets:      static.New(map[string][]byte{"chroma.css": []byte(render.CSS())}),
			Logger:      log,
			Idempotency: api.NewIdempotency(st.IdempotencyKeys(nil), []byte(cfg.JWTSecret.Reveal())), // derives its own keys from the secret
			Snapshots:   readCache,
			Lists:       readCache.Lists(),
			Metrics:     requestMetrics,
			Mailer:      mailer(cfg),
		}, web.Options{
			BaseURL:        cfg.BaseURL,
			MaxPasteBytes:  cfg.MaxPasteBytes,
			AllowAnonymous: cfg.AllowAnonymous,
			TrustedProxies: proxies,
			SessionKey:     []byte(cfg.SessionKey.Reveal()),
			OIDC:           oidcOptions(cfg),
			MaxConnsPerIP:  cfg.MaxConnsPerIP,
			APIRateLimits: api.RateLimits{
				User: cfg.APIRateLimit, Anonymous: cfg.APIRateLimit,
				UserCreates: cfg.APICreateRateLimit, AnonCreates: cfg.APICreateRateLimit,
			},
			// Writes and registrations: one budget per caller for the forms
			// and the API, counted in PostgreSQL so replicas share it.
			Budgets: st.Budgets(ratelimit.Rates{
				UserWrites:    ratelimit.PerMinute(cfg.APICreateRateLimit),
				AddressWrites: ratelimit.PerMinute(cfg.APICreateRateLimit),
				Registrations: ratelimit.PerHour(cfg.RegistrationRateLimit),
			}, nil),
		})

		ln, err := net.Listen("tcp", cfg.HTTPAddr)
		if err != nil {
			return err
		}
		var metricsLn net.Listener
		if m != nil {
			if metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
				ln.Close()
				return fmt.Errorf("metrics: %w", err)
			}
		}
		workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
		jobs := runner.New(runner.Options{Logger: log, Observer: m, Gate: st.Periods()})
		addSweepers(jobs, cfg, pastes, sessionStore, st)
		// The read cache answers while this connection listens for changes.
		jobs.Add(runner.Task{Name: "cache_invalidation", Serve: func(ctx context.Context) { readCache.Listen(ctx, cfg.DatabaseURL.Reveal()) }})
		// Views are flushed every few seconds (sooner when the queue fills)
		// and drained on shutdown; the popular list is rebuilt every minute.
		jobs.Add(runner.Task{
			Name: "view_flush", Every: 5 * time.Second, Wake: community.Kicks(),
			Round: func(ctx context.Context) (int, error) { return 0, community.FlushViews(ctx) },
			Drain: community.FlushViews,
		})
		jobs.Add(runner.Task{
			Name: "popular_rebuild", Every: time.Minute, Once: true,
			Round: func(ctx context.Context) (int, error) { return community.RefreshPopular(ctx, time.Now()) },
		})
		// Trending this week is scored from a week of activity (seconds at
		// a million pastes), so it is rebuilt into a table the same way.
		jobs.Add(runner.Task{
			Name: "trending_rebuild", Every: time.Minute, Once: true,
			Round: func(ctx context.Context) (int, error) {
				now := time.Now()
				return community.RefreshTrending(ctx, now, now.Add(-paste.TrendingWindow), paste.TrendingKept)
			},
		})
		// Account deletions: jobs a crash or a stop left half done are
		// picked up at start; new ones when they are queued.
		jobs.Add(runner.Task{Name: "account_deletion", Every: 30 * time.Second, Wake: admins.Kicks(), Round: admins.RunDeletions, Noun: "deleted"})
		// The search queue is delivered to Typesense (or emptied without
		// it), and drained on shutdown.
		searchPoll := time.Second
		if cfg.TypesenseURL == "" {
			searchPoll = time.Minute
		}
		jobs.Add(runner.Task{Name: "search_queue", Every: searchPoll, Batch: indexer.Batch(), Round: indexer.RunOnce, Drain: indexer.Drain})
		jobs.Start(workCtx)

		if cfg.DebugAddr != "" {
			startProfiler(workCtx, cfg.DebugAddr, log)
		}
		if metricsLn != nil {
			serveMetrics(workCtx, metricsLn, m, log)
		}
		serveErr := make(chan error, 1)
		go func() { serveErr <- app.Listener(ln) }()
		log.Info("serving: open "+cfg.BaseURL.String()+" (Ctrl-C stops)", "addr", ln.Addr().String(), "base_url", cfg.BaseURL.String())

		select {
		case err := <-serveErr:
			stopWork()
			jobs.Wait()
			return err
		case <-ctx.Done():
		}
		log.Info("shutting down: draining requests and jobs")
		shutdownErr := app.ShutdownWithTimeout(30 * time.Second)
		stopWork()
		jobs.Wait()
		return shutdownErr
	})
}

// startProfiler serves net/http/pprof on addr (a loopback address, checked
// by config) until ctx ends: for measuring a running server.
func startProfiler(ctx context.Context, addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("profiler", "err", err)
		}
	}()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	log.Info("profiler serving", "addr", addr)
}

// serveMetrics serves GET /metrics on ln, its own listener (METRICS_ADDR),
// until ctx ends; the public app never serves it.
func serveMetrics(ctx context.Context, ln net.Listener, m *metrics.Metrics, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics", "err", err)
		}
	}()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	log.Info("metrics serving", "addr", ln.Addr().String())
}

// searchEngine returns the search engine and the queue worker: PostgreSQL
// alone by default; with TYPESENSE_URL, Typesense falling back to
// PostgreSQL while it is down. Typesense being down at start does not stop
// Pastel: the collection is made when the worker first reaches it.
func searchEngine(ctx context.Context, cfg config.Config, st *store.Store, log *slog.Logger) (paste.SearchEngine, *search.Worker) {
	pg := st.Search(0)
	if cfg.TypesenseURL == "" {
		return pg, search.NewWorker(st, nil, search.WorkerOptions{})
	}
	ts := search.NewTypesense(search.TypesenseOptions{URL: cfg.TypesenseURL, APIKey: cfg.TypesenseAPIKey.Reveal()})
	if err := ts.EnsureCollection(ctx); err != nil {
		log.Warn("typesense not ready; searching PostgreSQL until it is", "err", err)
	}
	index := &ensuringIndex{ts: ts}
	return &search.Fallback{Primary: ts, Secondary: pg, Logger: log}, search.NewWorker(st, index, search.WorkerOptions{})
}

// ensuringIndex creates the Typesense collection before the first delivery
// that finds it missing (Typesense was down at start, or was reset).
type ensuringIndex struct {
	ts *search.Typesense
	mu sync.Mutex
	ok bool
}

func (e *ensuringIndex) ensure(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ok {
		return nil
	}
	if err := e.ts.EnsureCollection(ctx); err != nil {
		return err
	}
	e.ok = true
	return nil
}

func (e *ensuringIndex) Upsert(ctx context.Context, docs []paste.SearchDoc) error {
	if err := e.ensure(ctx); err != nil {
		return err
	}
	return e.ts.Upsert(ctx, docs)
}

func (e *ensuringIndex) Delete(ctx context.Context, ids []paste.ID) error {
	if err := e.ensure(ctx); err != nil {
		return err
	}
	return e.ts.Delete(ctx, ids)
}

// reindexCommand rebuilds search from PostgreSQL and the blob store: every
// paste's indexed body is read again, then, with Typesense configured, the
// collection is recreated and filled from paste_search.
func reindexCommand(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	return withPool(ctx, cfg, func(pool *pgxpool.Pool) error {
		blobs, err := openBlobs(ctx, cfg)
		if err != nil {
			return fmt.Errorf("blob store: %w", err)
		}
		st := store.New(pool)
		n, err := search.RebuildBodies(ctx, st, st.Pastes(), blobs)
		if err != nil {
			return err
		}
		log.Info("search bodies rebuilt", "pastes", n)
		if cfg.TypesenseURL == "" {
			return nil
		}
		ts := search.NewTypesense(search.TypesenseOptions{URL: cfg.TypesenseURL, APIKey: cfg.TypesenseAPIKey.Reveal(), Timeout: 30 * time.Second})
		n, err = search.Reindex(ctx, st, ts, time.Now)
		if err != nil {
			return err
		}
		log.Info("typesense reindexed", "documents", n)
		return nil
	})
}

// addSweepers adds the expiry sweep (every EXPIRY_SWEEP_INTERVAL, a
// minute), the orphan sweep (every ORPHAN_SWEEP_INTERVAL, an hour), the
// stale-session sweep (hourly) and the rate-limit sweep (every ten
// minutes). Every replica's timer fires, but each sweep runs once per
// period across replicas (Once: the replica that claims the period in
// job_runs runs it).
func addSweepers(jobs *runner.Runner, cfg config.Config, pastes *paste.Service, sessions *web.Sessions, st *store.Store) {
	sweep := func(name string, period time.Duration, fn func(context.Context) (int, error)) {
		jobs.Add(runner.Task{Name: name, Every: period, Once: true, Round: fn, Noun: "removed"})
	}
	sweep("expiry_sweep", cfg.ExpirySweepInterval, pastes.SweepExpired)
	sweep("orphan_sweep", cfg.OrphanSweepInterval, func(ctx context.Context) (int, error) {
		return pastes.SweepOrphans(ctx, cfg.OrphanGrace)
	})
	sweep("session_sweep", time.Hour, sessions.DeleteStaleSessions)
	sweep("rate_limit_sweep", 10*time.Minute, func(ctx context.Context) (int, error) { return st.SweepRateLimits(ctx, time.Now()) })
}

// healthcheck GETs /healthz on the configured address; for containers whose
// image has no shell or curl.
func healthcheck(cfg config.Config) error {
	host, port, err := net.SplitHostPort(cfg.HTTPAddr)
	if err != nil {
		return err
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	client := http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://" + net.JoinHostPort(host, port) + "/healthz")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %d", resp.StatusCode)
	}
	return nil
}

// pastePasswords is what password pastes need: Argon2id with the default
// parameters, guesses counted in PostgreSQL across replicas.
func pastePasswords(st *store.Store) paste.Passwords {
	var pw paste.Passwords
	pw.Hash, pw.Verify = auth.PasteHashing(auth.DefaultPasswordParams)
	pw.PerPaste, pw.PerAddress = st.PasswordGuesses(ratelimit.PasswordGuessesPerPaste, ratelimit.PasswordGuessesPerAddress, nil)
	return pw
}
