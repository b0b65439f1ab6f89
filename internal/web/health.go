package web

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

func (a *App) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok\n")
}

// readyz answers 200 only when the database and the blob store answer. It
// names the failing part but never versions, hosts or errors.
func (a *App) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
	defer cancel()
	state := fiber.Map{"database": "ok", "blobs": "ok"}
	status := fiber.StatusOK
	if err := a.deps.PingDB(ctx); err != nil {
		state["database"], status = "unavailable", fiber.StatusServiceUnavailable
	}
	if err := a.deps.Blobs.Ping(ctx); err != nil {
		state["blobs"], status = "unavailable", fiber.StatusServiceUnavailable
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(state)
}

func (a *App) staticAsset(c *fiber.Ctx) error {
	asset, ok := a.deps.Assets.Lookup(c.Path())
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, asset.ContentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	if a.crossOriginAsset(c.Path()) {
		c.Set("Cross-Origin-Resource-Policy", "cross-origin")
	}
	body, etag := asset.Body, asset.ETag
	if gz, gzTag, ok := asset.Gzip(); ok {
		c.Vary(fiber.HeaderAcceptEncoding)
		if acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
			c.Set(fiber.HeaderContentEncoding, "gzip")
			body, etag = gz, gzTag
		}
	}
	c.Set(fiber.HeaderETag, etag)
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(body)
}

func (a *App) favicon(c *fiber.Ctx) error {
	return c.Redirect(a.deps.Assets.Path("favicon.svg"), fiber.StatusMovedPermanently)
}

// acceptsGzip reports whether an Accept-Encoding header takes gzip: named
// (or "*") without q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		name, value, _ := strings.Cut(strings.TrimSpace(params), "=")
		if strings.EqualFold(strings.TrimSpace(name), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
			return err == nil && q > 0
		}
		return true
	}
	return false
}
