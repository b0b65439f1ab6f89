package web

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
)

// RequestMetrics records answered requests (metrics.Metrics implements it).
type RequestMetrics interface {
	// RequestObserver returns the function that records one request to
	// route (a template such as /raw/:id) answered with status after
	// seconds. It is asked once per route, method and status; the app
	// keeps what it returns.
	RequestObserver(route, method string, status int) func(seconds float64)
}

// unmatchedRoute labels requests no route handler answered: unknown paths,
// and requests a middleware refused before routing reached a handler.
const unmatchedRoute = "unmatched"

// requestMetrics is the state of the metrics middleware: per Fiber route,
// the observers already resolved for each status it answered with.
type requestMetrics struct {
	m      RequestMetrics
	routes sync.Map // *fiber.Route -> *routeObservers

	// handlers tells handlers' routes from middleware's: Fiber does not
	// say, but a route keeps its handler slice, and GetRoutes(true)
	// lists only handlers' routes.
	handlersOnce sync.Once
	handlers     map[*fiber.Handler]bool
}

// routeObservers holds one route's observers in a small slice replaced
// whole when a new status appears (rare), so recording a request is a
// lock-free scan of a few entries and allocates nothing.
type routeObservers struct {
	route, method string
	mu            sync.Mutex // serialises additions
	byStatus      atomic.Pointer[[]statusObserver]
}

type statusObserver struct {
	status  int
	observe func(seconds float64)
}

// observeRequests returns the middleware that records the route template,
// method, status and duration of every request into m; nil m: one that
// records nothing. It runs first, so the status is the one the error
// handler (run by the access log) sent.
func observeRequests(m RequestMetrics) fiber.Handler {
	if m == nil {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	r := &requestMetrics{m: m}
	return r.handle
}

func (r *requestMetrics) handle(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		// Nothing has answered yet; Fiber's error handler will, with this.
		status = fiber.StatusInternalServerError
		var fe *fiber.Error
		if errors.As(err, &fe) {
			status = fe.Code
		}
	}
	r.observer(c, status)(time.Since(start).Seconds())
	return err
}

// observer returns the recorder for route and status, resolving it once.
func (r *requestMetrics) observer(c *fiber.Ctx, status int) func(float64) {
	route := c.Route()
	v, ok := r.routes.Load(route)
	if !ok {
		ro := &routeObservers{route: route.Path, method: route.Method}
		if !r.isHandler(c.App(), route) {
			// The last route matched was a middleware's: no handler's.
			ro.route = unmatchedRoute
		}
		v, _ = r.routes.LoadOrStore(route, ro)
	}
	ro := v.(*routeObservers)
	if list := ro.byStatus.Load(); list != nil {
		for _, so := range *list {
			if so.status == status {
				return so.observe
			}
		}
	}
	return ro.add(r.m, status)
}

// isHandler reports whether route is a handler's, not a middleware's.
func (r *requestMetrics) isHandler(app *fiber.App, route *fiber.Route) bool {
	r.handlersOnce.Do(func() {
		// Every route is registered before the first request.
		r.handlers = map[*fiber.Handler]bool{}
		for _, rt := range app.GetRoutes(true) {
			if len(rt.Handlers) > 0 {
				r.handlers[&rt.Handlers[0]] = true
			}
		}
	})
	return len(route.Handlers) > 0 && r.handlers[&route.Handlers[0]]
}

func (ro *routeObservers) add(m RequestMetrics, status int) func(float64) {
	ro.mu.Lock()
	defer ro.mu.Unlock()
	var old []statusObserver
	if list := ro.byStatus.Load(); list != nil {
		old = *list
		for _, so := range old {
			if so.status == status {
				return so.observe
			}
		}
	}
	obs := m.RequestObserver(ro.route, ro.method, status)
	list := append(append(make([]statusObserver, 0, len(old)+1), old...), statusObserver{status, obs})
	ro.byStatus.Store(&list)
	return obs
}
