package paste

import (
	"errors"
	"sort"
	"strings"
)

// Domain errors. Adapters translate their own errors into these at the
// boundary; surfaces map them to status codes in exactly one place.
var (
	// ErrNotFound means the paste does not exist or the viewer may not see it.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a uniqueness rule was violated.
	ErrConflict = errors.New("conflict")
	// ErrTooLarge means a body exceeds the configured limit.
	ErrTooLarge = errors.New("too large")
	// ErrForbidden means the viewer may see the item but not change it.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthorized means the action needs a signed-in user.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrUnavailable means a backing service (database, blob store, search)
	// did not answer; the request may be retried.
	ErrUnavailable = errors.New("unavailable")
)

// ValidationError lists per-field problems with the input. It is the one
// error type surfaces turn into 422 with a "fields" object.
type ValidationError struct {
	Fields map[string]string
}

// Error implements error.
func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+e.Fields[k])
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records a problem with field, keeping the first message per field.
func (e *ValidationError) Add(field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = msg
	}
}

// Err returns e when it holds at least one problem, nil otherwise.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// FieldError returns a ValidationError for a single field.
func FieldError(field, msg string) error {
	return &ValidationError{Fields: map[string]string{field: msg}}
}
