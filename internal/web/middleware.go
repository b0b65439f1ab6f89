package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/api"
	"pastel/internal/paste"
)

// Locals keys.
const (
	localRequestID  = "request_id"
	localNonce      = "csp_nonce"
	localLogger     = "logger"
	localClientAddr = "client_addr"
)

func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b) //nolint:errcheck // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// requestContext builds the request's context once: deadline, request ID and
// logger. Handlers use only c.UserContext().
func (a *App) requestContext(c *fiber.Ctx) error {
	var id [8]byte
	rand.Read(id[:]) //nolint:errcheck // never fails
	reqID := hex.EncodeToString(id[:])
	c.Locals(localRequestID, reqID)
	c.Set("X-Request-ID", reqID)
	addr := a.resolveClientAddr(c)
	c.Locals(localClientAddr, addr)
	ctx, cancel := context.WithTimeout(context.Background(), a.opts.RequestTimeout)
	defer cancel()
	ctx = paste.WithClientAddr(ctx, addr)
	if pw := c.Get(api.HeaderPastePassword); pw != "" {
		ctx = paste.WithPassword(ctx, pw) // Immutable: a copy
	}
	c.SetUserContext(ctx)
	return c.Next()
}

func requestID(c *fiber.Ctx) string {
	s, _ := c.Locals(localRequestID).(string)
	return s
}

// logger returns the request's logger, which carries its request ID. It is
// made on first use: most requests log one line or none.
func (a *App) logger(c *fiber.Ctx) *slog.Logger {
	if l, ok := c.Locals(localLogger).(*slog.Logger); ok {
		return l
	}
	id := requestID(c)
	if id == "" {
		return a.log
	}
	l := a.log.With("request_id", id)
	c.Locals(localLogger, l)
	return l
}

// nonce returns the request's CSP nonce, making one if the request skipped
// the middleware (errors raised before routing).
func nonce(c *fiber.Ctx) string {
	if n, ok := c.Locals(localNonce).(string); ok {
		return n
	}
	n := randomToken(18)
	c.Locals(localNonce, n)
	return n
}

// securityHeaders sets the headers every response carries; raw views
// tighten the CSP further.
func (a *App) securityHeaders(c *fiber.Ctx) {
	h := &c.Response().Header
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+nonce(c)+"'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
	if a.opts.BaseURL.Scheme == "https" {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
}

func (a *App) headers(c *fiber.Ctx) error {
	a.securityHeaders(c)
	return c.Next()
}

// secretParam is the route parameter name that carries a secret (share-link
// tokens, and any later one-use link): its value never reaches a log.
const secretParam = "token"

// loggedPath is the request path as the access log may show it: the value
// of every route parameter named secretParam is replaced. Query strings are
// never logged.
func loggedPath(c *fiber.Ctx) string {
	path := c.Path()
	r := c.Route()
	if r == nil {
		return path
	}
	for _, name := range r.Params {
		if name != secretParam {
			continue
		}
		if v := c.Params(name); v != "" {
			path = strings.Replace(path, "/"+v, "/[redacted]", 1)
		}
	}
	return path
}

// accessLog writes one line per request, at info, or at debug for static
// assets (a page view would otherwise log four lines).
func (a *App) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		// The error handler writes the response; run it now so the status
		// logged is the one sent.
		if herr := a.handleError(c, err); herr != nil {
			a.logger(c).Error("error handler", "err", herr)
		}
	}
	level := slog.LevelInfo
	if p := c.Path(); strings.HasPrefix(p, "/static/") || p == "/favicon.ico" {
		level = slog.LevelDebug
	}
	if !a.log.Enabled(c.UserContext(), level) {
		return nil
	}
	// Body() would read a streamed body into memory: take its length
	// from the header instead.
	size := c.Response().Header.ContentLength()
	if !c.Response().IsBodyStream() {
		size = len(c.Response().Body())
	}
	// LogAttrs on the app's logger, with the request ID as one more
	// attribute: no logger is derived and no value boxed per request.
	a.log.LogAttrs(c.UserContext(), level, "request",
		slog.String("request_id", requestID(c)),
		slog.String("method", c.Method()),
		slog.String("path", loggedPath(c)),
		slog.Int("status", c.Response().StatusCode()),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		slog.Int("bytes", size),
		slog.String("remote_ip", clientAddr(c)),
	)
	return nil
}
