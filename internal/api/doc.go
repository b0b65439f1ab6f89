// Package api is Pastel's JSON API under /api/v1: handlers, DTOs with json
// tags, and the API's table from domain errors to status codes. It takes the
// viewer from the request context (set by the bearer-token middleware) and
// calls the domain services; it never touches storage directly.
package api
