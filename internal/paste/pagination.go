package paste

import (
	"encoding/base64"
	"strings"
)

// Pagination: every list in Pastel, HTML and API, pages with an opaque
// cursor naming the last item seen and a limit clamped by ClampLimit. The
// services fetch limit+1 rows and cut them with NextPage; cursors are made
// by EncodeCursor and read by CursorFields, so every list's cursor is
// URL-safe base64 of a kind tag and ':'-separated fields, and a bad one is
// the same 422 naming the cursor field everywhere.

// BadCursor returns the validation error of a cursor that is not one of
// the list's (a fresh one each time: callers may add fields to it).
func BadCursor() error { return FieldError("cursor", "is not a valid cursor") }

// EncodeCursor returns an opaque, URL-safe cursor holding fields after a
// kind tag that tells one list's cursors from another's ("" for the
// newest-first lists of pastes and rows).
func EncodeCursor(kind string, fields ...string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + strings.Join(fields, ":")))
}

// CursorFields returns the fields of a cursor EncodeCursor made with kind:
// exactly n of them, or any number when n is 0. The empty string is no
// cursor (nil, nil); anything else that does not fit is BadCursor().
func CursorFields(s, kind string, n int) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(raw), kind) {
		return nil, BadCursor()
	}
	fields := strings.Split(string(raw[len(kind):]), ":")
	if n > 0 && len(fields) != n {
		return nil, BadCursor()
	}
	return fields, nil
}

// NextPage cuts items, fetched as limit+1 rows, to limit and returns the
// cursor of the last item kept, or "" when nothing is left after them.
func NextPage[T any](items []T, limit int, cursor func(last T) string) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, cursor(items[limit-1])
}

// ClampLimit bounds a requested page size to 1..MaxPageSize, 20 by default.
func ClampLimit(limit int) int {
	switch {
	case limit <= 0:
		return 20
	case limit > MaxPageSize:
		return MaxPageSize
	}
	return limit
}
