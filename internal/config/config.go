// Package config reads Pastel's configuration from the environment, once, in
// cmd/web. Every bad variable is reported in one joined error. Secrets are a
// type that never prints its value.
package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Secret is a sensitive string; String, GoString and LogValue print
// "[redacted]".
type Secret string

// String implements fmt.Stringer.
func (Secret) String() string { return "[redacted]" }

// GoString implements fmt.GoStringer.
func (Secret) GoString() string { return "[redacted]" }

// LogValue implements slog.LogValuer.
func (Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// Reveal returns the secret's value, for the one place that needs it.
func (s Secret) Reveal() string { return string(s) }

// S3 configures S3-compatible blob storage; Endpoint "" means local disk.
type S3 struct {
	Endpoint  string
	AccessKey Secret
	SecretKey Secret
	Bucket    string
	Region    string
	UseSSL    bool
}

// Config is the whole configuration.
type Config struct {
	DatabaseURL     Secret
	HTTPAddr        string
	BaseURL         *url.URL
	DataDir         string
	S3              S3
	TypesenseURL    string
	TypesenseAPIKey Secret
	SessionKey      Secret // generated into DataDir when unset
	JWTSecret       Secret // generated into DataDir when unset
	MaxPasteBytes   int64
	AllowAnonymous  bool
	TrustedProxies  []netip.Prefix
	LogLevel        slog.Level
	// LogFormat is "text" (readable, for a terminal) or "json" (for a
	// collector); empty: text when standard error is a terminal, else JSON.
	LogFormat string
	// MaxConnsPerIP caps open connections per peer address; 0: the
	// server's default (64, or none behind TRUSTED_PROXIES); -1: no cap.
	MaxConnsPerIP int
	// APIRateLimit replaces the API's per-caller request budgets (per
	// minute, per replica); APICreateRateLimit the write budgets (creates,
	// edits, comments, votes, stars, reports, share links per minute per
	// caller), which the HTML forms share and which hold across replicas.
	// 0 keeps the defaults.
	APIRateLimit       int
	APICreateRateLimit int
	// RegistrationRateLimit is how many accounts one client address may
	// register an hour, through the forms and the API together.
	RegistrationRateLimit int
	// RenderCacheBytes bounds the cache of rendered pages (highlighted
	// code, Markdown).
	RenderCacheBytes int64
	// PasteCacheEntries bounds how many pastes each replica keeps in
	// memory (row, comment count, first comment page), kept current by
	// PostgreSQL notifications; 0 reads every view from the database.
	PasteCacheEntries int
	// BodyCacheBytes bounds the memory kept of small paste bodies (up to
	// 64 KiB each) for raw views; 0 reads every body from the store.
	BodyCacheBytes int64
	// Sweepers: how often expired pastes and orphaned bodies are removed,
	// and how old an unreferenced body must be before it counts as orphaned
	// (a body is written before its row commits, so younger ones may be
	// creates in progress).
	ExpirySweepInterval time.Duration
	OrphanSweepInterval time.Duration
	OrphanGrace         time.Duration
	// DebugAddr, when set, serves the Go profiler (/debug/pprof/) on its
	// own listener; it must be a loopback address.
	DebugAddr string
	// MetricsAddr, when set, serves GET /metrics (Prometheus text format)
	// on its own listener, never on HTTP_ADDR; unset: not served.
	MetricsAddr string
	// DefaultExpiry is the lifetime of a paste created without one (an
	// expires_in value: "never", "1d", "36h", "5400"); MaxExpiry the
	// longest lifetime allowed (0: no limit; then "never" is refused).
	DefaultExpiry string
	MaxExpiry     time.Duration
	// Registration is who may sign up: "open", "invite" (an admin's invite
	// link is needed) or "closed".
	Registration string
	// OIDC, when Issuer is set, adds sign-in through an OpenID Connect
	// provider beside passwords.
	OIDC OIDC
	// SMTP, when Host is set, lets users ask for a password reset link by
	// e-mail.
	SMTP SMTP
}

// SMTP is the mail server for password reset e-mails.
type SMTP struct {
	Host     string
	Port     int
	From     string
	Username string
	Password Secret
}

// OIDC configures sign-in with an OpenID Connect provider; the redirect
// URL is BASE_URL + /auth/oidc/callback.
type OIDC struct {
	Issuer       string
	ClientID     string
	ClientSecret Secret
	Name         string // OIDC_NAME: the button's label; "": the issuer's host
}

// Defaults.
const (
	DefaultDatabaseURL   = "postgres://127.0.0.1:5432/pastel?sslmode=disable"
	DefaultHTTPAddr      = "127.0.0.1:8080"
	DefaultDataDir       = "./data"
	DefaultMaxPasteBytes = 10 << 20
	// DefaultRegistrationRateLimit is registrations an hour per address.
	DefaultRegistrationRateLimit = 5
	// DefaultRenderCacheBytes is the default bound of the render cache.
	DefaultRenderCacheBytes = 64 << 20
	// DefaultPasteCacheEntries and DefaultBodyCacheBytes bound the read
	// caches.
	DefaultPasteCacheEntries = 10000
	DefaultBodyCacheBytes    = 16 << 20

	DefaultExpirySweepInterval = time.Minute
	DefaultOrphanSweepInterval = time.Hour
	DefaultOrphanGrace         = time.Hour
)

// Load reads the configuration through getenv (os.Getenv in production).
// Secret variables also accept NAME_FILE, the path of a file holding the
// value. Secrets left unset are not generated here: see EnsureSecrets.
func Load(getenv func(string) string) (Config, error) {
	l := loader{getenv: getenv}
	c := Config{
		DatabaseURL: l.secret("DATABASE_URL", DefaultDatabaseURL),
		HTTPAddr:    l.str("HTTP_ADDR", DefaultHTTPAddr),
		DataDir:     l.str("DATA_DIR", DefaultDataDir),
		S3: S3{
			Endpoint:  l.str("S3_ENDPOINT", ""),
			AccessKey: l.secret("S3_ACCESS_KEY", ""),
			SecretKey: l.secret("S3_SECRET_KEY", ""),
			Bucket:    l.str("S3_BUCKET", "pastel"),
			Region:    l.str("S3_REGION", "us-east-1"),
			UseSSL:    l.boolean("S3_USE_SSL", false),
		},
		TypesenseURL:    l.str("TYPESENSE_URL", ""),
		TypesenseAPIKey: l.secret("TYPESENSE_API_KEY", ""),
		SessionKey:      l.secret("SESSION_KEY", ""),
		JWTSecret:       l.secret("JWT_SECRET", ""),
		MaxPasteBytes:   l.size("MAX_PASTE_BYTES", DefaultMaxPasteBytes),
		AllowAnonymous:  l.boolean("ALLOW_ANONYMOUS", true),
		TrustedProxies:  l.prefixes("TRUSTED_PROXIES"),
		LogLevel:        l.level("LOG_LEVEL"),
		LogFormat:       l.str("LOG_FORMAT", ""),
		MaxConnsPerIP:   l.whole("MAX_CONNS_PER_IP", 0, -1, "must be a whole number: connections per client address (0: default, -1: no cap)"),

		APIRateLimit:       l.count("API_RATE_LIMIT"),
		APICreateRateLimit: l.count("API_CREATE_RATE_LIMIT"),
		RegistrationRateLimit: l.whole("REGISTRATION_RATE_LIMIT", DefaultRegistrationRateLimit, 1,
			"must be a positive whole number (registrations an hour per address)"),
		RenderCacheBytes:  l.size("RENDER_CACHE_BYTES", DefaultRenderCacheBytes),
		PasteCacheEntries: l.countDefault("PASTE_CACHE_ENTRIES", DefaultPasteCacheEntries),
		BodyCacheBytes:    l.size("BODY_CACHE_BYTES", DefaultBodyCacheBytes),

		ExpirySweepInterval: l.duration("EXPIRY_SWEEP_INTERVAL", DefaultExpirySweepInterval),
		OrphanSweepInterval: l.duration("ORPHAN_SWEEP_INTERVAL", DefaultOrphanSweepInterval),
		OrphanGrace:         l.duration("ORPHAN_GRACE", DefaultOrphanGrace),
		DebugAddr:           l.str("DEBUG_ADDR", ""),
		MetricsAddr:         l.str("METRICS_ADDR", ""),
		Registration:        l.str("REGISTRATION", "open"),
		OIDC: OIDC{
			Issuer:       l.str("OIDC_ISSUER", ""),
			ClientID:     l.str("OIDC_CLIENT_ID", ""),
			ClientSecret: l.secret("OIDC_CLIENT_SECRET", ""),
			Name:         l.str("OIDC_NAME", ""),
		},
		SMTP: SMTP{
			Host:     l.str("SMTP_HOST", ""),
			Port:     l.whole("SMTP_PORT", 587, 1, "must be a port number"),
			From:     l.str("SMTP_FROM", ""),
			Username: l.str("SMTP_USERNAME", ""),
			Password: l.secret("SMTP_PASSWORD", ""),
		},
	}
	if u, err := url.Parse(c.DatabaseURL.Reveal()); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		l.bad("DATABASE_URL", "must be a postgres:// URL")
	}
	switch c.LogFormat {
	case "", "text", "json":
	default:
		l.bad("LOG_FORMAT", "must be text or json")
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		l.bad("HTTP_ADDR", "must be host:port")
	}
	base := l.str("BASE_URL", "http://"+c.HTTPAddr)
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		l.bad("BASE_URL", "must be an http(s) origin such as https://paste.example.org")
	} else {
		u.Path = ""
		c.BaseURL = u
	}
	if c.S3.Endpoint != "" {
		if strings.Contains(c.S3.Endpoint, "://") {
			l.bad("S3_ENDPOINT", "must be host:port without a scheme (use S3_USE_SSL)")
		}
		if c.S3.AccessKey == "" {
			l.bad("S3_ACCESS_KEY", "is required with S3_ENDPOINT")
		}
		if c.S3.SecretKey == "" {
			l.bad("S3_SECRET_KEY", "is required with S3_ENDPOINT")
		}
		if c.S3.Bucket == "" {
			l.bad("S3_BUCKET", "is required with S3_ENDPOINT")
		}
	}
	if c.TypesenseURL != "" {
		if u, err := url.Parse(c.TypesenseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			l.bad("TYPESENSE_URL", "must be an http(s) URL")
		}
		if c.TypesenseAPIKey == "" {
			l.bad("TYPESENSE_API_KEY", "is required with TYPESENSE_URL")
		}
	}
	if c.DebugAddr != "" {
		host, _, err := net.SplitHostPort(c.DebugAddr)
		if ip, perr := netip.ParseAddr(host); err != nil || perr != nil || !ip.IsLoopback() {
			l.bad("DEBUG_ADDR", "must be a loopback host:port such as 127.0.0.1:6060 (the profiler is not for the public)")
		}
	}
	if c.MetricsAddr != "" {
		_, port, err := net.SplitHostPort(c.MetricsAddr)
		n, perr := strconv.ParseUint(port, 10, 16)
		switch {
		case err != nil || perr != nil || n == 0:
			l.bad("METRICS_ADDR", "must be host:port such as 127.0.0.1:9090")
		case c.MetricsAddr == c.HTTPAddr:
			l.bad("METRICS_ADDR", "must differ from HTTP_ADDR (metrics are never served on the public listener)")
		}
	}
	switch c.Registration {
	case "open", "invite", "closed":
	default:
		l.bad("REGISTRATION", "must be open, invite or closed")
	}
	if c.OIDC.Issuer != "" {
		if u, err := url.Parse(c.OIDC.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			l.bad("OIDC_ISSUER", "must be the provider's issuer URL, such as https://login.example.org")
		}
		if c.OIDC.ClientID == "" {
			l.bad("OIDC_CLIENT_ID", "is required with OIDC_ISSUER")
		}
	} else if c.OIDC.ClientID != "" || c.OIDC.ClientSecret != "" {
		l.bad("OIDC_ISSUER", "is required with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET")
	}
	if c.SMTP.Host != "" {
		if c.SMTP.Port > 65535 {
			l.bad("SMTP_PORT", "must be a port number")
		}
		if at := strings.LastIndexByte(c.SMTP.From, '@'); at < 1 || strings.ContainsAny(c.SMTP.From, " \r\n<>") {
			l.bad("SMTP_FROM", "is required with SMTP_HOST: the sender's address, such as pastel@example.org")
		}
	}
	if c.RenderCacheBytes < 0 || c.RenderCacheBytes > 1<<34 {
		l.bad("RENDER_CACHE_BYTES", "must be between 0 and 17179869184")
	}
	if c.BodyCacheBytes < 0 || c.BodyCacheBytes > 1<<34 {
		l.bad("BODY_CACHE_BYTES", "must be between 0 and 17179869184")
	}
	if c.PasteCacheEntries < 0 || c.PasteCacheEntries > 10_000_000 {
		l.bad("PASTE_CACHE_ENTRIES", "must be between 0 and 10000000")
	}
	if c.MaxPasteBytes < 1 || c.MaxPasteBytes > 1<<30 {
		l.bad("MAX_PASTE_BYTES", "must be between 1 and 1073741824")
	}
	for _, s := range []struct {
		name string
		val  Secret
	}{{"SESSION_KEY", c.SessionKey}, {"JWT_SECRET", c.JWTSecret}} {
		if s.val != "" && len(s.val) < 32 {
			l.bad(s.name, "must be at least 32 characters")
		}
	}
	c.DefaultExpiry, c.MaxExpiry = l.expiryPolicy()
	if len(l.errs) > 0 {
		return Config{}, fmt.Errorf("configuration: %w", errors.Join(l.errs...))
	}
	return c, nil
}

type loader struct {
	getenv func(string) string
	errs   []error
}

func (l *loader) bad(name, msg string) {
	l.errs = append(l.errs, fmt.Errorf("%s %s", name, msg))
}

func (l *loader) str(name, def string) string {
	if v := strings.TrimSpace(l.getenv(name)); v != "" {
		return v
	}
	return def
}

func (l *loader) secret(name, def string) Secret {
	v := l.getenv(name)
	file := l.getenv(name + "_FILE")
	switch {
	case v != "" && file != "":
		l.bad(name, "and "+name+"_FILE are both set; set one")
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			l.bad(name+"_FILE", "cannot be read: "+err.Error())
			return ""
		}
		return Secret(strings.TrimRight(string(b), "\r\n"))
	case v != "":
		return Secret(v)
	}
	return Secret(def)
}

func (l *loader) boolean(name string, def bool) bool {
	v := l.getenv(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		l.bad(name, "must be true or false")
	}
	return b
}

// count reads a positive whole number; unset is 0.
func (l *loader) count(name string) int {
	return l.whole(name, 0, 1, "must be a positive whole number")
}

// countDefault reads a whole number, 0 allowed, def when unset.
func (l *loader) countDefault(name string, def int) int {
	return l.whole(name, def, 0, "must be a whole number")
}

// whole reads a whole number of at least least; def when unset.
func (l *loader) whole(name string, def, least int, msg string) int {
	v := strings.TrimSpace(l.getenv(name))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < least {
		l.bad(name, msg)
		return def
	}
	return n
}

func (l *loader) size(name string, def int64) int64 {
	v := l.getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		l.bad(name, "must be a whole number of bytes")
		return def
	}
	return n
}

// duration reads a positive Go duration such as 30s or 1h.
func (l *loader) duration(name string, def time.Duration) time.Duration {
	v := strings.TrimSpace(l.getenv(name))
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		l.bad(name, "must be a positive duration such as 30s, 5m or 1h")
		return def
	}
	return d
}

func (l *loader) prefixes(name string) []netip.Prefix {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(l.getenv(name), func(r rune) bool { return r == ',' || r == ' ' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p)
		} else if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		} else {
			l.bad(name, "has an entry that is neither an address nor a CIDR: "+strconv.Quote(f))
		}
	}
	return out
}

func (l *loader) level(name string) slog.Level {
	var lv slog.Level
	if v := l.getenv(name); v != "" {
		if err := lv.UnmarshalText([]byte(v)); err != nil {
			l.bad(name, "must be debug, info, warn or error")
		}
	}
	return lv
}

// EnsureSecrets fills SessionKey and JWTSecret when they are unset, from
// files in DataDir, creating them (mode 0600) on first start so restarts keep
// sessions and tokens valid.
func (c *Config) EnsureSecrets() error {
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	for _, s := range []struct {
		file string
		dst  *Secret
	}{{"session.key", &c.SessionKey}, {"jwt.key", &c.JWTSecret}} {
		if *s.dst != "" {
			continue
		}
		v, err := loadOrCreate(filepath.Join(c.DataDir, s.file))
		if err != nil {
			return err
		}
		*s.dst = v
	}
	return nil
}

func loadOrCreate(path string) (Secret, error) {
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return Secret(strings.TrimSpace(string(b))), nil
	}
	var raw [48]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	v := base64.RawURLEncoding.EncodeToString(raw[:])
	// O_EXCL: when two processes start at once, one writes and both read it.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if os.IsExist(err) {
			b, rerr := os.ReadFile(path)
			if rerr == nil && len(strings.TrimSpace(string(b))) >= 32 {
				return Secret(strings.TrimSpace(string(b))), nil
			}
		}
		return "", fmt.Errorf("secret file %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	if _, err := f.WriteString(v + "\n"); err != nil {
		return "", err
	}
	return Secret(v), f.Sync()
}

// expiryPresets are the preset expires_in codes (paste.Expiries) with
// their lifetimes; config imports nothing of the domain.
var expiryPresets = map[string]time.Duration{
	"never": 0, "10m": 10 * time.Minute, "1h": time.Hour, "1d": 24 * time.Hour,
	"1w": 7 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, "1M": 30 * 24 * time.Hour,
	"6M": 182 * 24 * time.Hour, "1y": 365 * 24 * time.Hour,
}

// lifetime reads an expires_in value: a preset, seconds or a Go duration
// (0: never).
func lifetime(v string) (time.Duration, bool) {
	if d, ok := expiryPresets[v]; ok {
		return d, true
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Duration(n) * time.Second, n >= 1 && n <= 100*365*24*3600
	}
	if v == "" || v[0] < '0' || v[0] > '9' {
		return 0, false
	}
	d, err := time.ParseDuration(v)
	return d, err == nil && d >= time.Second && d <= 100*365*24*time.Hour
}

// expiryPolicy reads DEFAULT_EXPIRY and MAX_EXPIRY. With a MAX_EXPIRY
// and no DEFAULT_EXPIRY, pastes get the longest lifetime allowed.
func (l *loader) expiryPolicy() (string, time.Duration) {
	const forms = "must be never, a preset (10m 1h 1d 1w 2w 1M 6M 1y), a number of seconds or a duration such as 36h"
	def := l.str("DEFAULT_EXPIRY", "")
	maxText := l.str("MAX_EXPIRY", "")
	var limit time.Duration
	if maxText != "" {
		d, ok := lifetime(maxText)
		if !ok || d == 0 {
			l.bad("MAX_EXPIRY", strings.Replace(forms, "never, a", "a", 1))
			return def, 0
		}
		limit = d
	}
	if def == "" {
		if limit > 0 {
			return strconv.FormatInt(int64(limit/time.Second), 10), limit
		}
		return "never", 0
	}
	d, ok := lifetime(def)
	switch {
	case !ok:
		l.bad("DEFAULT_EXPIRY", forms)
	case limit > 0 && (d == 0 || d > limit):
		l.bad("DEFAULT_EXPIRY", "must not be longer than MAX_EXPIRY (never is not allowed with MAX_EXPIRY)")
	}
	return def, limit
}
