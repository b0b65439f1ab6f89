package web

import (
	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
	"pastel/static"
	"pastel/views"
)

// diagramFramePath is the sandboxed page that draws Mermaid diagrams for
// paste pages (static/rich.js, static/mermaid-frame.js).
const diagramFramePath = "/diagram-frame"

// richAssets are what a rendered Markdown document loads for its diagrams
// and math: nothing unless it has some.
func (a *App) richAssets(r paste.Rendered) views.RichAssets {
	if !r.Mermaid && !r.Math {
		return views.RichAssets{}
	}
	out := views.RichAssets{Script: a.deps.Assets.Path(static.RichName)}
	if r.Math {
		out.KaTeXJS = a.deps.Assets.Path(static.KaTeXName)
		out.KaTeXCSS = a.deps.Assets.Path(static.KaTeXCSSName)
	}
	if r.Mermaid {
		out.FrameURL = diagramFramePath
	}
	return out
}

// diagramFrame serves the diagram frame. Mermaid needs inline styles (it
// writes <style> into its SVG and style attributes), which paste pages
// forbid; here they are allowed, in a document that is sandboxed by its
// own CSP (an opaque origin: no cookies, no storage, no access to the
// page that frames it), may be framed only by this site's pages, and runs
// only its two nonced scripts. Those scripts are fetched from the opaque
// origin, so they are served with Cross-Origin-Resource-Policy:
// cross-origin (staticAsset).
func (a *App) diagramFrame(c *fiber.Ctx) error {
	n := nonce(c)
	h := &c.Response().Header
	h.Set("Content-Security-Policy", "sandbox allow-scripts; default-src 'none'; script-src 'nonce-"+n+"'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; form-action 'none'; frame-ancestors 'self'; base-uri 'none'; object-src 'none'")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return c.SendString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Diagram</title>` +
		`<script nonce="` + n + `" src="` + a.deps.Assets.Path(static.MermaidName) + `"></script>` +
		`<script nonce="` + n + `" src="` + a.deps.Assets.Path(static.MermaidFrameName) + `"></script>` +
		`</head><body></body></html>`)
}

// crossOriginAsset reports whether the asset at path is fetched by the
// diagram frame, whose origin is opaque.
func (a *App) crossOriginAsset(path string) bool {
	return path == a.deps.Assets.Path(static.MermaidName) || path == a.deps.Assets.Path(static.MermaidFrameName)
}
