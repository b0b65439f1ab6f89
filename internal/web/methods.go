package web

import (
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/api"
	"pastel/internal/paste"
)

// routeTable answers which methods serve a path, for 405 answers' Allow
// header. It is built once from the app's routes, after they are all
// registered.
type routeTable struct {
	routes []tableRoute
}

type tableRoute struct {
	method  string
	parts   []string // path segments; ":name" matches one segment, "*" the rest
	literal bool     // no parameters: the path names this very address
}

func newRouteTable(routes []fiber.Route) *routeTable {
	t := &routeTable{}
	for _, r := range routes {
		// The API's catch-all serves every path under it and says nothing
		// about which methods a path has.
		if r.Path == "/api/v1/*" {
			continue
		}
		parts := strings.Split(strings.Trim(r.Path, "/"), "/")
		if len(parts) == 1 && parts[0] == "" {
			parts = nil
		}
		t.routes = append(t.routes, tableRoute{method: r.Method, parts: parts, literal: !strings.ContainsAny(r.Path, ":*")})
	}
	return t
}

func (r tableRoute) matches(segs []string) bool {
	for i, p := range r.parts {
		switch {
		case p == "*":
			return true
		case i >= len(segs):
			return false
		case strings.HasPrefix(p, ":"):
			if segs[i] == "" {
				return false
			}
		case p != segs[i]:
			return false
		}
	}
	return len(segs) == len(r.parts)
}

// allowed returns the methods that serve path, sorted; with literalOnly,
// only routes without parameters count (GET /logout is not a paste ID).
func (t *routeTable) allowed(path string, literalOnly bool) []string {
	var segs []string
	if p := strings.Trim(path, "/"); p != "" {
		segs = strings.Split(p, "/")
	}
	var out []string
	for _, r := range t.routes {
		if (r.literal || !literalOnly) && r.matches(segs) && !slices.Contains(out, r.method) {
			out = append(out, r.method)
		}
	}
	slices.Sort(out)
	return out
}

// serves reports whether some route takes method at path.
func (t *routeTable) serves(method, path string) bool {
	return slices.Contains(t.allowed(path, false), method)
}

// methodNotAllowed turns a routing miss into 405 with Allow when other
// methods serve the path; any other error passes through.
func (a *App) methodNotAllowed(c *fiber.Ctx, err error) error {
	var ferr *fiber.Error
	isFiber := errors.As(err, &ferr)
	miss := errors.Is(err, api.ErrNoRoute) ||
		(isFiber && ferr.Code == fiber.StatusNotFound && strings.HasPrefix(ferr.Message, "Cannot ")) ||
		(isFiber && ferr.Code == fiber.StatusMethodNotAllowed)
	if a.routeTable == nil {
		return err
	}
	var allow []string
	switch {
	case miss:
		allow = a.routeTable.allowed(c.Path(), false)
	case errors.Is(err, paste.ErrNotFound):
		// A parameter route answered (GET /logout read as a paste ID),
		// but the address is a fixed one that takes other methods.
		allow = a.routeTable.allowed(c.Path(), true)
	default:
		return err
	}
	if len(allow) == 0 || slices.Contains(allow, c.Method()) {
		if isFiber && ferr.Code == fiber.StatusMethodNotAllowed {
			return fiber.ErrNotFound
		}
		return err
	}
	c.Set(fiber.HeaderAllow, strings.Join(allow, ", "))
	return fiber.NewError(fiber.StatusMethodNotAllowed, "This address does not take "+c.Method()+"; it takes "+strings.Join(allow, ", ")+".")
}
