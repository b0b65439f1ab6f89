package api

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/account"
	"pastel/internal/paste"
)

// Error is the body of every API error:
// {"error":{"code":"…","message":"…","fields":{…}}}.
type Error struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

type errorBody struct {
	Error Error `json:"error"`
}

// ErrNoRoute answers a path under /api/v1 that no route serves; the web
// app turns it into 405 with Allow when another method serves the path.
var ErrNoRoute error = &requestError{fiber.StatusNotFound, "not_found", "no such API route"}

// requestError is an API-specific client error with its own status.
type requestError struct {
	status  int
	code    string
	message string
}

func (e *requestError) Error() string { return e.message }

func badRequest(msg string) error {
	return &requestError{fiber.StatusBadRequest, "bad_request", msg}
}

var (
	errRoute       = ErrNoRoute
	errMediaType   = &requestError{fiber.StatusUnsupportedMediaType, "unsupported_media_type", "send application/json, text/plain, application/octet-stream or multipart/form-data"}
	errUnsupported = &requestError{fiber.StatusUnsupportedMediaType, "unsupported_content_encoding", "Content-Encoding must be gzip, deflate or identity"}
)

// Status maps an error to the API's status and body. It is the API's one
// table from domain errors to HTTP; 5xx bodies are generic.
func Status(err error) (int, Error) {
	var verr *paste.ValidationError
	var rerr *requestError
	var ferr *fiber.Error
	var fe *fieldError
	var refused *account.RefusedError
	var second *account.SecondFactorError
	switch {
	case errors.As(err, &verr):
		return fiber.StatusUnprocessableEntity, Error{Code: "validation_failed", Message: "some fields are invalid", Fields: verr.Fields}
	case errors.As(err, &fe):
		return fe.status, Error{Code: fe.code, Message: fe.message, Fields: map[string]string{fe.field: fe.message}}
	case errors.As(err, &rerr):
		return rerr.status, Error{Code: rerr.code, Message: rerr.message}
	case errors.As(err, &refused):
		return fiber.StatusForbidden, Error{Code: refused.Code, Message: refused.Message}
	case errors.As(err, &second):
		return fiber.StatusUnauthorized, Error{Code: second.Code, Message: second.Message}
	case errors.Is(err, account.ErrInvalidToken):
		return fiber.StatusUnauthorized, Error{Code: "invalid_token", Message: "the bearer token is invalid, expired or revoked"}
	case errors.Is(err, account.ErrBadCredentials):
		return fiber.StatusUnauthorized, Error{Code: "invalid_credentials", Message: "wrong username or password"}
	case isRateLimit(err):
		return fiber.StatusTooManyRequests, Error{Code: "rate_limited", Message: "too many attempts; try again later"}
	case errors.Is(err, paste.ErrWrongPassword):
		return fiber.StatusUnauthorized, Error{Code: "password_required", Message: "wrong password for this paste"}
	case errors.Is(err, paste.ErrPasswordRequired):
		return fiber.StatusUnauthorized, Error{Code: "password_required", Message: "this paste needs its password: send it in the " + HeaderPastePassword + " header"}
	case errors.Is(err, paste.ErrNotFound):
		return fiber.StatusNotFound, Error{Code: "not_found", Message: "not found"}
	case errors.Is(err, paste.ErrTooLarge):
		return fiber.StatusRequestEntityTooLarge, Error{Code: "too_large", Message: "the body is larger than the server accepts"}
	case errors.Is(err, paste.ErrUnauthorized):
		return fiber.StatusUnauthorized, Error{Code: "unauthorized", Message: "sign in first: send a bearer token"}
	case errors.Is(err, paste.ErrForbidden):
		return fiber.StatusForbidden, Error{Code: "forbidden", Message: "you may not change this"}
	case errors.Is(err, paste.ErrConflict):
		return fiber.StatusConflict, Error{Code: "conflict", Message: "conflicts with an existing item"}
	case errors.Is(err, paste.ErrUnavailable):
		return fiber.StatusServiceUnavailable, Error{Code: "unavailable", Message: "a backing service is unavailable; try again shortly"}
	case errors.As(err, &ferr) && ferr.Code < 500:
		return ferr.Code, Error{Code: codeFor(ferr.Code), Message: ferr.Message}
	}
	return fiber.StatusInternalServerError, Error{Code: "internal", Message: "internal error"}
}

func codeFor(status int) string {
	switch status {
	case fiber.StatusBadRequest:
		return "bad_request"
	case fiber.StatusNotFound:
		return "not_found"
	case fiber.StatusMethodNotAllowed:
		return "method_not_allowed"
	case fiber.StatusRequestEntityTooLarge:
		return "too_large"
	case fiber.StatusUnsupportedMediaType:
		// The web app's body gate refuses request codings with a 415.
		return "unsupported_content_encoding"
	case fiber.StatusTooManyRequests:
		return "rate_limited"
	case fiber.StatusRequestTimeout:
		return "timeout"
	}
	return "error_" + strconv.Itoa(status)
}

// WriteError writes err as an API error response and returns the status.
func WriteError(c *fiber.Ctx, err error) int {
	status, body := Status(err)
	if status == fiber.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, "5")
	}
	SetRetryAfter(c, err)
	if status == fiber.StatusUnauthorized && body.Code != "password_required" {
		if body.Code == "invalid_token" {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer error="invalid_token"`)
		} else {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer`)
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	_ = c.Status(status).JSON(errorBody{Error: body}) // encoding a fixed struct cannot fail
	return status
}

func isRateLimit(err error) bool {
	_, ok := retryAfter(err)
	return ok
}

// SetRetryAfter sets Retry-After for errors that carry a wait.
func SetRetryAfter(c *fiber.Ctx, err error) {
	if secs, ok := retryAfter(err); ok {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
	}
}
