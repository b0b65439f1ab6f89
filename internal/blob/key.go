package blob

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidKey is wrapped by the errors returned for a key that ValidKey
// rejects. Keys are made by the server, so it points at a bug, not at input.
var ErrInvalidKey = errors.New("invalid blob key")

// maxKeyLen keeps keys well below the 1024-byte S3 limit and the usual
// 255-byte file name limit of each path segment.
const maxKeyLen = 512

// ValidKey reports whether key may name a blob: one or more segments
// separated by single slashes, each made of [a-z0-9_.-], none empty, none
// starting with a dot (so "." and ".." are out, and dot names stay free for
// Local's temporary files), no leading or trailing slash. Backslashes,
// upper case and anything else are rejected.
func ValidKey(key string) bool {
	if key == "" || len(key) > maxKeyLen {
		return false
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg[0] == '.' {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-', c == '.':
			default:
				return false
			}
		}
	}
	return true
}

// checkKey returns an error wrapping ErrInvalidKey when key is not valid.
func checkKey(op, key string) error {
	if ValidKey(key) {
		return nil
	}
	return fmt.Errorf("%s %q: %w", op, key, ErrInvalidKey)
}
