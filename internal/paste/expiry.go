package paste

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Expiry is one of the fixed lifetimes a paste may be given.
type Expiry struct {
	Code  string
	Label string
	TTL   time.Duration // 0: never
}

// Expiries lists the preset expires_in values in display order.
var Expiries = []Expiry{
	{"never", "Never", 0},
	{"10m", "10 minutes", 10 * time.Minute},
	{"1h", "1 hour", time.Hour},
	{"1d", "1 day", 24 * time.Hour},
	{"1w", "1 week", 7 * 24 * time.Hour},
	{"2w", "2 weeks", 14 * 24 * time.Hour},
	{"1M", "1 month", 30 * 24 * time.Hour},
	{"6M", "6 months", 182 * 24 * time.Hour},
	{"1y", "1 year", 365 * 24 * time.Hour},
}

// LookupExpiry returns the preset for code; the empty code means never.
func LookupExpiry(code string) (Expiry, bool) {
	if code == "" {
		return Expiries[0], true
	}
	for _, e := range Expiries {
		if e.Code == code {
			return e, true
		}
	}
	return Expiry{}, false
}

// Bounds of a lifetime given as seconds or a duration. The longest one
// (about 100 years) only keeps times representable; a deployment's own
// limit (MAX_EXPIRY) is applied by the caller of ParseLifetime.
const (
	MinLifetime = time.Second
	maxLifetime = 100 * 365 * 24 * time.Hour
)

// Messages for refused expires_in and expires_at values.
const (
	msgExpiresIn   = "must be one of 10m 1h 1d 1w 2w 1M 6M 1y never, a number of seconds (5400) or a duration (90m, 36h)"
	msgExpiresAt   = "must be an RFC 3339 time such as 2030-01-02T15:04:05Z"
	msgExpiresPast = "must be in the future"
	msgExpiryBoth  = "give expires_in or expires_at, not both"
)

// ParseLifetime turns an expires_in value into a lifetime; 0 means never.
// It takes a preset code (LookupExpiry; "1M" is a month), a whole number
// of seconds ("5400") or a Go duration ("90m", "36h", "1h30m"; "1m" is a
// minute). Lifetimes under MinLifetime or beyond a century are refused.
func ParseLifetime(s string) (time.Duration, bool) {
	if e, ok := LookupExpiry(s); ok {
		return e.TTL, true
	}
	var d time.Duration
	if isDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n > int64(math.MaxInt64/time.Second) {
			return 0, false
		}
		d = time.Duration(n) * time.Second
	} else {
		var err error
		// A duration must start with a digit: ParseDuration would also
		// take a sign ("-5m") or ".5h".
		if s == "" || s[0] < '0' || s[0] > '9' {
			return 0, false
		}
		if d, err = time.ParseDuration(s); err != nil {
			return 0, false
		}
	}
	if d < MinLifetime || d > maxLifetime {
		return 0, false
	}
	return d, true
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// ExpiryRequest is what a caller asked about a paste's end: a lifetime
// counted from now (expires_in) or an instant (expires_at, RFC 3339); at
// most one of them.
type ExpiryRequest struct {
	In string // expires_in
	At string // expires_at
}

// Given reports whether the request asks for anything.
func (r ExpiryRequest) Given() bool { return r.In != "" || r.At != "" }

// Resolve returns when a paste asked for with r expires, counted from now
// (zero: never), or the field and message of what is wrong. It is the
// one place the forms of an expiry are read: a deployment's longest
// lifetime is checked by its caller on the result.
func (r ExpiryRequest) Resolve(now time.Time) (at time.Time, field, msg string) {
	switch {
	case r.In != "" && r.At != "":
		return time.Time{}, "expires_at", msgExpiryBoth
	case r.At != "":
		t, err := time.Parse(time.RFC3339Nano, r.At)
		if err != nil {
			return time.Time{}, "expires_at", msgExpiresAt
		}
		t = t.UTC().Truncate(time.Microsecond)
		if !t.After(now) {
			return time.Time{}, "expires_at", msgExpiresPast
		}
		if t.Sub(now) > maxLifetime {
			return time.Time{}, "expires_at", "must be within a hundred years"
		}
		return t, "", ""
	}
	d, ok := ParseLifetime(r.In)
	if !ok {
		return time.Time{}, "expires_in", msgExpiresIn
	}
	if d == 0 {
		return time.Time{}, "", ""
	}
	return now.Add(d), "", ""
}

// expiry resolves r for a create or an edit at now. Every surface's
// expiry passes here, so a deployment's default (DEFAULT_EXPIRY, for a
// create that asks for none) and longest lifetime (MAX_EXPIRY, with
// "never" then refused) are applied in one place.
func (s *Service) expiry(now time.Time, r ExpiryRequest) (time.Time, string, string) {
	if !r.Given() && s.opts.DefaultExpiry != "" {
		r.In = s.opts.DefaultExpiry
	}
	at, field, msg := r.Resolve(now)
	limit := s.opts.MaxExpiry
	if msg != "" || limit <= 0 {
		return at, field, msg
	}
	field = "expires_in"
	if r.At != "" {
		field = "expires_at"
	}
	// A second of slack: a preset equal to the limit, resolved a moment
	// after the form was drawn, still fits.
	if at.IsZero() || at.Sub(now) > limit+time.Second {
		return time.Time{}, field, "must be at most " + LifetimeText(limit) + " from now on this server (MAX_EXPIRY); never is not allowed"
	}
	return at, "", ""
}

// ExpiryPolicy is what a deployment allows: the default lifetime's code
// and the longest lifetime (0: no limit).
type ExpiryPolicy struct {
	Default string
	Max     time.Duration
}

// ExpiryPolicy returns the deployment's expiry policy.
func (s *Service) ExpiryPolicy() ExpiryPolicy {
	def := s.opts.DefaultExpiry
	if def == "" {
		def = "never"
	}
	return ExpiryPolicy{Default: def, Max: s.opts.MaxExpiry}
}

// Presets returns the preset lifetimes the policy allows, in display
// order: those up to Max, and "never" only without a Max.
func (p ExpiryPolicy) Presets() []Expiry {
	if p.Max <= 0 {
		return Expiries
	}
	var out []Expiry
	for _, e := range Expiries {
		if e.TTL > 0 && e.TTL <= p.Max {
			out = append(out, e)
		}
	}
	return out
}

// LifetimeText writes d as a preset's label when one has that length,
// else as a Go duration ("36h0m0s" reads "36h").
func LifetimeText(d time.Duration) string {
	for _, e := range Expiries {
		if e.TTL == d && d > 0 {
			return e.Label
		}
	}
	t := d.String()
	if strings.HasSuffix(t, "m0s") {
		t = strings.TrimSuffix(t, "0s")
	}
	if strings.HasSuffix(t, "h0m") {
		t = strings.TrimSuffix(t, "0m")
	}
	return t
}
