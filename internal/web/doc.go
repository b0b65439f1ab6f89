// Package web is Pastel's HTTP front: the Fiber app, its middleware
// (request context, security headers, CSRF, access log), the HTML and HTMX
// handlers, static assets, and the one error handler that turns domain
// errors into pages, fragments or JSON depending on the surface. The JSON API
// lives in package api and is mounted here under /api/v1.
package web
