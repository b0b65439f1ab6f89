package config

import (
	"strings"
	"testing"
	"time"
)

// TestExpiryPolicy: DEFAULT_EXPIRY and MAX_EXPIRY take the forms
// expires_in takes; with a MAX_EXPIRY, never is refused and an unset
// DEFAULT_EXPIRY becomes the longest lifetime allowed.
func TestExpiryPolicy(t *testing.T) {
	for _, tc := range []struct {
		def, max string
		wantDef  string
		wantMax  time.Duration
	}{
		{"", "", "never", 0},
		{"1d", "", "1d", 0},
		{"36h", "1w", "36h", 7 * 24 * time.Hour},
		{"", "5400", "5400", 90 * time.Minute},
		{"", "90m", "5400", 90 * time.Minute},
		{"10m", "1M", "10m", 30 * 24 * time.Hour},
	} {
		c, err := Load(env(map[string]string{"DEFAULT_EXPIRY": tc.def, "MAX_EXPIRY": tc.max}))
		if err != nil {
			t.Fatalf("DEFAULT_EXPIRY=%q MAX_EXPIRY=%q: %v", tc.def, tc.max, err)
		}
		if c.DefaultExpiry != tc.wantDef || c.MaxExpiry != tc.wantMax {
			t.Errorf("DEFAULT_EXPIRY=%q MAX_EXPIRY=%q = %q, %v; want %q, %v", tc.def, tc.max, c.DefaultExpiry, c.MaxExpiry, tc.wantDef, tc.wantMax)
		}
	}
	for _, tc := range []struct{ def, max, bad string }{
		{"soon", "", "DEFAULT_EXPIRY"},
		{"", "never", "MAX_EXPIRY"},
		{"", "-5m", "MAX_EXPIRY"},
		{"never", "1d", "DEFAULT_EXPIRY"},
		{"1w", "1d", "DEFAULT_EXPIRY"},
		{"0", "", "DEFAULT_EXPIRY"},
	} {
		_, err := Load(env(map[string]string{"DEFAULT_EXPIRY": tc.def, "MAX_EXPIRY": tc.max}))
		if err == nil || !strings.Contains(err.Error(), tc.bad) {
			t.Errorf("DEFAULT_EXPIRY=%q MAX_EXPIRY=%q: error %v, want one naming %s", tc.def, tc.max, err, tc.bad)
		}
	}
}
