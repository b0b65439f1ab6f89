package web

import (
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/google/go-cmp/cmp"
	"github.com/valyala/fasthttp"

	"pastel/internal/metrics"
)

// recordingMetrics counts what the middleware asked for and recorded.
type recordingMetrics struct {
	mu       sync.Mutex
	resolved map[[3]string]int // route, method, status -> RequestObserver calls
	observed map[[3]string]int // route, method, status -> requests recorded
}

func (r *recordingMetrics) RequestObserver(route, method string, status int) func(float64) {
	key := [3]string{route, method, utils.StatusMessage(status)}
	r.mu.Lock()
	r.resolved[key]++
	r.mu.Unlock()
	return func(float64) {
		r.mu.Lock()
		r.observed[key]++
		r.mu.Unlock()
	}
}

// metricsTestApp is a Fiber app shaped like the real one: the metrics
// middleware first, an error handler, other middleware, then routes.
func metricsTestApp(m RequestMetrics) *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: func(c *fiber.Ctx, err error) error {
		code := fiber.StatusInternalServerError
		if fe, ok := err.(*fiber.Error); ok {
			code = fe.Code
		}
		return c.Status(code).SendString("error")
	}})
	app.Use(observeRequests(m), func(c *fiber.Ctx) error { return c.Next() })
	app.Get("/raw/:id", func(c *fiber.Ctx) error {
		if c.Params("id") == "missing" {
			return fiber.ErrNotFound
		}
		return c.SendString("body")
	})
	app.Use(func(c *fiber.Ctx) error {
		if c.Get("X-Refuse") != "" {
			return c.SendStatus(fiber.StatusForbidden)
		}
		return c.Next()
	})
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString("home") })
	app.Get("/:id", func(c *fiber.Ctx) error { return c.SendString("page") })
	return app
}

func TestObserveRequestsLabelsByTemplate(t *testing.T) {
	rec := &recordingMetrics{resolved: map[[3]string]int{}, observed: map[[3]string]int{}}
	app := metricsTestApp(rec)
	for _, r := range []struct {
		method, path string
		refuse       bool
	}{
		{"GET", "/raw/abc", false}, {"GET", "/raw/def", false}, {"GET", "/raw/missing", false},
		{"GET", "/abc", false}, {"GET", "/xyz", false}, {"HEAD", "/abc", false},
		{"GET", "/", false}, {"GET", "/", true}, {"GET", "/a/b/c", false}, {"POST", "/abc", false}, {"POST", "/a/b/c", false},
	} {
		req := httptest.NewRequest(r.method, r.path, nil)
		if r.refuse {
			req.Header.Set("X-Refuse", "1")
		}
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	want := map[[3]string]int{
		{"/raw/:id", "GET", "OK"}:        2,
		{"/raw/:id", "GET", "Not Found"}: 1, // the status the error handler sent
		{"/:id", "GET", "OK"}:            2,
		{"/:id", "HEAD", "OK"}:           1,
		{"/", "GET", "OK"}:               1,
		// A middleware answered, or no route matched: never the raw path,
		// and never the template of a route that did not run.
		{"unmatched", "GET", "Forbidden"}:           1,
		{"unmatched", "GET", "Not Found"}:           1,
		{"unmatched", "POST", "Method Not Allowed"}: 1,
		{"unmatched", "POST", "Not Found"}:          1,
	}
	if diff := cmp.Diff(want, rec.observed); diff != "" {
		t.Errorf("recorded (-want +got):\n%s", diff)
	}
	for key, n := range rec.resolved {
		if n != 1 {
			t.Errorf("%v resolved %d times, want once", key, n)
		}
	}
}

// BenchmarkObserveRequests measures what the metrics middleware adds to a
// request (with the real Prometheus collectors) against the same app
// without it, through Fiber's handler as the server calls it.
func BenchmarkObserveRequests(b *testing.B) {
	for _, bc := range []struct {
		name string
		m    RequestMetrics
	}{{"off", nil}, {"on", metrics.New()}} {
		b.Run(bc.name, func(b *testing.B) {
			h := metricsTestApp(bc.m).Handler()
			var ctx fasthttp.RequestCtx
			ctx.Request.Header.SetMethod("GET")
			ctx.Request.SetRequestURI("/raw/abc")
			h(&ctx) // the first request resolves the observers
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				ctx.Response.Reset()
				h(&ctx)
			}
		})
	}
}
