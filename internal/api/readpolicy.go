package api

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
)

// ReadCaching is the one HTTP caching policy of a paste read, used by the
// raw view and downloads (internal/web) and by GET /api/v1/pastes/{id}
// alike. It sets the response's caching headers for p as v reads it and
// reports whether the request's If-None-Match matched, in which case the
// caller answers 304 without a body (and without reading it):
//
//   - A burn-after-reading paste: Cache-Control no-store, no ETag, and no
//     condition is honoured (the read that answers is the one that
//     consumes it).
//   - A private or password paste, or any paste read through a share
//     link: no-store (no cache, shared or private, keeps it), with its
//     ETag. A 304 is only ever answered after the read rule (and so the
//     password) has allowed the read.
//   - Anything else: "private, no-cache" (a browser may keep it and must
//     revalidate) with its ETag.
//
// The ETag is strong, "<id>-<revision>": a revision names one body. The
// share link's paste ID is not revealed: its ETag is made from the
// revision alone. If-None-Match is compared weakly over its list, and "*"
// matches (RFC 9110, 13.1.2).
func ReadCaching(c *fiber.Ctx, v paste.Viewer, p paste.Paste) (notModified bool) {
	if p.BurnAfterReading {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return false
	}
	tag := ReadETag(v, p)
	c.Set(fiber.HeaderETag, tag)
	if p.Visibility == paste.Private || v.Shared != "" || p.PasswordHash != "" {
		c.Set(fiber.HeaderCacheControl, "no-store")
	} else {
		c.Set(fiber.HeaderCacheControl, "private, no-cache")
	}
	return etagMatches(c.Get(fiber.HeaderIfNoneMatch), tag)
}

// ReadETag is the ETag of p as v reads it (see ReadCaching).
func ReadETag(v paste.Viewer, p paste.Paste) string {
	rev := strconv.FormatInt(int64(p.Revision), 10)
	if v.Shared != "" {
		return `"s-` + rev + `"`
	}
	var b strings.Builder
	b.Grow(len(p.ID) + len(rev) + 3)
	b.WriteByte('"')
	b.WriteString(string(p.ID))
	b.WriteByte('-')
	b.WriteString(rev)
	b.WriteByte('"')
	return b.String()
}
