package paste

import "time"

// Expiry is one of the fixed lifetimes a paste may be given.
type Expiry struct {
	Code  string
	Label string
	TTL   time.Duration // 0: never
}

// Expiries lists the accepted expires_in values in display order.
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

// LookupExpiry returns the expiry for code; the empty code means never.
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
