package paste

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field limits.
const (
	MaxTitleRunes  = 255
	MaxSourceURLen = 2048
	MaxSyntaxLen   = 64
)

// CheckText reports what is wrong with a single-line text field, or "".
// NUL bytes, invalid UTF-8 and control characters are refused, as are
// bidirectional overrides that could disguise the text.
func CheckText(s string, maxRunes int) string {
	if !utf8.ValidString(s) {
		return "must be valid UTF-8"
	}
	if n := utf8.RuneCountInString(s); n > maxRunes {
		return "must be at most " + itoa(maxRunes) + " characters"
	}
	for _, r := range s {
		switch {
		case r == 0:
			return "must not contain NUL bytes"
		case unicode.IsControl(r):
			return "must not contain control characters"
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return "must not contain bidirectional control characters"
		}
	}
	return ""
}

// CheckSourceURL validates an optional source address: absolute http or https.
func CheckSourceURL(s string) string {
	if s == "" {
		return ""
	}
	if msg := CheckText(s, MaxSourceURLen); msg != "" {
		return msg
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "must be an http or https address"
	}
	return ""
}

// SafeSourceURL returns s when it is an http(s) address, "" otherwise, so
// views can link it without re-checking.
func SafeSourceURL(s string) string {
	if CheckSourceURL(s) != "" || s == "" {
		return ""
	}
	return s
}

func itoa(n int) string {
	var b strings.Builder
	if n == 0 {
		return "0"
	}
	var d []byte
	for n > 0 {
		d = append(d, byte('0'+n%10))
		n /= 10
	}
	for i := len(d) - 1; i >= 0; i-- {
		b.WriteByte(d[i])
	}
	return b.String()
}
