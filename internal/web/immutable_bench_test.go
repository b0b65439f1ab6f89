package web_test

import (
	"net"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// BenchmarkRequestValues measures what Fiber's Immutable mode (the app's
// rule for request memory: every value a handler takes is a copy) costs per
// request, against the zero-copy default, on a handler that reads what a
// paste view reads: a route parameter, a few headers, a cookie, the path
// and the client address. Compare the difference with a raw view's cost
// (BenchmarkRawView, bench-http) to see its share of throughput.
func BenchmarkRequestValues(b *testing.B) {
	for _, immutable := range []bool{false, true} {
		name := "zero-copy"
		if immutable {
			name = "immutable"
		}
		b.Run(name, func(b *testing.B) {
			app := fiber.New(fiber.Config{Immutable: immutable, DisableStartupMessage: true})
			var sink int
			app.Get("/raw/:id", func(c *fiber.Ctx) error {
				sink += len(c.Params("id")) + len(c.Get("If-None-Match")) + len(c.Get("User-Agent")) +
					len(c.Get("Accept")) + len(c.Cookies("pastel_session")) + len(c.Path()) + len(c.IP())
				return c.SendString("ok")
			})
			h := app.Handler()
			var ctx fasthttp.RequestCtx
			ctx.Init(&fasthttp.Request{}, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}, nil)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				ctx.Request.Reset()
				ctx.Response.Reset()
				ctx.Request.SetRequestURI("/raw/AbCdEfGh")
				ctx.Request.Header.Set("User-Agent", "curl/8.5.0")
				ctx.Request.Header.Set("Accept", "*/*")
				ctx.Request.Header.Set("If-None-Match", `"abc"`)
				ctx.Request.Header.SetCookie("pastel_session", "0123456789abcdef0123456789abcdef")
				h(&ctx)
			}
			_ = sink
		})
	}
}
