package web

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// maxForwardedHops bounds how many X-Forwarded-For entries are walked: a
// chain of trusted proxies is short, and a client may send thousands.
const maxForwardedHops = 16

// parseProxies turns TRUSTED_PROXIES entries (addresses or CIDRs) into
// prefixes; entries that parse as neither are dropped (config refuses them
// before the app is built).
func parseProxies(list []string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		if a, err := netip.ParseAddr(s); err == nil {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out
}

func (a *App) trustedProxy(addr netip.Addr) bool {
	for _, p := range a.proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// resolveClientAddr returns the client's address: the TCP peer's, or, when
// the peer is a trusted proxy, the rightmost X-Forwarded-For address that is
// not a trusted proxy. Entries left of it were written by the client and are
// never believed; an entry that is not an IP address ends the walk at the
// last address a trusted hop vouched for. The result is always a valid,
// canonical IP address, so nothing the client sends reaches limits or logs.
func (a *App) resolveClientAddr(c *fiber.Ctx) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return "0.0.0.0"
	}
	peer = peer.Unmap()
	if len(a.proxies) == 0 || !a.trustedProxy(peer) {
		return peer.String()
	}
	var hops []string
	for _, v := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
		hops = append(hops, strings.Split(string(v), ",")...)
	}
	client := peer
	for i, n := len(hops)-1, 0; i >= 0 && n < maxForwardedHops; i, n = i-1, n+1 {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		addr, err := netip.ParseAddr(h)
		if err != nil {
			break
		}
		client = addr.Unmap().WithZone("")
		if !a.trustedProxy(client) {
			break
		}
	}
	return client.String()
}

// clientAddr is the request's client address, resolved once by
// requestContext.
func clientAddr(c *fiber.Ctx) string {
	if s, ok := c.Locals(localClientAddr).(string); ok {
		return s
	}
	return c.Context().RemoteIP().String()
}
