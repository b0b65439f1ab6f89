package paste

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// Cursor is a position in a newest-first list: the created_at and ID of the
// last item already seen.
type Cursor struct {
	CreatedAt time.Time
	ID        ID
}

// Encode returns the opaque text form of c.
func (c Cursor) Encode() string {
	raw := strconv.FormatInt(c.CreatedAt.UnixMicro(), 10) + ":" + string(c.ID)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// DecodeCursor parses an opaque cursor; the empty string is no cursor.
func DecodeCursor(s string) (*Cursor, error) {
	if s == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, FieldError("cursor", "is not a valid cursor")
	}
	ts, id, ok := strings.Cut(string(raw), ":")
	micros, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil || !ValidID(id) {
		return nil, FieldError("cursor", "is not a valid cursor")
	}
	return &Cursor{CreatedAt: time.UnixMicro(micros).UTC(), ID: ID(id)}, nil
}
