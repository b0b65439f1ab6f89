package paste

import (
	"testing"
	"time"
)

func TestParseLifetime(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, true},
		{"never", 0, true},
		{"1M", 30 * 24 * time.Hour, true}, // a preset: a month
		{"1m", time.Minute, true},         // a Go duration: a minute
		{"5400", 5400 * time.Second, true},
		{"90m", 90 * time.Minute, true},
		{"36h", 36 * time.Hour, true},
		{"1h30m", 90 * time.Minute, true},
		{"1", time.Second, true},
		{"0", 0, false},
		{"0s", 0, false},
		{"500ms", 0, false},
		{"-5m", 0, false},
		{"+5m", 0, false},
		{".5h", 0, false},
		{"1D", 0, false},
		{"5 minutes", 0, false},
		{"99999999999999999999", 0, false},
		{"876600h", 0, false}, // a century and more
		{"forever", 0, false},
	} {
		got, ok := ParseLifetime(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseLifetime(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestExpiryRequestResolve(t *testing.T) {
	now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		req   ExpiryRequest
		at    time.Time
		field string
	}{
		{"nothing: never", ExpiryRequest{}, time.Time{}, ""},
		{"preset", ExpiryRequest{In: "1d"}, now.Add(24 * time.Hour), ""},
		{"seconds", ExpiryRequest{In: "5400"}, now.Add(90 * time.Minute), ""},
		{"an instant", ExpiryRequest{At: "2026-05-08T00:00:00+02:00"}, time.Date(2026, 5, 7, 22, 0, 0, 0, time.UTC), ""},
		{"an instant in the past", ExpiryRequest{At: "2026-05-06T07:08:09Z"}, time.Time{}, "expires_at"},
		{"not RFC 3339", ExpiryRequest{At: "2026-05-08"}, time.Time{}, "expires_at"},
		{"both", ExpiryRequest{In: "1h", At: "2027-01-01T00:00:00Z"}, time.Time{}, "expires_at"},
		{"bad lifetime", ExpiryRequest{In: "soon"}, time.Time{}, "expires_in"},
	} {
		at, field, msg := tc.req.Resolve(now)
		if !at.Equal(tc.at) || field != tc.field || (msg == "") != (tc.field == "") {
			t.Errorf("%s: Resolve = %v, %q, %q; want %v, %q", tc.name, at, field, msg, tc.at, tc.field)
		}
	}
}
