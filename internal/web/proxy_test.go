package web_test

import (
	"fmt"
	"net/http"
	"testing"
)

// TestForwardedForIgnoredWithoutTrustedProxies: with no TRUSTED_PROXIES,
// a client cannot dodge the per-address sign-in limit by inventing
// X-Forwarded-For values.
func TestForwardedForIgnoredWithoutTrustedProxies(t *testing.T) {
	e := newEnv(t)
	var last *http.Response
	for i := 0; i < 22; i++ {
		req := jsonReq("POST", "/api/v1/auth/token", fmt.Sprintf(`{"username":"user%d","password":"not the password"}`, i))
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
		last, _ = e.do(req)
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("spoofed X-Forwarded-For escaped the address limit: %d", last.StatusCode)
	}
}
