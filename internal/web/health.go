package web

import (
	"context"
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
	c.Set(fiber.HeaderETag, asset.ETag)
	if a.crossOriginAsset(c.Path()) {
		c.Set("Cross-Origin-Resource-Policy", "cross-origin")
	}
	if c.Get(fiber.HeaderIfNoneMatch) == asset.ETag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(asset.Body)
}

func (a *App) favicon(c *fiber.Ctx) error {
	return c.Redirect(a.deps.Assets.Path("favicon.svg"), fiber.StatusMovedPermanently)
}
