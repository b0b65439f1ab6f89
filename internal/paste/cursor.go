package paste

import (
	"strconv"
	"time"
)

// Cursor is a position in a newest-first list: the created_at and ID of the
// last item already seen.
type Cursor struct {
	CreatedAt time.Time
	ID        ID
}

// Encode returns the opaque text form of c (EncodeCursor).
func (c Cursor) Encode() string {
	return EncodeCursor("", strconv.FormatInt(c.CreatedAt.UnixMicro(), 10), string(c.ID))
}

// DecodeCursor parses an opaque cursor; the empty string is no cursor.
func DecodeCursor(s string) (*Cursor, error) {
	f, err := CursorFields(s, "", 2)
	if f == nil || err != nil {
		return nil, err
	}
	micros, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || !ValidID(f[1]) {
		return nil, BadCursor()
	}
	return &Cursor{CreatedAt: time.UnixMicro(micros).UTC(), ID: ID(f[1])}, nil
}
