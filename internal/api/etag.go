package api

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// etag gives successful JSON reads that did not set their own ETag (lists,
// /me, anything added later) a weak ETag of the body, and answers a matching
// If-None-Match with 304. The body is built anyway; what a match saves is
// the transfer. Responses marked no-store (burn-after-reading) are left alone.
func (h *handler) etag(c *fiber.Ctx) error {
	if err := c.Next(); err != nil || c.Method() != fiber.MethodGet {
		return err
	}
	resp := c.Response()
	if resp.StatusCode() != fiber.StatusOK || c.GetRespHeader(fiber.HeaderETag) != "" ||
		strings.Contains(c.GetRespHeader(fiber.HeaderCacheControl), "no-store") ||
		!strings.HasPrefix(c.GetRespHeader(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		return nil
	}
	sum := sha256.Sum256(resp.Body())
	tag := `W/"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	c.Set(fiber.HeaderETag, tag)
	if c.GetRespHeader(fiber.HeaderCacheControl) == "" {
		c.Set(fiber.HeaderCacheControl, "private, no-cache")
	}
	c.Vary(fiber.HeaderAuthorization)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), tag) {
		resp.ResetBody()
		resp.Header.Del(fiber.HeaderContentType)
		c.Status(fiber.StatusNotModified)
	}
	return nil
}

// etagMatches applies If-None-Match's weak comparison: any listed tag equal
// to tag once W/ is ignored, or *.
func etagMatches(header, tag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}
